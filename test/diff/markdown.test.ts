/** `diff --format markdown` stays under GitHub's comment size by dropping whole sections. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_PATCH_EDITS, policyPatch } from "../../src/diff/policy-patch.js";
import { MARKDOWN_LIMIT } from "../../src/report/markdown-budget.js";
import { fixture, runDiff } from "./helpers.js";
import { tempDir } from "../helpers/temp-dir.js";

/** Few enough changed lines for a policy diff, long enough rule names that it cannot fit. */
const TOOLS = 400;
const CALLS = 20_000;
let dir: string;

/** Each table: its lines, split into cells on unescaped pipes. */
function tables(md: string): string[][] {
  const out: string[][] = [];
  let current: string[] | null = null;
  for (const line of md.split("\n")) {
    if (line.startsWith("|")) (current ??= []).push(line);
    else if (current) {
      out.push(current);
      current = null;
    }
  }
  if (current) out.push(current);
  return out;
}

const cells = (line: string): number => line.split(/(?<!\\)\|/).length;

beforeAll(() => {
  dir = tempDir("diff-md");
  const t0 = Date.parse("2026-01-01T10:00:00.000Z");
  const lines: object[] = [{ kind: "header", tape: 1, id: "huge", t: new Date(t0).toISOString(), recorder: { name: "test", version: "0" }, transport: "hand" }];
  for (let i = 0; i < CALLS; i++) {
    lines.push({ kind: "call", seq: i + 1, t: new Date(t0 + i).toISOString(), session: `s${i % 50}`, tool: `tool-${i % TOOLS}`, args: { i } });
  }
  writeFileSync(join(dir, "huge.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const base = ['version: "1"', "tools:"];
  const head = ['version: "1"', "tools:"];
  for (let i = 0; i < TOOLS; i++) {
    base.push(`  tool-${i}:`, "    rules: []");
    head.push(`  tool-${i}:`, "    rules:", `      - name: "${"a rather long rule name ".repeat(6)}that denies tool number ${i}"`, "        action: deny");
  }
  writeFileSync(join(dir, "base.yaml"), base.join("\n") + "\n");
  writeFileSync(join(dir, "head.yaml"), head.join("\n") + "\n");
});

describe("markdown size", () => {
  it("stays under 65,000 characters with a huge diff, dropping whole sections with a note", async () => {
    const { stdout: md } = await runDiff([join(dir, "huge.jsonl")], { base: join(dir, "base.yaml"), head: join(dir, "head.yaml"), format: "markdown" });
    expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(md).toContain("**20,000 calls: 20,000 allow→deny**");
    expect(md).toContain("> Left out to stay under GitHub's comment size:");
    expect(md).toMatch(/Left out.*the table by rule/);
    expect(md).toMatch(/Left out.*the policy diff/);
    expect(md).toContain("### By tool");
    // What is left is whole: every table has its header, separator and rows of the same width.
    const found = tables(md);
    expect(found.length).toBeGreaterThan(0);
    for (const t of found) {
      expect(t[1]).toMatch(/^\|( --- \|)+$/);
      for (const line of t) expect(cells(line)).toBe(cells(t[0]!));
    }
    expect(md.split("<details>").length).toBe(md.split("</details>").length);
  });

  it("keeps every section of a small diff and drops nothing", async () => {
    const { stdout: md } = await runDiff([fixture("kinds.jsonl")], { base: fixture("base.yaml"), head: fixture("head.yaml"), format: "markdown" });
    for (const heading of ["### By change", "### By tool", "### By rule (base → head)", "<summary>Changed calls (20)</summary>", "<summary>Policy diff</summary>"]) {
      expect(md).toContain(heading);
    }
    expect(md).not.toContain("Left out");
  });

  it("says the policy diff is too large instead of diffing thousands of changed lines", () => {
    const many = (tag: string) => Array.from({ length: MAX_PATCH_EDITS + 10 }, (_, i) => `line ${i} ${tag}`).join("\n");
    expect(policyPatch({ name: "a", text: many("a") }, { name: "b", text: many("b") })).toBeNull();
    expect(policyPatch({ name: "a", text: "x\n" }, { name: "b", text: "x\n" })).toBe("");
    expect(policyPatch({ name: "a", text: "x\n" }, { name: "b", text: "y\n" })).toBe("--- a\n+++ b\n@@ -1,1 +1,1 @@\n-x\n+y\n");
  });

  it("fences the policy diff with more backticks than the policy text holds", async () => {
    const base = join(dir, "ticks-base.yaml");
    const head = join(dir, "ticks-head.yaml");
    writeFileSync(base, 'version: "1"\ndescription: "```` four ticks"\ntools: {}\n');
    writeFileSync(head, 'version: "1"\ndescription: "```` four ticks, edited"\ntools: {}\n');
    const { stdout: md } = await runDiff([fixture("kinds.jsonl")], { base, head, format: "markdown" });
    expect(md).toContain("`````diff\n");
  });
});
