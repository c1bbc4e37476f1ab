/**
 * The rules of dialect-intercept.md, pinned end to end: YAML text through the loader, then
 * decided by the engine. Each test is one rule of the spec.
 */
import { describe, expect, it } from "vitest";
import { createCounterStore } from "../../src/engine/counters.js";
import { decide, rollback } from "../../src/engine/decide.js";
import type { Call, Decision } from "../../src/engine/types.js";
import { loadPolicyText } from "../../src/policy/load.js";
import type { Policy } from "../../src/policy/model.js";

const NOW = Date.parse("2026-03-04T10:31:00Z");

function load(yaml: string): Policy {
  const loaded = loadPolicyText(yaml, "fidelity.yaml");
  const errors = loaded.diagnostics.filter((d) => d.severity === "error");
  expect(errors).toEqual([]);
  return loaded.policy!;
}

function one(yaml: string, args: unknown, tool = "t"): Decision {
  return decide(load(yaml), { tool, args, session: "s" }, createCounterStore(), NOW);
}

/** A tool `t` whose one rule holds a single condition. */
function cond(path: string, op: string, value: string): string {
  return `version: "1"
tools:
  t:
    rules:
      - name: c
        conditions:
          - path: ${path}
            op: ${op}
            value: ${value}
`;
}

const allowed = (yaml: string, args: unknown): boolean => one(yaml, args).decision === "allow";

describe("conditions (through the loader)", () => {
  it('the string "1" equals the number 1', () => {
    expect(allowed(cond("args.x", "eq", "1"), { x: "1" })).toBe(true);
  });
  it('true equals "true"', () => expect(allowed(cond("args.x", "eq", '"true"'), { x: true })).toBe(true));
  it('a policy value "1000000" is not eq to the number 1000000', () => {
    expect(allowed(cond("args.x", "eq", '"1000000"'), { x: 1000000 })).toBe(false);
  });
  it('a YAML integer 1000000 is eq to the argument "1000000"', () => {
    expect(allowed(cond("args.x", "eq", "1000000"), { x: "1000000" })).toBe(true);
  });
  it('a YAML float 1000000.0 is not eq to the argument "1000000"', () => {
    expect(allowed(cond("args.x", "eq", "1000000.0"), { x: "1000000" })).toBe(false);
  });
  it("two numbers always compare as numbers", () => {
    expect(allowed(cond("args.x", "eq", "1000000"), { x: 1e6 })).toBe(true);
    expect(allowed(cond("args.x", "eq", "2.50"), { x: 2.5 })).toBe(true);
  });
  it("an object operand with a __proto__ key prints that key, like the argument's", () => {
    expect(allowed(cond("args.x", "eq", "{__proto__: 1}"), JSON.parse('{"x": {"__proto__": 1}}'))).toBe(true);
    expect(allowed(cond("args.x", "eq", "{__proto__: 1}"), { x: {} })).toBe(false);
  });
  it("null prints <nil>, a list [a b], an object map[k:v] with sorted keys", () => {
    expect(allowed(cond("args.x", "eq", '"<nil>"'), { x: null })).toBe(true);
    expect(allowed(cond("args.x", "eq", '"[a b]"'), { x: ["a", "b"] })).toBe(true);
    expect(allowed(cond("args.x", "eq", '"map[a:1 b:2]"'), { x: { b: 2, a: 1 } })).toBe(true);
  });
  it("neq passes on null", () => expect(allowed(cond("args.x", "neq", "admin"), { x: null })).toBe(true));
  it("neq on a missing argument denies", () => expect(allowed(cond("args.x", "neq", "admin"), {})).toBe(false));
  it("not_in passes on null", () => expect(allowed(cond("args.x", "not_in", "[admin]"), { x: null })).toBe(true));
  it("not_in on a missing argument denies", () => expect(allowed(cond("args.x", "not_in", "[admin]"), {})).toBe(false));
  it("in matches an element by eq", () => expect(allowed(cond("args.x", "in", "[1, 2]"), { x: "2" })).toBe(true));
  it("lt 10 is false on a numeric string", () => expect(allowed(cond("args.x", "lt", "10"), { x: "5" })).toBe(false));
  it("lte compares numbers", () => {
    expect(allowed(cond("args.x", "lte", "10"), { x: 10 })).toBe(true);
    expect(allowed(cond("args.x", "lte", "10"), { x: 10.5 })).toBe(false);
  });
  it("regex is an unanchored RE2 search with inline flags", () => {
    expect(allowed(cond("args.x", "regex", '"(?i)drop"'), { x: "please DROP it" })).toBe(true);
    expect(allowed(cond("args.x", "regex", '"^feat/"'), { x: "fix/feat/x" })).toBe(false);
  });
  it("regex is false on non-strings", () => expect(allowed(cond("args.x", "regex", '"1"'), { x: 1 })).toBe(false));
  it("contains is substring on strings and element eq on lists", () => {
    expect(allowed(cond("args.x", "contains", "lo w"), { x: "hello world" })).toBe(true);
    expect(allowed(cond("args.x", "contains", "2"), { x: [1, "2"] })).toBe(true);
    expect(allowed(cond("args.x", "contains", "2"), { x: { 2: 2 } })).toBe(false);
  });
  it("exists is true when present and not null", () => {
    expect(allowed(cond("args.x", "exists", "true"), { x: 0 })).toBe(true);
    expect(allowed(cond("args.x", "exists", "true"), { x: null })).toBe(false);
    expect(allowed(cond("args.x", "exists", "false"), {})).toBe(true);
  });
  it("args.a.b walks nested objects; a non-object on the way is missing", () => {
    expect(allowed(cond("args.a.b", "eq", "1"), { a: { b: 1 } })).toBe(true);
    expect(allowed(cond("args.a.b", "exists", "false"), { a: [{ b: 1 }] })).toBe(true);
  });
});

describe("deciding a tools/call (through the loader)", () => {
  it("a hidden tool is denied with (hidden)", () => {
    const d = one(`version: "1"\nhide: [rm]\ntools: {}\n`, {}, "rm");
    expect(d).toMatchObject({ decision: "deny", rule: "(hidden)", message: 'Tool "rm" is hidden by policy' });
  });
  it("hide * hides every tool", () => {
    expect(one(`version: "1"\nhide: ["*"]\n`, {}, "anything").rule).toBe("(hidden)");
  });
  it("default deny is not rescued by wildcard rules", () => {
    const y = `version: "1"
default: deny
tools:
  ok:
    rules: []
  "*":
    rules:
      - name: g
        rate_limit: 100/minute
`;
    const d = one(y, {}, "other");
    expect(d).toMatchObject({ decision: "deny", rule: "(default deny)", message: 'Tool "other" is not permitted by policy' });
    expect(one(y, {}, "ok").decision).toBe("allow");
  });
  it("a listed tool with rules: [] is allowed under default deny", () => {
    expect(one(`version: "1"\ndefault: deny\ntools:\n  t:\n    rules: []\n`, {}).decision).toBe("allow");
  });
  it("a deny rule without on_deny says Denied by rule \"<name>\"", () => {
    const d = one(`version: "1"\ntools:\n  t:\n    rules:\n      - name: block it\n        action: deny\n`, {});
    expect(d).toMatchObject({ decision: "deny", rule: "block it", message: 'Denied by rule "block it"' });
  });
  it("on_deny is the message of a refusing rule", () => {
    const d = one(`version: "1"\ntools:\n  t:\n    rules:\n      - name: r\n        action: deny\n        on_deny: "Not here."\n`, {});
    expect(d.message).toBe("Not here.");
  });
  it("tool rules come before wildcard rules", () => {
    const y = `version: "1"
tools:
  t:
    rules:
      - name: tool rule
        action: deny
  "*":
    rules:
      - name: wild rule
        action: deny
`;
    expect(one(y, {}).rule).toBe("tool rule");
    expect(one(y, {}, "u").rule).toBe("wild rule");
  });
});

describe("counters (through the loader)", () => {
  const run = (yaml: string, calls: Partial<Call>[], store = createCounterStore(), now = NOW): Decision[] => {
    const p = load(yaml);
    return calls.map((c) => decide(p, { tool: "t", args: {}, session: "s", ...c }, store, now));
  };
  const times = (n: number, c: Partial<Call> = {}): Partial<Call>[] => Array.from({ length: n }, () => c);

  it("rate_limit N/W allows N calls, then throttles with the shorthand's message", () => {
    const ds = run(`version: "1"\ntools:\n  t:\n    rules:\n      - name: lim\n        rate_limit: 2/hour\n`, times(3));
    expect(ds.map((d) => d.decision)).toEqual(["allow", "allow", "throttle"]);
    expect(ds[2]!.message).toBe("Rate limit of 2 per hour reached. Try again later.");
    expect(ds[0]!.reservations[0]!.key).toBe("t._rate_hour");
  });
  const counted = (op: string, n: number, extra = "") => `version: "1"
tools:
  t:
    rules:
      - name: limited
        conditions:
          - path: state.t.n
            op: ${op}
            value: ${n}
        state:
          counter: n
          window: minute
${extra}`;
  it("a state path naming no counter reads 0, as Intercept's store reads a key never set", () => {
    const noCounter = (op: string) => `version: "1"\ntools:\n  t:\n    rules:\n      - name: r\n        conditions: [{path: state.t, op: ${op}, value: 0}]\n`;
    expect(run(noCounter("lte"), times(1))[0]!.decision).toBe("allow");
    expect(run(noCounter("gt"), times(1))[0]!.decision).toBe("throttle");
  });
  it("lt 10 allows nine calls", () => {
    const ds = run(counted("lt", 10), times(10));
    expect(ds.filter((d) => d.decision === "allow")).toHaveLength(9);
    expect(ds[9]).toMatchObject({ decision: "throttle", message: "Rate limit exceeded for limited" });
  });
  it("lte 3 allows three calls", () => {
    expect(run(counted("lte", 3), times(5)).filter((d) => d.decision === "allow")).toHaveLength(3);
  });
  it("a minute window starts at :00 UTC", () => {
    const p = load(counted("lte", 1));
    const store = createCounterStore();
    const at = (iso: string) => decide(p, { tool: "t", args: {}, session: "s" }, store, Date.parse(iso)).decision;
    expect([at("2026-03-04T10:31:30Z"), at("2026-03-04T10:31:59.999Z"), at("2026-03-04T10:32:00Z")])
      .toEqual(["allow", "throttle", "allow"]);
  });
  it("in-flight reservations are seen by the next call, and rollback gives them back", () => {
    const p = load(counted("lte", 1));
    const store = createCounterStore();
    const a = decide(p, { tool: "t", args: {}, session: "s" }, store, NOW);
    expect(decide(p, { tool: "t", args: {}, session: "s" }, store, NOW).decision).toBe("throttle");
    rollback(store, a.reservations);
    expect(decide(p, { tool: "t", args: {}, session: "s" }, store, NOW).decision).toBe("allow");
  });
  it("counters are global to the gateway across sessions", () => {
    const ds = run(counted("lte", 1), [{ session: "a" }, { session: "b", identity: "other" }]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "throttle"]);
  });
  const spend = `version: "1"
tools:
  t:
    rules:
      - name: spend
        conditions:
          - path: state.t.total
            op: lte
            value: 100
        state:
          counter: total
          window: day
          increment_from: args.amount
`;
  it("increment_from truncates toward zero", () => {
    const ds = run(spend, [{ args: { amount: 2.9 } }, { args: { amount: -1.9 } }]);
    expect(ds.map((d) => d.reservations[0]!.amount)).toEqual([2, -1]);
  });
  it("missing increment_from denies with Internal policy error", () => {
    for (const args of [{}, { amount: "5" }, { amount: null }]) {
      expect(run(spend, [{ args }])[0]).toMatchObject({ decision: "deny", message: "Internal policy error" });
    }
  });
  it("reservation is all-or-nothing across tool and wildcard counters", () => {
    const y = `version: "1"
tools:
  t:
    rules:
      - name: tool
        rate_limit: 5/minute
  "*":
    rules:
      - name: global
        conditions:
          - path: state._global.calls
            op: lte
            value: 1
        state:
          counter: calls
          window: minute
`;
    const store = createCounterStore();
    const ds = run(y, times(2), store);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "throttle"]);
    expect(ds[1]).toMatchObject({ rule: "global", message: "Rate limit exceeded for global" });
    expect(store.read("t._rate_minute", NOW)).toBe(1);
  });
  it("a false state condition is a throttle; a false argument condition is a deny", () => {
    const y = `version: "1"
tools:
  t:
    rules:
      - name: cap
        conditions:
          - path: state.t.total
            op: lte
            value: 1000
        state:
          counter: total
          window: day
          increment_from: args.amount
      - name: soft
        conditions:
          - path: state.t.total
            op: lt
            value: 500
      - name: small
        conditions:
          - path: args.amount
            op: lt
            value: 700
`;
    const ds = run(y, [{ args: { amount: 600 } }, { args: { amount: 1 } }, { args: { amount: 900 } }]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "throttle", "throttle"]);
    const fresh = run(y, [{ args: { amount: 900 } }]);
    expect(fresh[0]).toMatchObject({ decision: "deny", rule: "small" });
  });
});

describe("require_approval (PR #3, through the loader)", () => {
  const y = `version: "1"
tools:
  pay:
    rules:
      - name: big
        action: require_approval
        conditions:
          - path: args.amount
            op: gt
            value: 1000
      - name: lim
        rate_limit: 10/minute
`;
  it("a matching require_approval rule gives the outcome approval and reserves nothing", () => {
    const store = createCounterStore();
    const d = decide(load(y), { tool: "pay", args: { amount: 5000 }, session: "s" }, store, NOW);
    expect(d).toMatchObject({ decision: "approval", rule: "big", reservations: [] });
    expect(store.read("pay._rate_minute", NOW)).toBe(0);
  });
  it("an approved call goes through and reserves its counters", () => {
    const d = decide(load(y), { tool: "pay", args: { amount: 5000 }, session: "s" }, createCounterStore(), NOW, { approve: true });
    expect(d.decision).toBe("allow");
    expect(d.reservations.map((r) => r.key)).toEqual(["pay._rate_minute"]);
  });
  it("a call the approval rule does not match is decided as usual", () => {
    expect(decide(load(y), { tool: "pay", args: { amount: 5 }, session: "s" }, createCounterStore(), NOW).decision).toBe("allow");
  });
});

// Go's yaml.v3 (v3.0.1, Intercept's) reads an untagged plain date or time into a condition's
// `value: any` as a time.Time (decode_test.go: "a: 2015-01-01" into map[string]interface{} is
// time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)), and Intercept's evalEq compares what is not a
// number by fmt's %v, time.Time.String (internal/engine/operators.go).
describe("an unquoted date is a Go time.Time (yaml.v3), compared by its Go text", () => {
  it("eq 2015-01-01 never matches the argument \"2015-01-01\"; quoted, it does", () => {
    expect(allowed(cond("args.d", "eq", "2015-01-01"), { d: "2015-01-01" })).toBe(false);
    expect(allowed(cond("args.d", "eq", '"2015-01-01"'), { d: "2015-01-01" })).toBe(true);
  });

  it("it matches the one argument that is its Go text", () => {
    expect(allowed(cond("args.d", "eq", "2015-01-01"), { d: "2015-01-01 00:00:00 +0000 UTC" })).toBe(true);
    expect(allowed(cond("args.d", "eq", "2015-02-24T18:19:39.123456789-03:00"), { d: "2015-02-24 18:19:39.123456789 -0300 -0300" })).toBe(true);
  });

  it("in a list too, and neq always holds", () => {
    expect(allowed(cond("args.d", "in", "[2015-01-01, x]"), { d: "2015-01-01" })).toBe(false);
    expect(allowed(cond("args.d", "neq", "2015-01-01"), { d: "2015-01-01" })).toBe(true);
  });

  it("contains never matches a string argument (Go's evalContains wants a string value)", () => {
    expect(allowed(cond("args.d", "contains", "2015-01-01"), { d: "on 2015-01-01" })).toBe(false);
  });
});
