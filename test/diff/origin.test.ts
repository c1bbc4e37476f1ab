/**
 * Direct changes and changes after divergence, as a reviewer reads them: an edit that loosens
 * a condition and tightens another tool shows the loosening as "after divergence" in a session
 * where the tightening came first, and as "direct" where it did not; the summary says how many
 * changes the edit caused before any history changed, and that later ones may be its doing too.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { TapeBuilder } from "../replay/tape-builder.js";
import { tempDir } from "../helpers/temp-dir.js";

function edit(): string[] {
  const dir = tempDir("origin");
  writeFileSync(join(dir, "base.yaml"), 'version: "1"\ndefault: allow\ntools:\n  rm:\n    rules:\n      - name: no-rm\n        action: deny\n');
  // The edit allows rm and denies ls.
  writeFileSync(join(dir, "head.yaml"), 'version: "1"\ndefault: allow\ntools:\n  ls:\n    rules:\n      - name: no-ls\n        action: deny\n');
  const tape = new TapeBuilder()
    .call(1, "ls", {}, "a") // a: allow→deny, the session's first change: direct
    .call(2, "rm", {}, "a") // a: deny→allow after a's history changed: after divergence
    .call(3, "rm", {}, "b") // b: deny→allow, b's first change: direct
    .write("t.jsonl", dir);
  return [tape, "--base", join(dir, "base.yaml"), "--head", join(dir, "head.yaml")];
}

describe("diff: direct or after divergence", () => {
  it("text marks the loosening after a session's first change, and counts sessions changed", async () => {
    const r = await runCli(["diff", ...edit()]);
    const lines = r.stdout.split("\n").filter((l) => /^\s+\d+ {2}2026-/.test(l));
    expect(lines.map((l) => [/\s(a|b)\s/.exec(l)![1], l.includes("(after divergence)")])).toEqual([["a", false], ["a", true], ["b", false]]);
    expect(r.stdout).toContain("3 changed: 2 direct (the first change in each of 2 sessions, with the history up to it identical: caused by this edit before any history changed); 1 after divergence (later in a session that had already changed: the edit may cause these too");
    expect(r.stdout).toMatch(/deny→allow\s+2\s+1\s+1/);
  });

  it("one changed session is said in the singular: 'the first change in its session', not 'in each of 1 session'", async () => {
    const args = edit();
    const tape = new TapeBuilder().call(1, "ls", {}, "a").call(2, "rm", {}, "a").write("one.jsonl", tempDir("origin-one"));
    const r = await runCli(["diff", tape, ...args.slice(1)]);
    expect(r.stdout).toContain("2 changed: 1 direct (the first change in its session, with the history up to it identical: caused by this edit before any history changed); 1 after divergence");
  });

  it("markdown gives each changed call its origin and keeps json's counterfactual flag", async () => {
    const md = (await runCli(["diff", ...edit(), "--format", "markdown"])).stdout;
    expect(md).toContain("| change | calls | direct | after divergence |");
    const origins = md.split("\n").filter((l) => /^\| \d+ \| 2026-/.test(l)).map((l) => l.split(" | ").at(-1));
    expect(origins).toEqual(["direct |", "after divergence |", "direct |"]);
    const json = JSON.parse((await runCli(["diff", ...edit(), "--format", "json"])).stdout) as { decisions: { counterfactual: boolean }[] };
    expect(json.decisions.map((d) => d.counterfactual)).toEqual([false, true, false]);
  });
});
