/**
 * Recorded names and texts in a Markdown pull-request comment: a code span stays one span
 * whatever backticks it holds, a table cell keeps its columns, and no recorded `@name` notifies
 * anyone. The expected strings follow the CommonMark spec (0.31, "Code spans": a span closes at
 * a backtick string of the opening's length, and one space is stripped from each end when both
 * ends have one) and GitHub's table extension (GFM 0.29, "Tables": `\|` is a pipe inside a cell,
 * code spans included).
 */
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mdCell, mdCode } from "../../src/report/escape.js";
import { runCli } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("mdCode: a code span for any text", () => {
  it.each([
    ["plain", "read_file", "`read_file`"],
    ["a backtick inside: a longer fence", "a`b", "``a`b``"],
    ["two in a row: a fence of three", "a``b", "```a``b```"],
    ["a backtick at an end: padded with a space the renderer strips", "`x", "`` `x ``"],
    ["a pipe: escaped, or the table gains a column", "a|b", "`a\\|b`"],
    ["HTML characters: as they are (a code span shows &lt; as four characters)", "a<b&c", "`a<b&c`"],
    ["a line break: a space", "a\nb", "`a b`"],
  ])("%s", (_what, text, expected) => {
    expect(mdCode(text)).toBe(expected);
  });
});

describe("mdCell: recorded text in a cell", () => {
  it("breaks an @mention with a zero-width space after the @, so the comment notifies no one", () => {
    expect(mdCell("ask @alice or @org/team")).toBe("ask @&#8203;alice or @&#8203;org/team");
    expect(mdCell("mail a@b.example")).toBe("mail a@&#8203;b.example");
    expect(mdCell("@ alone")).toBe("@ alone");
  });
});

describe("replay --format markdown with hostile names", () => {
  it("keeps a tool named with a backtick and a pipe one code span in one cell, and mentions no one in messages", async () => {
    const dir = tempDir("md-escape");
    const tape = join(dir, "t.jsonl");
    const tool = "run`it|now";
    writeFileSync(tape, [
      { kind: "header", tape: 1, id: "x", t: "2026-01-01T00:00:00.000Z", recorder: { name: "hand", version: "1" }, transport: "hand" },
      { kind: "call", seq: 1, t: "2026-01-01T00:00:01.000Z", session: "s1", tool, args: {} },
      { kind: "end", t: "2026-01-01T00:00:02.000Z", messages: 1, reason: "closed" },
    ].map((l) => JSON.stringify(l)).join("\n") + "\n");
    const policy = join(dir, "p.yaml");
    writeFileSync(policy, `version: "1"\ndefault: allow\ntools:\n  ${JSON.stringify(tool)}:\n    rules:\n      - name: "ask @security"\n        action: deny\n        on_deny: "ping @oncall"\n`);
    const r = await runCli(["replay", tape, "-p", policy, "--format", "markdown"]);
    expect(r.code).toBe(0);
    const row = r.stdout.split("\n").find((l) => l.startsWith("| 1 |"));
    expect(row).toBe("| 1 | 2026-01-01T00:00:01.000Z | ``run`it\\|now`` | **deny** | ask @&#8203;security | ping @&#8203;oncall |");
  });
});
