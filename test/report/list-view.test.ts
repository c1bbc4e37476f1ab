/** Which calls text and markdown reports list: --only, --quiet, --all past 1,000 calls, --wide, no empty tables. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Chalk } from "chalk";
import { runCli } from "../cli/run-cli.js";
import { TapeBuilder } from "../replay/tape-builder.js";
import { tempDir } from "../helpers/temp-dir.js";
import { replayText } from "../../src/report/replay-text.js";
import { diffText } from "../../src/report/diff-text.js";
import type { DecidedCall } from "../../src/replay/types.js";
import type { DiffedCall } from "../../src/diff/types.js";
import { fixture } from "../diff/helpers.js";

const DEMO = ["fixtures/tapes", "-p", "fixtures/policies/demo.yaml"];
/** Call lines of a text report: they start with the call number. */
const callLines = (text: string) => text.split("\n").filter((l) => /^\s+\d+[ !] /.test(l));

describe("replay --only and --quiet", () => {
  it("--only deny lists the denied calls alone while the totals still count every call", async () => {
    const all = await runCli(["replay", ...DEMO]);
    const only = await runCli(["replay", ...DEMO, "--only", "deny"]);
    expect(only.code).toBe(0);
    const lines = callLines(only.stdout);
    expect(lines.length).toBe(3);
    for (const l of lines) expect(l).toMatch(/\sdeny\s/);
    const headline = (t: string) => t.split("\n").find((l) => l.startsWith("22 calls"));
    expect(headline(only.stdout)).toBe(headline(all.stdout));
    expect(callLines(all.stdout).length).toBe(22);
  });

  it("--only changed,approval lists calls that changed from the recording or wait for approval", async () => {
    const r = await runCli(["replay", ...DEMO, "--only", "changed,approval"]);
    const lines = callLines(r.stdout);
    expect(lines.length).toBe(8);
    for (const l of lines) expect(l).toContain("(recorded: allow)");
  });

  it("--quiet prints the summary alone, with no column header", async () => {
    const r = await runCli(["replay", ...DEMO, "--quiet"]);
    expect(callLines(r.stdout)).toEqual([]);
    expect(r.stdout).not.toContain("session");
    expect(r.stdout).toContain("22 calls: 14 allow, 3 deny, 4 throttle, 1 approval");
  });

  it("--only with a word that is not a kind is bad input, exit 2", async () => {
    const r = await runCli(["replay", ...DEMO, "--only", "deny,alow"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--only "alow" is not a kind of call');
  });

  it("markdown lists only the --only calls and nothing with --quiet", async () => {
    const only = await runCli(["replay", ...DEMO, "--format", "markdown", "--only", "throttle"]);
    expect(only.stdout).toContain("Calls not allowed or changed (4)");
    expect(only.stdout.slice(only.stdout.indexOf("<details>"))).not.toContain("get-env");
    const quiet = await runCli(["replay", ...DEMO, "--format", "markdown", "--quiet"]);
    expect(quiet.stdout).not.toContain("<details>");
    expect(quiet.stdout).toContain("### By tool");
  });
});

describe("replay text past 1,000 calls", () => {
  function longRun(): string[] {
    const dir = tempDir("long-run");
    const tape = new TapeBuilder();
    // 1,200 calls; every 100th is a call to a denied tool.
    for (let i = 0; i < 1200; i++) tape.call(i, i % 100 === 99 ? "rm" : "ls");
    const policy = join(dir, "policy.yaml");
    writeFileSync(policy, 'version: "1"\ndefault: allow\ntools:\n  rm:\n    rules:\n      - name: no rm\n        action: deny\n');
    return [tape.write("long.jsonl", dir), "-p", policy];
  }

  it("lists every call up to 1,000, then only refused ones, and says so in one line", async () => {
    const r = await runCli(["replay", ...longRun()]);
    const lines = callLines(r.stdout);
    // 1,000 calls, then the denied 1,100th and 1,200th.
    expect(lines.length).toBe(1002);
    expect(lines.slice(1000).map((l) => l.trim().split(/\s+/)[0])).toEqual(["1100", "1200"]);
    expect(r.stdout.split("\n").filter((l) => l.includes("more than 1,000 calls"))).toHaveLength(1);
    expect(r.stdout).toContain("1200 calls: 1188 allow, 12 deny");
  });

  it("--all lists every call", async () => {
    const r = await runCli(["replay", ...longRun(), "--all"]);
    expect(callLines(r.stdout).length).toBe(1200);
    expect(r.stdout).not.toContain("more than 1,000 calls");
  });
});

describe("ids and names cut only on a terminal", () => {
  const session = "session-with-a-very-long-identifier-0123456789";
  const tool = "a_tool_name_longer_than_its_column_in_the_text_report";
  const call = {
    session, seq: 1, t: 0, tool, args: {}, tape: "t.jsonl", line: 2, changed: false, recorded: null,
    decision: { decision: "deny", rule: "a rule whose name is longer than its column", message: "no", approved: false },
  } as unknown as DecidedCall;
  const meta = { policy: "p.yaml", tapes: ["t.jsonl"], warnings: [] };

  it("a terminal report cuts them with an ellipsis; --wide keeps them whole", () => {
    const plain = new Chalk({ level: 0 });
    const narrow = replayText(plain, true);
    narrow.start({ ...meta, failOn: new Set() });
    const cut = narrow.call(call, 0);
    expect(cut).not.toContain(session);
    expect(cut).toContain("…");
    const wide = replayText(plain, true);
    wide.start({ ...meta, failOn: new Set(), view: { quiet: false, all: false, wide: true } });
    const whole = wide.call(call, 0);
    for (const s of [session, tool, "a rule whose name is longer than its column"]) expect(whole).toContain(s);
  });

  it("piped (not a terminal) the report keeps them whole without --wide", () => {
    const piped = replayText(new Chalk({ level: 0 }), false);
    piped.start({ ...meta, failOn: new Set() });
    expect(piped.call(call, 0)).toContain(session);
  });

  it("a diff on a terminal cuts them; --wide keeps them whole", () => {
    const diffCall = { ...call, base: { decision: "allow", rule: null, message: null }, head: call.decision, change: "allow->deny", counterfactual: false } as unknown as DiffedCall;
    const diffMeta = { base: "a", head: "b", tapes: ["t"], failOnChange: false, failOnLoosen: false, patch: "", warnings: [] };
    const narrow = diffText(new Chalk({ level: 0 }), true);
    narrow.start(diffMeta);
    expect(narrow.call(diffCall, 0)).not.toContain(tool);
    const wide = diffText(new Chalk({ level: 0 }), true);
    wide.start({ ...diffMeta, view: { quiet: false, all: false, wide: true } });
    expect(wide.call(diffCall, 0)).toContain(tool);
  });
});

describe("diff lists", () => {
  const base = fixture("base.yaml");
  const kinds = fixture("kinds.jsonl");

  it("a diff with no change prints no empty table header", async () => {
    const r = await runCli(["diff", kinds, "--base", base, "--head", base]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("no decision changed");
    expect(r.stdout).not.toMatch(/session\s+tool\s+change/);
  });

  it("--only deny lists changes to or from deny; --quiet none", async () => {
    const head = fixture("head.yaml");
    const all = await runCli(["diff", kinds, "--base", base, "--head", head, "--format", "json"]);
    const calls = (JSON.parse(all.stdout) as { decisions: { base: { decision: string }; head: { decision: string }; changed: boolean }[] }).decisions;
    const expected = calls.filter((c) => c.changed && (c.base.decision === "deny" || c.head.decision === "deny")).length;
    expect(expected).toBeGreaterThan(0);
    const only = await runCli(["diff", kinds, "--base", base, "--head", head, "--only", "deny"]);
    expect(callLines(only.stdout).length).toBe(expected);
    const quiet = await runCli(["diff", kinds, "--base", base, "--head", head, "--quiet"]);
    expect(callLines(quiet.stdout)).toEqual([]);
    expect(quiet.stdout).toContain("By change");
  });
});
