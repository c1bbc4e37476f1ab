/**
 * The text report's columns line up whatever the decision: `undecided` (an imported audit log's
 * calls whose arguments were not logged) is the longest word a decision cell holds, so the rule
 * column starts at one place on every row, as under the header.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("replay --format text", () => {
  it("starts the rule column at the header's place on allow, deny, throttle and undecided rows", async () => {
    const dir = tempDir("text-columns");
    const tape = join(dir, "t.jsonl");
    const call = (seq: number, tool: string, rest: Record<string, unknown>) => ({ kind: "call", seq, t: `2026-01-01T00:00:0${seq}.000Z`, session: "s1", tool, ...rest });
    writeFileSync(tape, [
      { kind: "header", tape: 1, id: "x", t: "2026-01-01T00:00:00.000Z", recorder: { name: "hand", version: "1" }, transport: "hand" },
      call(1, "read", { args: { path: "/srv/a" } }),
      call(2, "read", { args: { path: "/etc/passwd" } }),
      call(3, "read", { argsHash: "unlogged" }),
      call(4, "write", { args: {} }),
      call(5, "write", { args: {} }),
      { kind: "end", t: "2026-01-01T00:00:09.000Z", messages: 5, reason: "closed" },
    ].map((l) => JSON.stringify(l)).join("\n") + "\n");
    const policy = join(dir, "p.yaml");
    writeFileSync(policy, [
      'version: "1"',
      "tools:",
      "  read:",
      "    rules:",
      "      - name: under srv",
      "        conditions: [{ path: args.path, op: regex, value: '^/srv/' }]",
      "  write:",
      "    rules:",
      "      - name: one write a minute",
      "        rate_limit: 1/minute",
      "",
    ].join("\n"));
    const r = await runCli(["replay", tape, "-p", policy, "--format", "text", "--all"]);
    const lines = r.stdout.split("\n");
    const header = lines.find((l) => l.includes("decision") && l.includes("rule"))!;
    const rows = lines.filter((l) => /^\s+\d+\s+2026-/.test(l));
    expect(rows.map((l) => l.match(/ (allow|deny|throttle|undecided)( |$)/)?.[1])).toEqual(["allow", "deny", "undecided", "allow", "throttle"]);
    const ruleAt = header.indexOf("rule");
    for (const row of rows.filter((l) => !/ allow\s*$/.test(l))) {
      expect(row.slice(ruleAt - 2, ruleAt)).toBe("  ");
      expect(row[ruleAt]).not.toBe(" ");
    }
  });
});
