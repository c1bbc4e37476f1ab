/**
 * require_approval as Intercept PR #3 describes it (the PR text as quoted in issue 15 and
 * docs/spec/dialect-intercept.md; no stored source of the PR): the agent gets error -32003,
 * `[INTERCEPT APPROVAL REQUIRED] ...`, with an approval id `apr_...`; an approved retry goes
 * through once. `--approvals` says what the human answered. Through the CLI's main().
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { loadPolicyText } from "../../src/policy/load.js";
import { recogniseAnswer } from "../../src/tape/recorded.js";
import { captureIo } from "../fuzz/helpers.js";
import { tempDir } from "../helpers/temp-dir.js";

const POLICY = `
version: "1"
tools:
  transfer_funds:
    rules:
      - name: large transfers need a human
        action: require_approval
        conditions:
          - { path: args.amount, op: gt, value: 10000 }
      - name: one transfer an hour
        rate_limit: 1/hour
  delete_repo:
    rules:
      - name: deletes need a human
        action: require_approval
  "*":
    rules:
      - name: nothing on Sundays
        action: deny
        on_deny: "closed"
`;

const HEAD = [
  '{"kind":"header","tape":1,"id":"t1","t":"2026-04-01T09:00:00.000Z","recorder":{"name":"mcptape","version":"0.1.0"},"transport":"hand"}',
  '{"kind":"session","session":"s1","t":"2026-04-01T09:00:00.000Z"}',
];
const call = (seq: number, minute: number, tool: string, args: object, outcome = "ok") =>
  `{"kind":"call","seq":${seq},"t":"2026-04-01T09:${String(minute).padStart(2, "0")}:00.000Z","session":"s1","tool":"${tool}","args":${JSON.stringify(args)},"outcome":"${outcome}","latencyMs":10}`;

let dir: string;
beforeEach(() => {
  dir = tempDir("approvals");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function replay(policy: string, lines: string[], ...flags: string[]) {
  writeFileSync(join(dir, "p.yaml"), policy);
  writeFileSync(join(dir, "t.jsonl"), [...HEAD, ...lines, '{"kind":"end","t":"2026-04-01T10:00:00.000Z","messages":0,"reason":"closed"}'].join("\n") + "\n");
  const io = captureIo();
  const code = await main(["node", "mcptape", "replay", join(dir, "t.jsonl"), "-p", join(dir, "p.yaml"), ...flags], io);
  return { code, out: io.out(), err: io.err() };
}

type Row = { decision: string; approved?: boolean; rule: string | null; message: string | null };
const decisions = (out: string) => (JSON.parse(out) as { decisions: Row[] }).decisions;

/** The policy without its Sunday deny (the wildcard deny decides every call). */
const WEEKDAY = POLICY.slice(0, POLICY.indexOf('  "*":'));

describe("--approvals as a human answers", () => {
  const lines = [
    call(1, 0, "transfer_funds", { amount: 50000 }, "error"), // approved, but the upstream failed: its counter goes back
    call(2, 10, "transfer_funds", { amount: 60000 }), // approved, takes the one transfer of the hour
    call(3, 20, "transfer_funds", { amount: 70000 }), // approved, then refused by the counter
  ];

  it("pending reports approval, with Intercept's [INTERCEPT APPROVAL REQUIRED] prefix, and reserves nothing", async () => {
    const r = await replay(WEEKDAY, lines, "--format", "json");
    expect(decisions(r.out).map((d) => [d.decision, d.rule, d.message])).toEqual([
      ["approval", "large transfers need a human", '[INTERCEPT APPROVAL REQUIRED] Approval required by rule "large transfers need a human"'],
      ["approval", "large transfers need a human", '[INTERCEPT APPROVAL REQUIRED] Approval required by rule "large transfers need a human"'],
      ["approval", "large transfers need a human", '[INTERCEPT APPROVAL REQUIRED] Approval required by rule "large transfers need a human"'],
    ]);
  });

  it('approve reports allow after the human\'s yes ("approved": true in json), takes counters, and gives them back when the upstream answer is an error', async () => {
    const r = await replay(WEEKDAY, lines, "--format", "json", "--approvals", "approve");
    expect(decisions(r.out).map((d) => [d.decision, d.approved ?? false, d.rule])).toEqual([
      ["allow", true, "large transfers need a human"],
      ["allow", true, "large transfers need a human"],
      ["throttle", false, "one transfer an hour"],
    ]);
  });

  it("approve shows `allow (approved)` in text", async () => {
    const r = await replay(WEEKDAY, lines.slice(0, 1), "--approvals", "approve");
    expect(r.out, r.err).toMatch(/transfer_funds\s+allow \(approved\)\s+large transfers need a /);
  });

  it("deny reports deny by the approval rule, and takes nothing", async () => {
    const r = await replay(WEEKDAY, [...lines, call(4, 30, "transfer_funds", { amount: 5 })], "--format", "json", "--approvals", "deny");
    expect(decisions(r.out).map((d) => [d.decision, d.rule])).toEqual([
      ["deny", "large transfers need a human"],
      ["deny", "large transfers need a human"],
      ["deny", "large transfers need a human"],
      ["allow", null],
    ]);
  });

  it("the three answers give three different reports", async () => {
    const outs = await Promise.all(["pending", "approve", "deny"].map(async (a) => (await replay(WEEKDAY, lines, "--approvals", a)).out));
    expect(new Set(outs).size).toBe(3);
  });
});

describe("require_approval beside other rules", () => {
  it("a deny rule wins over require_approval, whichever comes first", async () => {
    const r = await replay(POLICY, [call(1, 0, "delete_repo", {})], "--format", "json", "--approvals", "approve");
    expect(decisions(r.out).map((d) => [d.decision, d.rule, d.message])).toEqual([["deny", "nothing on Sundays", "closed"]]);
  });

  it("rate_limit or state beside require_approval in one rule is a validation error", () => {
    const withState = loadPolicyText('version: "1"\ntools:\n  t:\n    rules:\n      - name: held\n        action: require_approval\n        state: { counter: n, window: hour }\n', "p.yaml");
    expect(withState.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.col} ${d.message}`)).toEqual([
      '7:16 tools.t.rules[0]: state cannot be used with action "require_approval"; put the counter in a rule of its own',
    ]);
    const withRate = loadPolicyText('version: "1"\ntools:\n  t:\n    rules:\n      - name: held\n        action: require_approval\n        rate_limit: 5/hour\n', "p.yaml");
    expect(withRate.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      'tools.t.rules[0]: rate_limit cannot be used with action "require_approval"; put the rate limit in a rule of its own',
    ]);
  });
});

describe("a recorded approval hold", () => {
  it("error -32003 with an approval id apr_… is read as approval, its prefix taken off", () => {
    const answer = recogniseAnswer({
      jsonrpc: "2.0", id: 7,
      error: { code: -32003, message: "[INTERCEPT APPROVAL REQUIRED] Approval required by rule \"x\" (approval_id: apr_3f9a2c)", data: { approval_id: "apr_3f9a2c" } },
    });
    expect(answer).toEqual({ outcome: "error", recorded: { decision: "approval", message: 'Approval required by rule "x" (approval_id: apr_3f9a2c)' } });
  });
});
