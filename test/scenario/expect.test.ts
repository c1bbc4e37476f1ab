import { describe, expect, it } from "vitest";
import type { Decision } from "../../src/engine/types.js";
import { emptySummary, type DecidedCall } from "../../src/replay/types.js";
import { checkScenario } from "../../src/scenario/expect.js";
import type { CallExpectation, Scenario } from "../../src/scenario/types.js";
import { DEFAULT_REPLAY_OPTIONS } from "../../src/replay/types.js";

const at = { file: "s.yaml", line: 7, col: 7 };

function decided(tool: string, decision: Decision["decision"], extra: Partial<Decision> = {}, session = "s1"): DecidedCall {
  return {
    session, seq: 1, t: Date.parse("2026-01-01T00:00:00Z"), tool, args: {}, identity: undefined,
    decision: { decision, rule: null, message: null, reservations: [], counters: [], ...extra },
    recorded: null, outcome: "ok", changed: false, tape: "s.yaml", line: 3,
  };
}

function scenario(expectCalls: CallExpectation[], summary?: Scenario["expectSummary"]): Scenario {
  return {
    name: "t", at, policy: { kind: "file", path: "p.yaml", at }, tapes: [], calls: [],
    options: DEFAULT_REPLAY_OPTIONS, expectCalls, expectSummary: summary,
  };
}

const CALLS = [
  decided("ping", "allow"),
  decided("ping", "allow", {}, "s2"),
  decided("ping", "throttle", { rule: "two pings", message: "Rate limit of 2 per minute reached. Try again later.", counters: [{ key: "ping._rate_minute", value: 2, limit: 2 }] }),
  decided("nuke", "deny", { rule: "no nukes", message: "Nuking is not permitted" }),
];

function failuresOf(e: Omit<CallExpectation, "at">) {
  return checkScenario(scenario([{ ...e, at }]), CALLS, emptySummary()).failures;
}

describe("call expectations", () => {
  it("an index expectation that holds gives no failure", () => {
    expect(failuresOf({ selector: { kind: "index", call: 3 }, check: { decision: "throttle", rule: "two pings" } })).toEqual([]);
  });

  it("names exactly the fields that differ", () => {
    const [f, ...rest] = failuresOf({ selector: { kind: "index", call: 4 }, check: { decision: "deny", rule: "no nukes", message: "Nope" } });
    expect(rest).toEqual([]);
    expect(f!.subject).toBe("call 4 (nuke)");
    expect(f!.message).toBe('message: expected "Nope", got "Nuking is not permitted"');
    expect(f!.call!.index).toBe(4);
  });

  it("says none for a missing rule or message", () => {
    const [f] = failuresOf({ selector: { kind: "index", call: 1 }, check: { decision: "deny", rule: "no nukes" } });
    expect(f!.message).toBe('decision: expected deny, got allow; rule: expected "no nukes", got none');
  });

  it("an index past the last call fails with a clear message", () => {
    const [f] = failuresOf({ selector: { kind: "index", call: 9 }, check: { decision: "allow" } });
    expect(f).toMatchObject({ subject: "call 9", message: "no such call: the scenario made only 4 calls" });
  });

  it("a tool expectation checks every call of the tool and fails once per differing call", () => {
    const fs = failuresOf({ selector: { kind: "tool", tool: "ping" }, check: { decision: "allow" } });
    expect(fs.map((f) => f.subject)).toEqual(["call 3 (ping, 3rd of 3)"]);
    expect(fs[0]!.message).toBe("decision: expected allow, got throttle");
  });

  it("nth picks one call of the tool; session narrows the calls", () => {
    expect(failuresOf({ selector: { kind: "tool", tool: "ping", nth: 3 }, check: { decision: "throttle" } })).toEqual([]);
    const [f] = failuresOf({ selector: { kind: "tool", tool: "ping", nth: 2 }, check: { decision: "deny" } });
    expect(f!.subject).toBe("call 2, the 2nd call of ping");
    const [g] = failuresOf({ selector: { kind: "tool", tool: "ping", session: "s2", nth: 2 }, check: { decision: "allow" } });
    expect(g).toMatchObject({ subject: "the 2nd call of ping in session s2", message: "no such call: it was called only 1 time" });
  });

  it("a tool that was never called fails", () => {
    const [f] = failuresOf({ selector: { kind: "tool", tool: "launch" }, check: { decision: "deny" } });
    expect(f!.message).toBe("no call of launch was made");
  });

  it("an index expectation that also names a tool checks the tool", () => {
    const [f] = failuresOf({ selector: { kind: "index", call: 1, tool: "nuke" }, check: { decision: "allow" } });
    expect(f!.message).toBe("tool: expected nuke, got ping");
  });
});

describe("summary expectations", () => {
  it("compares only the counts given and names each that differs", () => {
    const summary = { ...emptySummary(), calls: 4, allow: 2, throttle: 1, deny: 1 };
    const ok = checkScenario(scenario([], { counts: { allow: 2, deny: 1 }, at }), CALLS, summary);
    expect(ok.failures).toEqual([]);
    const bad = checkScenario(scenario([], { counts: { allow: 3, throttle: 1, approval: 1 }, at }), CALLS, summary);
    expect(bad.failures).toHaveLength(1);
    expect(bad.failures[0]!.message).toBe("allow: expected 3, got 2; approval: expected 1, got 0");
  });
});
