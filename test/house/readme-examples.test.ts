/**
 * The README's examples are what a new user pastes first: each `$ mcptape ...` block that reads
 * only files of this repository is run, and every line it shows must be a line the command
 * prints (lines the README shortens, `...` or a cell cut with `…` as on a narrow terminal, are
 * left out). Blocks that need files of the user's own (policy.yaml, broken.cedar) are skipped.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../cli/run-cli.js";

interface Example {
  line: number;
  args: string[];
  shown: string[];
}

/** The README's `$ mcptape ...` blocks: the command's words and the lines shown under it. */
function examples(): Example[] {
  const lines = readFileSync(join(ROOT, "README.md"), "utf8").split("\n");
  const out: Example[] = [];
  lines.forEach((text, i) => {
    if (!text.startsWith("$ mcptape ")) return;
    const shown: string[] = [];
    for (let j = i + 1; j < lines.length && !lines[j]!.startsWith("```") && !lines[j]!.startsWith("$ "); j++) shown.push(lines[j]!);
    out.push({ line: i + 1, args: text.slice("$ mcptape ".length).split(" "), shown });
  });
  return out;
}

/** Whether every file the command names is in the repository (its own flags' values aside). */
function readsOnlyRepoFiles(args: string[]): boolean {
  const paths = args.filter((a) => /[/.]/.test(a) && !a.startsWith("-") && !a.startsWith("'"));
  return paths.length > 0 && args.every((a) => !a.includes("'")) && paths.every((p) => existsSync(join(ROOT, p)));
}

const runnable = examples().filter((e) => readsOnlyRepoFiles(e.args));

describe("README examples", () => {
  it("has runnable examples to check", () => {
    expect(runnable.length).toBeGreaterThanOrEqual(5);
  });

  it.each(runnable.map((e) => [`README.md:${e.line}: mcptape ${e.args.join(" ")}`, e]))("%s prints what the README shows", async (_name, e) => {
    const r = await runCli(e.args);
    const printed = new Set([...r.stdout.split("\n"), ...r.stderr.split("\n")].map((l) => l.trimEnd()));
    const checked = e.shown.filter((l) => l.trim() !== "" && l.trim() !== "..." && !l.includes("…"));
    expect(checked.filter((l) => !printed.has(l.trimEnd()))).toEqual([]);
  });
});
