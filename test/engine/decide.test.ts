/**
 * The engine's decision steps, on policies loaded through the real loaders (short Intercept
 * YAML in flow style, the catalogue form, PolicyLayer JSON), so every message checked here is
 * one a user sees. Expected texts come from docs/spec/dialect-intercept.md ("Deciding one
 * tools/call", "Shorthand"), dialect-catalog.md and dialect-policylayer.md.
 */
import { describe, expect, it } from "vitest";
import { createCounterStore } from "../../src/engine/counters.js";
import { decide, rollback } from "../../src/engine/decide.js";
import type { Call, Decision } from "../../src/engine/types.js";
import { loadPolicyText } from "../../src/policy/load.js";
import type { Policy } from "../../src/policy/model.js";

const NOW = Date.parse("2026-03-04T10:31:00Z");
const call = (tool: string, args: unknown = {}, extra: Partial<Call> = {}): Call => ({ tool, args, session: "s1", ...extra });

/** Loads a policy text (dialect detected as for a file), refusing one with errors; warnings are fine. */
function load(text: string): Policy {
  const loaded = loadPolicyText(text, "decide.yaml");
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return loaded.policy!;
}

/** An Intercept policy: `tools` and any other top-level keys, in YAML flow style. */
const intercept = (tools: string, top = ""): string => `version: "1"\n${top}tools: ${tools}\n`;

function run(text: string, calls: Call[], store = createCounterStore(), now = NOW): Decision[] {
  const policy = load(text);
  return calls.map((c) => decide(policy, c, store, now));
}

describe("hide", () => {
  it("a hidden tool is denied with (hidden)", () => {
    const [d] = run(intercept("{rm: {rules: []}}", "hide: [rm]\n"), [call("rm")]);
    expect(d).toMatchObject({ decision: "deny", rule: "(hidden)", message: 'Tool "rm" is hidden by policy' });
  });
  it("hide * hides every tool", () => {
    const ds = run(intercept("{}", 'hide: ["*"]\n'), [call("a"), call("b")]);
    expect(ds.map((d) => d.rule)).toEqual(["(hidden)", "(hidden)"]);
  });
  it("hidden comes before default deny", () => {
    const [d] = run(intercept("{}", "default: deny\nhide: [x]\n"), [call("x")]);
    expect(d!.rule).toBe("(hidden)");
  });
});

describe("default deny", () => {
  it("an unlisted tool is denied with (default deny)", () => {
    const [d] = run(intercept("{ok: {rules: []}}", "default: deny\n"), [call("other")]);
    expect(d).toMatchObject({ decision: "deny", rule: "(default deny)", message: 'Tool "other" is not permitted by policy' });
  });
  it("default deny is not rescued by wildcard rules", () => {
    const [d] = run(intercept('{"*": {rules: [{name: g, rate_limit: 100/minute}]}}', "default: deny\n"), [call("x")]);
    expect(d!.rule).toBe("(default deny)");
  });
  it("a listed tool with rules: [] is allowed under default deny", () => {
    const [d] = run(intercept("{read_file: {rules: []}}", "default: deny\n"), [call("read_file")]);
    expect(d).toEqual({ decision: "allow", rule: null, message: null, reservations: [], counters: [] });
  });
  it("an unlisted tool under default allow still meets the wildcard rules", () => {
    const p = intercept('{"*": {rules: [{name: no drop, conditions: [{path: args.sql, op: regex, value: "(?i)drop"}]}]}}');
    expect(run(p, [call("anything", { sql: "select" })])[0]!.decision).toBe("deny");
  });
});

describe("rules", () => {
  it("a deny rule denies with its on_deny", () => {
    const [d] = run(intercept('{rm: {rules: [{name: block, action: deny, on_deny: "No."}]}}'), [call("rm")]);
    expect(d).toMatchObject({ decision: "deny", rule: "block", message: "No." });
  });
  it("without on_deny the message is Denied by rule \"<name>\"", () => {
    const [d] = run(intercept("{rm: {rules: [{name: block, action: deny}]}}"), [call("rm")]);
    expect(d!.message).toBe('Denied by rule "block"');
  });
  it("the first false condition of an evaluate rule denies", () => {
    const p = intercept(`{pay: {rules: [
      {name: max, conditions: [{path: args.amount, op: lte, value: 100}], on_deny: too much},
      {name: cur, conditions: [{path: args.currency, op: in, value: [usd]}], on_deny: bad currency}]}}`);
    const ds = run(p, [call("pay", { amount: 50, currency: "usd" }), call("pay", { amount: 500, currency: "eur" }),
      call("pay", { amount: 5, currency: "eur" })]);
    expect(ds.map((d) => d.message)).toEqual([null, "too much", "bad currency"]);
  });
  it("tool rules come before wildcard rules", () => {
    const p = intercept('{t: {rules: [{name: tool rule, action: deny}]}, "*": {rules: [{name: wild rule, action: deny}]}}');
    expect(run(p, [call("t")])[0]!.rule).toBe("tool rule");
  });

  /** One rule `r` on tool `t` with these conditions, and calls to `t` with these arguments. */
  const oneRule: [name: string, conditions: string, args: unknown[], decisions: Decision["decision"][]][] = [
    ["conditions of one rule are ANDed", "[{path: args.a, op: eq, value: 1}, {path: args.b, op: eq, value: 2}]",
      [{ a: 1, b: 2 }, { a: 1, b: 3 }], ["allow", "deny"]],
    ["not_in on a missing argument denies", "[{path: args.role, op: not_in, value: [admin]}]", [{}], ["deny"]],
    ["neq passes on null", "[{path: args.role, op: neq, value: admin}]", [{ role: null }], ["allow"]],
    ["a condition on a false argument path is a deny, not a throttle", "[{path: args.n, op: lt, value: 3}]", [{ n: 9 }], ["deny"]],
    ["arguments that are not an object make every args path missing", "[{path: args.x, op: exists, value: false}]",
      [[1, 2], null, "str"], ["allow", "allow", "allow"]],
  ];
  it.each(oneRule)("%s", (_name, conditions, args, decisions) => {
    const ds = run(intercept(`{t: {rules: [{name: r, conditions: ${conditions}}]}}`), args.map((a) => call("t", a)));
    expect(ds.map((d) => d.decision)).toEqual(decisions);
  });
});

describe("rate limits", () => {
  const limited = (n: string): string => intercept(`{t: {rules: [{name: lim, rate_limit: ${n}}]}}`);
  /** Tool `t` with one rule `name` holding `conditions` and the state block `state`. */
  const counted = (name: string, conditions: string, state: string, wildcard = ""): string =>
    intercept(`{t: {rules: [{name: ${name}, conditions: ${conditions}, state: ${state}}]}${wildcard}}`);
  const calls = (n: number, c: Call = call("t")): Call[] => Array.from({ length: n }, () => c);

  it("rate_limit 3/minute allows three calls a minute, then throttles with its message", () => {
    const ds = run(limited("3/minute"), calls(4));
    expect(ds.map((d) => d.decision)).toEqual(["allow", "allow", "allow", "throttle"]);
    expect(ds[3]).toMatchObject({ rule: "lim", message: "Rate limit of 3 per minute reached. Try again later." });
    expect(ds[3]!.counters).toEqual([{ key: "t._rate_minute", value: 3, limit: 3 }]);
  });
  it("lt 10 allows nine calls", () => {
    const ds = run(counted("nine", "[{path: state.t.n, op: lt, value: 10}]", "{counter: n, window: hour}"), calls(11));
    expect(ds.filter((d) => d.decision === "allow")).toHaveLength(9);
    expect(ds[9]).toMatchObject({ decision: "throttle", message: "Rate limit exceeded for nine" });
  });
  it("lte 5 allows five calls", () => {
    const ds = run(counted("five", "[{path: state.t.n, op: lte, value: 5}]", "{counter: n, window: day}"), calls(7));
    expect(ds.filter((d) => d.decision === "allow")).toHaveLength(5);
  });
  it("a full counter refuses at its reservation with the rule's limit message", () => {
    const p = counted("spend", "[{path: state.t.total, op: lt, value: 100}]", "{counter: total, window: day, increment_from: args.amount}");
    const ds = run(p, [call("t", { amount: 99 }), call("t", { amount: 1 })]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "throttle"]);
    expect(ds[1]).toMatchObject({ rule: "spend", message: "Rate limit exceeded for spend" });
    expect(ds[1]!.counters).toEqual([{ key: "t.total", value: 99, limit: 99 }]);
  });
  it("a false state condition is a throttle with the rule's deny message and reports the counter", () => {
    const p = intercept(`{t: {rules: [
      {name: cap, conditions: [{path: state.t.total, op: lte, value: 1000}], state: {counter: total, window: day, increment_from: args.amount}},
      {name: soft, conditions: [{path: state.t.total, op: lt, value: 500}]}]}}`);
    const ds = run(p, [call("t", { amount: 600 }), call("t", { amount: 1 })]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "throttle"]);
    expect(ds[1]).toMatchObject({ rule: "soft", message: 'Denied by rule "soft"' });
    expect(ds[1]!.counters).toEqual([{ key: "t.total", value: 600, limit: 1000 }]);
  });
  it("state conditions see the value before this call", () => {
    // lte 1 on a counter incremented by 5: the condition sees 0 and passes, the reservation
    // of 5 > 1 refuses.
    const [d] = run(counted("r", "[{path: state.t.c, op: lte, value: 1}]", "{counter: c, window: minute, increment: 5}"), [call("t")]);
    expect(d).toMatchObject({ decision: "throttle", message: "Rate limit exceeded for r" });
    expect(d!.counters).toEqual([{ key: "t.c", value: 0, limit: 1 }]);
  });
  it("a counter without a lt/lte condition is never reserved", () => {
    const store = createCounterStore();
    const ds = run(counted("r", "[{path: state.t.c, op: gte, value: 0}]", "{counter: c, window: minute}"), calls(2), store);
    expect(ds.map((d) => d.reservations)).toEqual([[], []]);
    expect(store.read("t.c", NOW)).toBe(0);
  });
  it("the minute window resets at :00 UTC", () => {
    const policy = load(limited("1/minute"));
    const store = createCounterStore();
    const at = (iso: string) => decide(policy, call("t"), store, Date.parse(iso)).decision;
    expect([at("2026-03-04T10:31:00Z"), at("2026-03-04T10:31:59.999Z"), at("2026-03-04T10:32:00Z")])
      .toEqual(["allow", "throttle", "allow"]);
  });
  it("in-flight reservations are seen by the next call", () => {
    expect(run(limited("1/minute"), calls(2)).map((d) => d.decision)).toEqual(["allow", "throttle"]);
  });
  it("a rolled-back call gives its quota back", () => {
    const policy = load(limited("1/minute"));
    const store = createCounterStore();
    const a = decide(policy, call("t"), store, NOW);
    rollback(store, a.reservations);
    expect(decide(policy, call("t"), store, NOW).decision).toBe("allow");
  });
  it("reservation is all-or-nothing across tool and wildcard counters", () => {
    const p = intercept(`{t: {rules: [{name: tool, rate_limit: 5/minute}]},
      "*": {rules: [{name: global, conditions: [{path: state._global.calls, op: lte, value: 1}], state: {counter: calls, window: minute}}]}}`);
    const store = createCounterStore();
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
  it("session-keyed counters (the catalogue form) count each session apart", () => {
    // dialect-catalog.md: "counters per session, fixed windows of `window` seconds".
    const p = intercept("{t: {rules: [{name: r, action: allow, rate_limit: {max: 1, window: 60}}]}}");
    const ds = run(p, [call("t", {}, { session: "a" }), call("t", {}, { session: "b" }), call("t", {}, { session: "a" })]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "allow", "throttle"]);
    expect(ds[2]!.counters[0]!.key).toMatch(/^session:a\/t\./);
  });
  it("identity-keyed counters (PolicyLayer scope grant) count each identity apart", () => {
    const p = JSON.stringify({
      version: "1", default: "allow",
      tools: { t: { limits: [{ counter: "c", window: "minute", max: 1, scope: "grant" }] } },
    });
    const ds = run(p, [call("t", {}, { identity: "alice", session: "1" }), call("t", {}, { identity: "bob", session: "1" }),
      call("t", {}, { identity: "alice", session: "2" })]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "allow", "throttle"]);
    expect(ds[2]!.rule).toBe("/tools/t/limits/c");
    expect(ds[0]!.reservations[0]!.key).toBe("identity:alice/t.c");
  });

  const fromArg = (path: string): string =>
    counted("r", "[{path: state.t.c, op: lte, value: 100}]", `{counter: c, window: day, increment_from: ${path}}`);
  it("increment_from truncates toward zero", () => {
    const ds = run(fromArg("args.n"), [call("t", { n: 2.9 }), call("t", { n: -1.9 })]);
    expect(ds.map((d) => d.reservations[0]!.amount)).toEqual([2, -1]);
  });
  it("increment_from reads nested arguments", () => {
    expect(run(fromArg("args.a.b"), [call("t", { a: { b: 7 } })])[0]!.reservations[0]!.amount).toBe(7);
  });
  it("missing increment_from denies with Internal policy error", () => {
    const ds = run(fromArg("args.n"), [call("t", {}), call("t", { n: "5" }), call("t", { n: null })]);
    for (const d of ds) expect(d).toMatchObject({ decision: "deny", message: "Internal policy error", reservations: [] });
  });
  it("a non-numeric increment_from denies even when its counter has no limit", () => {
    const p = counted("r", "[{path: args.x, op: exists, value: false}]", "{counter: c, window: day, increment_from: args.n}");
    expect(run(p, [call("t", { n: true })])[0]!.message).toBe("Internal policy error");
  });
  it("an Internal policy error gives back the reservations made before it", () => {
    const store = createCounterStore();
    const p = intercept(`{t: {rules: [{name: a, rate_limit: 5/minute}]},
      "*": {rules: [{name: b, conditions: [{path: state._global.c, op: lte, value: 100}], state: {counter: c, window: day, increment_from: args.n}}]}}`);
    run(p, [call("t", {})], store);
    expect(store.read("t._rate_minute", NOW)).toBe(0);
  });
  it("the sliding algorithm carries calls across the minute boundary", () => {
    const policy = load(limited("2/minute"));
    const store = createCounterStore("sliding");
    const at = (iso: string) => decide(policy, call("t"), store, Date.parse(iso)).decision;
    expect([at("2026-03-04T10:31:58Z"), at("2026-03-04T10:31:59Z"), at("2026-03-04T10:32:01Z"), at("2026-03-04T10:32:58Z")])
      .toEqual(["allow", "allow", "throttle", "allow"]);
  });
  it("the token-bucket algorithm refills one call per window/limit", () => {
    const policy = load(limited("2/minute"));
    const store = createCounterStore("token-bucket");
    const at = (s: number) => decide(policy, call("t"), store, NOW + s * 1000).decision;
    expect([at(0), at(1), at(2), at(31), at(32)]).toEqual(["allow", "allow", "throttle", "allow", "throttle"]);
  });
});

describe("grants (PolicyLayer)", () => {
  it("a caller without a grant of the policy is denied with (no policy)", () => {
    const p = JSON.stringify({ version: "1", default: "allow", grants: ["alice-laptop"], tools: { t: {} } });
    const ds = run(p, [call("t", {}, { identity: "alice-laptop" }), call("t", {}, { identity: "mallory" }), call("t")]);
    expect(ds.map((d) => d.rule)).toEqual([null, "(no policy)", "(no policy)"]);
  });
  it("hidden comes before no policy", () => {
    const p = JSON.stringify({ version: "1", default: "allow", grants: [], hide: ["t"], tools: {} });
    expect(run(p, [call("t")])[0]!.rule).toBe("(hidden)");
  });
});

describe("require_approval", () => {
  const p = intercept(`{pay: {rules: [
    {name: big, action: require_approval, conditions: [{path: args.amount, op: gt, value: 1000}], on_deny: needs a human},
    {name: cap, conditions: [{path: args.amount, op: lte, value: 5000}]},
    {name: lim, rate_limit: 10/minute}]}}`);
  it("a matching approval rule gives approval and reserves nothing", () => {
    const store = createCounterStore();
    const [d] = run(p, [call("pay", { amount: 2000 })], store);
    expect(d).toMatchObject({ decision: "approval", rule: "big", message: "[INTERCEPT APPROVAL REQUIRED] needs a human", reservations: [] });
    expect(store.read("pay._rate_minute", NOW)).toBe(0);
  });
  it("an approval rule whose conditions do not hold lets the call through", () => {
    expect(run(p, [call("pay", { amount: 10 })])[0]!.decision).toBe("allow");
  });
  it("a later refusal wins over approval", () => {
    expect(run(p, [call("pay", { amount: 9000 })])[0]!.rule).toBe("cap");
  });
  it("an approved call goes on to its reservations", () => {
    const d = decide(load(p), call("pay", { amount: 2000 }), createCounterStore(), NOW, { approve: true });
    expect(d.decision).toBe("allow");
    expect(d.reservations).toHaveLength(1);
  });
});
