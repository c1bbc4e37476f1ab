/**
 * Two edges of Intercept's engine, pinned through `mcptape replay` (the CLI's main()).
 * Source: PolicyLayer/Intercept at commit 77f0429, read for these facts:
 * - internal/engine/engine.go: Evaluate's default deny asks `cfg.Tools[call.Name]`, so a tool
 *   named `*` is listed by the `"*"` entry; matchingRules adds the `"*"` rules after a tool's own
 *   only `if toolName != "*"`, so they run once for it.
 * - internal/proxy/handler.go: collectStatefulRules takes the tool's own stateful rules under
 *   scope = the tool name (`*`) and then the `"*"` rules under scope `_global`, so a call of `*`
 *   reserves each `"*"` counter twice; extractLimit looks for `state.<scope>.<counter>`.
 * - internal/state/sqlite.go: Reserve checks `value+amount > limit` with int64 operands, so the
 *   sum wraps around past 2^63-1 (and below -2^63).
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIo } from "../fuzz/helpers.js";
import { tempDir } from "../helpers/temp-dir.js";

let dir: string;
beforeEach(() => {
  dir = tempDir("edges");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Replays calls (one a minute) through the policy; returns [decision, rule] per call. */
async function decide(policy: string, calls: { tool: string; args?: object }[]): Promise<[string, string | null][]> {
  const lines = [
    '{"kind":"header","tape":1,"id":"t","t":"2026-05-01T09:00:00.000Z","recorder":{"name":"mcptape","version":"0.1.0"},"transport":"hand"}',
    ...calls.map((c, i) => JSON.stringify({ kind: "call", seq: i + 1, t: `2026-05-01T09:${String(i).padStart(2, "0")}:00.000Z`, session: "s1", tool: c.tool, args: c.args ?? {}, outcome: "ok", latencyMs: 1 })),
    '{"kind":"end","t":"2026-05-01T10:00:00.000Z","messages":0,"reason":"closed"}',
  ];
  writeFileSync(join(dir, "p.yaml"), policy);
  writeFileSync(join(dir, "t.jsonl"), lines.join("\n") + "\n");
  const io = captureIo();
  const code = await main(["node", "mcptape", "replay", join(dir, "t.jsonl"), "-p", join(dir, "p.yaml"), "--format", "json"], io);
  expect(code, io.err()).toBe(0);
  return (JSON.parse(io.out()) as { decisions: { decision: string; rule: string | null }[] }).decisions.map((d) => [d.decision, d.rule]);
}

const STAR = (defaultAction: string) => `
version: "1"
default: ${defaultAction}
tools:
  "*":
    rules:
      - name: star budget
        conditions:
          - { path: state._global.calls, op: lt, value: 100 }
          - { path: state.*.calls, op: lt, value: 2 }
        state: { counter: calls, window: hour }
`;

describe("a tool literally named `*` (engine.go, handler.go at 77f0429)", () => {
  it("is listed by the \"*\" entry: default deny does not apply to it", async () => {
    expect(await decide(STAR("deny"), [{ tool: "*" }, { tool: "other" }])).toEqual([
      ["allow", null],
      ["deny", "(default deny)"],
    ]);
  });

  it("reserves its \"*\" counters twice: under scope `*` (limit from state.*.calls) and under `_global`", async () => {
    // Scope `*` allows one call (lt 2 means at most 1); `_global` allows 99.
    expect(await decide(STAR("allow"), [{ tool: "*" }, { tool: "*" }])).toEqual([
      ["allow", null],
      ["throttle", "star budget"],
    ]);
  });

  it("other tools reserve the \"*\" counters once, under `_global` only", async () => {
    expect(await decide(STAR("allow"), [{ tool: "a" }, { tool: "a" }, { tool: "b" }])).toEqual([
      ["allow", null],
      ["allow", null],
      ["allow", null],
    ]);
  });
});

const SPEND = (limit: string) => `
version: "1"
tools:
  pay:
    rules:
      - name: budget
        conditions:
          - { path: state.pay.spent, op: lte, value: ${limit} }
        state: { counter: spent, window: day, increment_from: args.n }
`;

describe("counter sums are Go int64 (sqlite.go Reserve at 77f0429)", () => {
  it("a sum past 2^63-1 wraps to a negative number and passes the limit", async () => {
    const n = 2 ** 62; // 2^62 + 2^62 = 2^63 wraps to -2^63
    expect(await decide(SPEND("6917529027641081856"), [{ tool: "pay", args: { n } }, { tool: "pay", args: { n } }, { tool: "pay", args: { n } }])).toEqual([
      ["allow", null],
      ["allow", null],
      ["allow", null],
    ]);
  });

  it("a sum below -2^63 wraps to a large positive number and is refused", async () => {
    const n = -(2 ** 62); // -2^63 - 2^62 wraps to 2^62
    expect(await decide(SPEND("100"), [{ tool: "pay", args: { n } }, { tool: "pay", args: { n } }, { tool: "pay", args: { n } }])).toEqual([
      ["allow", null],
      ["allow", null],
      ["throttle", "budget"],
    ]);
  });
});
