/**
 * The import-graph check (`npm run check:imports`, run by CI): src/ has no cycle between files or
 * between rooms, and the check does fail on each kind of cycle.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const check = (dir: string, cwd = ROOT) =>
  spawnSync(process.execPath, [join(ROOT, "scripts/check-imports.mjs"), dir], { cwd, encoding: "utf8" });

/** A tree of .ts files, path -> the relative imports it makes. */
function tree(files: Record<string, string[]>): string {
  const dir = tempDir("imports");
  for (const [file, imports] of Object.entries(files)) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), imports.map((spec, i) => `import { v${i} } from "${spec}";\n`).join("") + "export const v = 1;\n");
  }
  return dir;
}

describe("the import-graph check", () => {
  it("finds no cycle in src/", () => {
    const r = check("src");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^imports: no cycle between the \d+ files or the \d+ rooms/);
  });

  it("fails on two files that import each other", () => {
    const dir = tree({ "a/x.ts": ["./y.js"], "a/y.ts": ["./x.js"] });
    const r = check(dir, dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("files: a/x.ts -> a/y.ts -> a/x.ts");
  });

  it("fails on two rooms that import each other through different files", () => {
    const dir = tree({ "a/x.ts": ["../b/y.js"], "b/y.ts": ["../a/z.js"], "a/z.ts": [] });
    const r = check(dir, dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/rooms: (a -> b -> a|b -> a -> b)/);
    expect(r.stderr).not.toContain("files:");
  });

  it("fails when a shared base file imports a room", () => {
    const dir = tree({ "base.ts": ["./a/x.js"], "a/x.ts": [] });
    const r = check(dir, dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("shared base imports a room: base.ts -> a/x.ts");
  });
});
