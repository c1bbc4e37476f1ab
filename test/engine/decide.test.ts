import { describe, expect, it } from "vitest";
import { CounterStore } from "../../src/engine/counters.js";
import { decide, rollback } from "../../src/engine/decide.js";
import type { Call, Decision } from "../../src/engine/types.js";
import { buildPolicy, type CompactPolicy } from "./build.js";

const NOW = Date.parse("2026-03-04T10:31:00Z");
const call = (tool: string, args: unknown = {}, extra: Partial<Call> = {}): Call => ({ tool, args, session: "s1", ...extra });

function run(p: CompactPolicy, calls: Call[], store = new CounterStore(), now = NOW): Decision[] {
  const policy = buildPolicy(p);
  return calls.map((c) => decide(policy, c, store, now));
}

describe("hide", () => {
  it("a hidden tool is denied with (hidden)", () => {
    const [d] = run({ hide: ["rm"], tools: { rm: [] } }, [call("rm")]);
    expect(d).toMatchObject({ decision: "deny", rule: "(hidden)", message: 'Tool "rm" is hidden by policy' });
  });
  it("hide * hides every tool", () => {
    const ds = run({ hide: ["*"] }, [call("a"), call("b")]);
    expect(ds.map((d) => d.rule)).toEqual(["(hidden)", "(hidden)"]);
  });
  it("hidden comes before default deny", () => {
    const [d] = run({ default: "deny", hide: ["x"] }, [call("x")]);
    expect(d!.rule).toBe("(hidden)");
  });
});

describe("default deny", () => {
  it("an unlisted tool is denied with (default deny)", () => {
    const [d] = run({ default: "deny", tools: { ok: [] } }, [call("other")]);
    expect(d).toMatchObject({ decision: "deny", rule: "(default deny)", message: 'Tool "other" is not permitted by policy' });
  });
  it("default deny is not rescued by wildcard rules", () => {
    const [d] = run({ default: "deny", tools: { "*": [{ name: "g", rateLimit: "100/minute" }] } }, [call("x")]);
    expect(d!.rule).toBe("(default deny)");
  });
  it("a listed tool with rules: [] is allowed under default deny", () => {
    const [d] = run({ default: "deny", tools: { read_file: [] } }, [call("read_file")]);
    expect(d).toEqual({ decision: "allow", rule: null, message: null, reservations: [], counters: [] });
  });
  it("an unlisted tool under default allow still meets the wildcard rules", () => {
    const [d] = run({ tools: { "*": [{ name: "no drop", when: [["args.sql", "regex", "(?i)drop"]] }] } },
      [call("anything", { sql: "select" })]);
    expect(d!.decision).toBe("deny");
  });
});

describe("rules", () => {
  it("a deny rule denies with its on_deny", () => {
    const [d] = run({ tools: { rm: [{ name: "block", action: "deny", onDeny: "No." }] } }, [call("rm")]);
    expect(d).toMatchObject({ decision: "deny", rule: "block", message: "No." });
  });
  it("without on_deny the message is Denied by rule \"<name>\"", () => {
    const [d] = run({ tools: { rm: [{ name: "block", action: "deny" }] } }, [call("rm")]);
    expect(d!.message).toBe('Denied by rule "block"');
  });
  it("the first false condition of an evaluate rule denies", () => {
    const p: CompactPolicy = { tools: { pay: [
      { name: "max", when: [["args.amount", "lte", 100n]], onDeny: "too much" },
      { name: "cur", when: [["args.currency", "in", ["usd"]]], onDeny: "bad currency" },
    ] } };
    const ds = run(p, [call("pay", { amount: 50, currency: "usd" }), call("pay", { amount: 500, currency: "eur" }),
      call("pay", { amount: 5, currency: "eur" })]);
    expect(ds.map((d) => d.message)).toEqual([null, "too much", "bad currency"]);
  });
  it("conditions of one rule are ANDed", () => {
    const p: CompactPolicy = { tools: { t: [{ name: "r", when: [["args.a", "eq", 1n], ["args.b", "eq", 2n]] }] } };
    const ds = run(p, [call("t", { a: 1, b: 2 }), call("t", { a: 1, b: 3 })]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "deny"]);
  });
  it("tool rules come before wildcard rules", () => {
    const p: CompactPolicy = { tools: {
      t: [{ name: "tool rule", action: "deny" }],
      "*": [{ name: "wild rule", action: "deny" }],
    } };
    expect(run(p, [call("t")])[0]!.rule).toBe("tool rule");
  });
  it("not_in on a missing argument denies", () => {
    const p: CompactPolicy = { tools: { t: [{ name: "r", when: [["args.role", "not_in", ["admin"]]] }] } };
    expect(run(p, [call("t", {})])[0]!.decision).toBe("deny");
  });
  it("neq passes on null", () => {
    const p: CompactPolicy = { tools: { t: [{ name: "r", when: [["args.role", "neq", "admin"]] }] } };
    expect(run(p, [call("t", { role: null })])[0]!.decision).toBe("allow");
  });
  it("a condition on a false argument path is a deny, not a throttle", () => {
    const p: CompactPolicy = { tools: { t: [{ name: "r", when: [["args.n", "lt", 3n]] }] } };
    expect(run(p, [call("t", { n: 9 })])[0]!.decision).toBe("deny");
  });
  it("arguments that are not an object make every args path missing", () => {
    const p: CompactPolicy = { tools: { t: [{ name: "r", when: [["args.x", "exists", false]] }] } };
    expect(run(p, [call("t", [1, 2]), call("t", null), call("t", "str")]).map((d) => d.decision))
      .toEqual(["allow", "allow", "allow"]);
  });
});

describe("rate limits", () => {
  const limited = (n: string): CompactPolicy => ({ tools: { t: [{ name: "lim", rateLimit: n }] } });
  it("rate_limit 3/minute allows three calls a minute, then throttles with its message", () => {
    const ds = run(limited("3/minute"), [call("t"), call("t"), call("t"), call("t")]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "allow", "allow", "throttle"]);
    expect(ds[3]).toMatchObject({ rule: "lim", message: "Rate limit of 3 per minute reached. Try again later." });
    expect(ds[3]!.counters).toEqual([{ key: "t._rate_minute", value: 3, limit: 3 }]);
  });
  it("lt 10 allows nine calls", () => {
    const p: CompactPolicy = { tools: { t: [{ name: "nine", when: [["state.t.n", "lt", 10n]], state: { counter: "n", window: "hour" } }] } };
    const ds = run(p, Array.from({ length: 11 }, () => call("t")));
    expect(ds.filter((d) => d.decision === "allow")).toHaveLength(9);
    expect(ds[9]).toMatchObject({ decision: "throttle", message: "Rate limit exceeded for nine" });
  });
  it("lte 5 allows five calls", () => {
    const p: CompactPolicy = { tools: { t: [{ name: "five", when: [["state.t.n", "lte", 5n]], state: { counter: "n", window: "day" } }] } };
    expect(run(p, Array.from({ length: 7 }, () => call("t"))).filter((d) => d.decision === "allow")).toHaveLength(5);
  });
  it("a full counter refuses at its reservation with the rule's limit message", () => {
    const p: CompactPolicy = { tools: { t: [{ name: "spend", when: [["state.t.total", "lt", 100n]],
      state: { counter: "total", window: "day", incrementFrom: "args.amount" } }] } };
    const ds = run(p, [call("t", { amount: 99 }), call("t", { amount: 1 })]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "throttle"]);
    expect(ds[1]).toMatchObject({ rule: "spend", message: "Rate limit exceeded for spend" });
    expect(ds[1]!.counters).toEqual([{ key: "t.total", value: 99, limit: 99 }]);
  });
  it("a false state condition is a throttle with the rule's deny message and reports the counter", () => {
    const p: CompactPolicy = { tools: { t: [
      { name: "cap", when: [["state.t.total", "lte", 1000n]], state: { counter: "total", window: "day", incrementFrom: "args.amount" } },
      { name: "soft", when: [["state.t.total", "lt", 500n]] },
    ] } };
    const ds = run(p, [call("t", { amount: 600 }), call("t", { amount: 1 })]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "throttle"]);
    expect(ds[1]).toMatchObject({ rule: "soft", message: 'Denied by rule "soft"' });
    expect(ds[1]!.counters).toEqual([{ key: "t.total", value: 600, limit: 1000 }]);
  });
  it("state conditions see the value before this call", () => {
    // lte 1 on a counter incremented by 5: the condition sees 0 and passes, the reservation
    // of 5 > 1 refuses.
    const p: CompactPolicy = { tools: { t: [{ name: "r", when: [["state.t.c", "lte", 1n]], state: { counter: "c", window: "minute", increment: 5 } }] } };
    const [d] = run(p, [call("t")]);
    expect(d).toMatchObject({ decision: "throttle", message: "Rate limit exceeded for r" });
    expect(d!.counters).toEqual([{ key: "t.c", value: 0, limit: 1 }]);
  });
  it("a counter without a lt/lte condition is never reserved", () => {
    const store = new CounterStore();
    const p: CompactPolicy = { tools: { t: [{ name: "r", when: [["state.t.c", "gte", 0n]], state: { counter: "c", window: "minute" } }] } };
    const ds = run(p, [call("t"), call("t")], store);
    expect(ds.map((d) => d.reservations)).toEqual([[], []]);
    expect(store.read("t.c", NOW)).toBe(0);
  });
  it("the minute window resets at :00 UTC", () => {
    const policy = buildPolicy(limited("1/minute"));
    const store = new CounterStore();
    const at = (iso: string) => decide(policy, call("t"), store, Date.parse(iso)).decision;
    expect([at("2026-03-04T10:31:00Z"), at("2026-03-04T10:31:59.999Z"), at("2026-03-04T10:32:00Z")])
      .toEqual(["allow", "throttle", "allow"]);
  });
  it("in-flight reservations are seen by the next call", () => {
    const ds = run(limited("1/minute"), [call("t"), call("t")]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "throttle"]);
  });
  it("a rolled-back call gives its quota back", () => {
    const policy = buildPolicy(limited("1/minute"));
    const store = new CounterStore();
    const a = decide(policy, call("t"), store, NOW);
    rollback(store, a.reservations);
    expect(decide(policy, call("t"), store, NOW).decision).toBe("allow");
  });
  it("reservation is all-or-nothing across tool and wildcard counters", () => {
    const p: CompactPolicy = { tools: {
      t: [{ name: "tool", rateLimit: "5/minute" }],
      "*": [{ name: "global", when: [["state._global.calls", "lte", 1n]], state: { counter: "calls", window: "minute" } }],
    } };
    const store = new CounterStore();
    const ds = run(p, [call("t"), call("t"), call("u")], store);
    // The second call passes its state condition (reads 1 <= 1), reserves t._rate_minute,
    // fails on _global.calls (1 + 1 > 1) and gives the tool counter back.
    expect(ds.map((d) => d.decision)).toEqual(["allow", "throttle", "throttle"]);
    expect(ds[1]!.rule).toBe("global");
    expect(store.read("t._rate_minute", NOW)).toBe(1);
    expect(ds[0]!.reservations.map((r) => r.key)).toEqual(["t._rate_minute", "_global.calls"]);
  });
  it("counters are global to the gateway across sessions", () => {
    const ds = run(limited("1/minute"), [call("t", {}, { session: "a" }), call("t", {}, { session: "b" })]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "throttle"]);
  });
  it("session-keyed counters count each session apart", () => {
    const p: CompactPolicy = { tools: { t: [{ name: "r", when: [["state.t.c", "lte", 1n]], state: { counter: "c", window: 60, keying: "session" } }] } };
    const ds = run(p, [call("t", {}, { session: "a" }), call("t", {}, { session: "b" }), call("t", {}, { session: "a" })]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "allow", "throttle"]);
    expect(ds[2]!.counters[0]!.key).toBe("session:a/t.c");
  });
  it("identity-keyed counters count each identity apart", () => {
    const p: CompactPolicy = { dialect: "policylayer", tools: { t: [{ name: "/tools/t/limits/c", when: [["state.t.c", "lte", 1n]],
      state: { counter: "c", window: "minute", keying: "identity" } }] } };
    const ds = run(p, [call("t", {}, { identity: "alice", session: "1" }), call("t", {}, { identity: "bob", session: "1" }),
      call("t", {}, { identity: "alice", session: "2" })]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "allow", "throttle"]);
    expect(ds[0]!.reservations[0]!.key).toBe("identity:alice/t.c");
  });
  it("increment_from truncates toward zero", () => {
    const p: CompactPolicy = { tools: { t: [{ name: "r", when: [["state.t.c", "lte", 100n]], state: { counter: "c", window: "day", incrementFrom: "args.n" } }] } };
    const ds = run(p, [call("t", { n: 2.9 }), call("t", { n: -1.9 })]);
    expect(ds.map((d) => d.reservations[0]!.amount)).toEqual([2, -1]);
  });
  it("increment_from reads nested arguments", () => {
    const p: CompactPolicy = { tools: { t: [{ name: "r", when: [["state.t.c", "lte", 100n]], state: { counter: "c", window: "day", incrementFrom: "args.a.b" } }] } };
    expect(run(p, [call("t", { a: { b: 7 } })])[0]!.reservations[0]!.amount).toBe(7);
  });
  it("missing increment_from denies with Internal policy error", () => {
    const p: CompactPolicy = { tools: { t: [{ name: "r", when: [["state.t.c", "lte", 100n]], state: { counter: "c", window: "day", incrementFrom: "args.n" } }] } };
    const ds = run(p, [call("t", {}), call("t", { n: "5" }), call("t", { n: null })]);
    for (const d of ds) expect(d).toMatchObject({ decision: "deny", message: "Internal policy error", reservations: [] });
  });
  it("a non-numeric increment_from denies even when its counter has no limit", () => {
    const p: CompactPolicy = { tools: { t: [{ name: "r", when: [["args.x", "exists", false]], state: { counter: "c", window: "day", incrementFrom: "args.n" } }] } };
    expect(run(p, [call("t", { n: true })])[0]!.message).toBe("Internal policy error");
  });
  it("an Internal policy error gives back the reservations made before it", () => {
    const store = new CounterStore();
    const p: CompactPolicy = { tools: {
      t: [{ name: "a", rateLimit: "5/minute" }],
      "*": [{ name: "b", when: [["state._global.c", "lte", 100n]], state: { counter: "c", window: "day", incrementFrom: "args.n" } }],
    } };
    run(p, [call("t", {})], store);
    expect(store.read("t._rate_minute", NOW)).toBe(0);
  });
  it("the sliding algorithm carries calls across the minute boundary", () => {
    const policy = buildPolicy(limited("2/minute"));
    const store = new CounterStore({ algorithm: "sliding" });
    const at = (iso: string) => decide(policy, call("t"), store, Date.parse(iso)).decision;
    expect([at("2026-03-04T10:31:58Z"), at("2026-03-04T10:31:59Z"), at("2026-03-04T10:32:01Z"), at("2026-03-04T10:32:58Z")])
      .toEqual(["allow", "allow", "throttle", "allow"]);
  });
  it("the token-bucket algorithm refills one call per window/limit", () => {
    const policy = buildPolicy(limited("2/minute"));
    const store = new CounterStore({ algorithm: "token-bucket" });
    const at = (s: number) => decide(policy, call("t"), store, NOW + s * 1000).decision;
    expect([at(0), at(1), at(2), at(31), at(32)]).toEqual(["allow", "allow", "throttle", "allow", "throttle"]);
  });
});

describe("grants (PolicyLayer)", () => {
  it("a caller without a grant of the policy is denied with (no policy)", () => {
    const p: CompactPolicy = { dialect: "policylayer", grants: ["alice-laptop"], tools: { t: [] } };
    const ds = run(p, [call("t", {}, { identity: "alice-laptop" }), call("t", {}, { identity: "mallory" }), call("t")]);
    expect(ds.map((d) => d.rule)).toEqual([null, "(no policy)", "(no policy)"]);
  });
  it("hidden comes before no policy", () => {
    const p: CompactPolicy = { dialect: "policylayer", grants: [], hide: ["t"] };
    expect(run(p, [call("t")])[0]!.rule).toBe("(hidden)");
  });
});

describe("require_approval", () => {
  const p: CompactPolicy = { tools: {
    pay: [
      { name: "big", action: "require_approval", when: [["args.amount", "gt", 1000n]], onDeny: "needs a human" },
      { name: "cap", when: [["args.amount", "lte", 5000n]] },
      { name: "lim", rateLimit: "10/minute" },
    ],
  } };
  it("a matching approval rule gives approval and reserves nothing", () => {
    const store = new CounterStore();
    const [d] = run(p, [call("pay", { amount: 2000 })], store);
    expect(d).toMatchObject({ decision: "approval", rule: "big", message: "needs a human", reservations: [] });
    expect(store.read("pay._rate_minute", NOW)).toBe(0);
  });
  it("an approval rule whose conditions do not hold lets the call through", () => {
    expect(run(p, [call("pay", { amount: 10 })])[0]!.decision).toBe("allow");
  });
  it("a later refusal wins over approval", () => {
    expect(run(p, [call("pay", { amount: 9000 })])[0]!.rule).toBe("cap");
  });
  it("an approved call goes on to its reservations", () => {
    const policy = buildPolicy(p);
    const store = new CounterStore();
    const d = decide(policy, call("pay", { amount: 2000 }), store, NOW, { approve: true });
    expect(d.decision).toBe("allow");
    expect(d.reservations).toHaveLength(1);
  });
});
