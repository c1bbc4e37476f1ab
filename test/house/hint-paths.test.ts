/**
 * Hints that send a user to a document (`see docs/spec/tape.md`) name a file the package
 * carries, by its path from the package root: in a clone and in node_modules/mcptape alike.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../cli/run-cli.js";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("documents named in hints", () => {
  it("every `see PATH.md` in a message of src/ is a file the package ships", () => {
    const shipped = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] }).files;
    const named: string[] = [];
    for (const file of sources(join(ROOT, "src"))) {
      // Code lines only: comments cite the spec for the reader of the source.
      const code = readFileSync(file, "utf8").split("\n").filter((l) => !/^\s*(\*|\/\*|\/\/)/.test(l)).join("\n");
      for (const m of code.matchAll(/\(see ([\w./-]+\.md)/g)) named.push(`${relative(ROOT, file)}: ${m[1]!}`);
    }
    expect(named.length).toBeGreaterThan(0);
    const wrong = named.filter((n) => {
      const path = n.slice(n.indexOf(": ") + 2);
      return !existsSync(join(ROOT, path)) || !shipped.some((f) => path === f || path.startsWith(`${f}/`));
    });
    expect(wrong).toEqual([]);
  });
});
