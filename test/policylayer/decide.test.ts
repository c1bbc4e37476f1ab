import { describe, expect, it } from "vitest";
import { createCounterStore } from "../../src/engine/counters.js";
import { decide, rollback } from "../../src/engine/decide.js";
import { call, NOW, policyOf, run } from "./helpers.js";

const base = { version: "1", default: "deny" };
const limit = (counter: string, max: number, extra: Record<string, unknown> = {}) => ({ counter, window: "minute", max, ...extra });

describe("PolicyLayer decisions (our reading)", () => {
  it("a tool listed as {} is allowed; an unlisted tool is denied by default deny", () => {
    const p = policyOf({ ...base, tools: { read_case: {} } });
    const [a, b] = run(p, [call("read_case"), call("delete_case")]);
    expect(a).toMatchObject({ decision: "allow", rule: null });
    expect(b).toMatchObject({ decision: "deny", rule: "(default deny)", message: 'Tool "delete_case" is not permitted by policy' });
  });

  it("default allow lets unlisted tools through", () => {
    const [d] = run(policyOf({ version: "1", default: "allow" }), [call("anything")]);
    expect(d!.decision).toBe("allow");
  });

  it("a hidden tool is denied with (hidden), before no policy and default deny", () => {
    const p = policyOf({ ...base, hide: ["delete_account"], grants: ["bob"] });
    const [d] = run(p, [call("delete_account", {}, "alice")]);
    expect(d).toMatchObject({ decision: "deny", rule: "(hidden)", message: 'Tool "delete_account" is hidden by policy' });
  });

  it("a grant without the policy is denied with (no policy), before default deny", () => {
    const p = policyOf({ ...base, grants: ["alice-laptop"], tools: { create_case: {} } });
    const [alice, bob, nobody, unlisted] = run(p, [
      call("create_case", {}, "alice-laptop"), call("create_case", {}, "ci-runner"), call("create_case", {}, undefined), call("other", {}, "ci-runner"),
    ]);
    expect(alice!.decision).toBe("allow");
    expect(bob).toMatchObject({ decision: "deny", rule: "(no policy)" });
    expect(nobody).toMatchObject({ decision: "deny", rule: "(no policy)" });
    expect(unlisted!.rule).toBe("(no policy)");
  });

  it("without grants every caller has the policy", () => {
    expect(policyOf({ ...base }).grants).toBeUndefined();
  });

  it("a JSON integer is a float64 however large, never one of Go's YAML integer types", () => {
    // 12345678901234567000 is within uint64, which Intercept's conv would not compare as a number.
    const p = policyOf({ ...base, tools: { create_charge: { deny_if: [{ path: "args.amount", op: "gt", value: 12345678901234567000 }] } } });
    const [big, small] = run(p, [call("create_charge", { amount: 2e19 }), call("create_charge", { amount: 5 })]);
    expect(big!.decision).toBe("deny");
    expect(small!.decision).toBe("allow");
  });

  it("a deny_if item that holds denies, with a JSON Pointer rule id", () => {
    const p = policyOf({ ...base, tools: { create_charge: { deny_if: [{ path: "args.amount", op: "gt", value: 1000 }] } } });
    const [small, big, missing] = run(p, [call("create_charge", { amount: 1000 }), call("create_charge", { amount: 1000.5 }), call("create_charge", {})]);
    expect(small!.decision).toBe("allow");
    expect(big).toMatchObject({ decision: "deny", rule: "/tools/create_charge/deny_if/args.amount-gt", message: 'Denied by rule "/tools/create_charge/deny_if/args.amount-gt"' });
    // Intercept's rule: every operator but exists is false on a missing path, so deny_if does not fire.
    expect(missing!.decision).toBe("allow");
  });

  it("any deny_if item denies; the first that holds is the rule", () => {
    const p = policyOf({ ...base, tools: { t: { deny_if: [{ path: "args.a", op: "eq", value: 1 }, { path: "args.b", op: "eq", value: 2 }] } } });
    const ds = run(p, [call("t", { a: 1, b: 2 }), call("t", { b: 2 }), call("t", { a: 0, b: 0 })]);
    expect(ds.map((d) => d.rule)).toEqual(["/tools/t/deny_if/args.a-eq", "/tools/t/deny_if/args.b-eq", null]);
  });

  it("every require item must hold", () => {
    const p = policyOf({
      ...base,
      tools: { t: { require: [{ path: "args.currency", op: "in", value: ["usd", "eur"] }, { path: "args.amount", op: "lte", value: 100 }] } },
    });
    const ds = run(p, [call("t", { currency: "usd", amount: 100 }), call("t", { currency: "gbp", amount: 1 }), call("t", { currency: "eur", amount: 101 }), call("t", { currency: "eur" })]);
    expect(ds.map((d) => [d.decision, d.rule])).toEqual([
      ["allow", null],
      ["deny", "/tools/t/require/args.currency-in"],
      ["deny", "/tools/t/require/args.amount-lte"],
      ["deny", "/tools/t/require/args.amount-lte"],
    ]);
  });

  it("comparisons follow Intercept: the string \"1\" eq the number 1, a numeric string is not a number", () => {
    const p = policyOf({ ...base, tools: { t: { deny_if: [{ path: "args.n", op: "eq", value: 1 }, { path: "args.m", op: "gt", value: 5 }] } } });
    const ds = run(p, [call("t", { n: "1" }), call("t", { m: "9" }), call("t", { m: 9 })]);
    expect(ds.map((d) => d.rule)).toEqual(["/tools/t/deny_if/args.n-eq", null, "/tools/t/deny_if/args.m-gt"]);
  });

  it("deny_if is decided before require, whatever the key order in the file", () => {
    const text = '{"version": "1", "default": "deny", "tools": {"t": {"require": [{"path": "args.a", "op": "eq", "value": 1}], "deny_if": [{"path": "args.b", "op": "exists", "value": true}]}}}';
    const [d] = run(policyOf(text), [call("t", { b: 0 })]);
    expect(d!.rule).toBe("/tools/t/deny_if/args.b-exists");
  });

  it("require_approval holds a call for a human after deny_if and require pass", () => {
    const p = policyOf({ ...base, tools: { refund: { require_approval: true, require: [{ path: "args.amount", op: "lte", value: 500 }] } } });
    const [held, refused] = run(p, [call("refund", { amount: 10 }), call("refund", { amount: 501 })]);
    expect(held).toMatchObject({ decision: "approval", rule: "/tools/refund/require_approval", message: 'Approval required by rule "/tools/refund/require_approval"', reservations: [] });
    expect(refused).toMatchObject({ decision: "deny", rule: "/tools/refund/require/args.amount-lte" });
  });

  it("require_approval false changes nothing", () => {
    const [d] = run(policyOf({ ...base, tools: { t: { require_approval: false } } }), [call("t")]);
    expect(d!.decision).toBe("allow");
  });

  it("an approval reserves nothing; an approved call then takes its quota", () => {
    const p = policyOf({ ...base, tools: { t: { require_approval: true, limits: [limit("c", 1)] } } });
    const store = createCounterStore();
    expect(decide(p, call("t"), store, NOW).decision).toBe("approval");
    expect(decide(p, call("t"), store, NOW, { approve: true }).decision).toBe("allow");
    expect(decide(p, call("t"), store, NOW, { approve: true })).toMatchObject({ decision: "throttle", rule: "/tools/t/limits/c" });
  });

  it("max calls a minute are allowed, the next is throttled, and the next minute starts over", () => {
    const p = policyOf({ ...base, tools: { create_case: { limits: [limit("create_case_rate", 30, { scope: "grant" })] } } });
    const store = createCounterStore();
    const minute = Date.parse("2026-03-04T10:31:00Z");
    const ds = Array.from({ length: 31 }, (_, i) => decide(p, call("create_case"), store, minute + i * 1000));
    expect(ds.slice(0, 30).every((d) => d.decision === "allow")).toBe(true);
    expect(ds[30]).toMatchObject({
      decision: "throttle", rule: "/tools/create_case/limits/create_case_rate", message: "Rate limit of 30 per minute reached. Try again later.",
    });
    expect(decide(p, call("create_case"), store, Date.parse("2026-03-04T10:32:00Z")).decision).toBe("allow");
  });

  it("scope grant keeps one quota per identity: alice's calls do not use bob's", () => {
    const p = policyOf({ ...base, tools: { t: { limits: [limit("c", 2, { scope: "grant" })] } } });
    const ds = run(p, [call("t", {}, "alice"), call("t", {}, "alice"), call("t", {}, "alice"), call("t", {}, "bob"), call("t", {}, "bob")]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "allow", "throttle", "allow", "allow"]);
  });

  it("scope defaults to grant", () => {
    const p = policyOf({ ...base, tools: { t: { limits: [limit("c", 1)] } } });
    expect(run(p, [call("t", {}, "alice"), call("t", {}, "bob")]).map((d) => d.decision)).toEqual(["allow", "allow"]);
  });

  it("scope server shares one quota across identities", () => {
    const p = policyOf({ ...base, tools: { t: { limits: [limit("c", 2, { scope: "server" })] } } });
    const ds = run(p, [call("t", {}, "alice"), call("t", {}, "bob"), call("t", {}, "carol")]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "allow", "throttle"]);
  });

  it("hour and day windows are aligned to the UTC calendar", () => {
    const p = policyOf({ ...base, tools: { t: { limits: [{ counter: "h", window: "hour", max: 1 }] }, u: { limits: [{ counter: "d", window: "day", max: 1 }] } } });
    const at = (iso: string) => Date.parse(iso);
    const ds = run(p, [
      { ...call("t"), at: at("2026-03-04T10:59:59Z") }, { ...call("t"), at: at("2026-03-04T11:00:00Z") },
      { ...call("u"), at: at("2026-03-04T23:59:59Z") }, { ...call("u"), at: at("2026-03-05T00:00:00Z") },
      { ...call("u"), at: at("2026-03-05T12:00:00Z") },
    ]);
    expect(ds.map((d) => d.decision)).toEqual(["allow", "allow", "allow", "allow", "throttle"]);
  });

  it("the same counter name under two tools is two counters", () => {
    const p = policyOf({ ...base, tools: { a: { limits: [limit("calls", 1)] }, b: { limits: [limit("calls", 1)] } } });
    expect(run(p, [call("a"), call("b")]).map((d) => d.decision)).toEqual(["allow", "allow"]);
  });

  it("all_tools limits count every call, after the tool's own limits", () => {
    const p = policyOf({
      ...base,
      all_tools: { limits: [limit("calls-per-minute", 3)] },
      tools: { a: { limits: [limit("a_rate", 1)] }, b: {} },
    });
    const ds = run(p, [call("a"), call("a"), call("b"), call("b"), call("b")]);
    expect(ds.map((d) => [d.decision, d.rule])).toEqual([
      ["allow", null],
      ["throttle", "/tools/a/limits/a_rate"],
      ["allow", null],
      ["allow", null],
      ["throttle", "/all_tools/limits/calls-per-minute"],
    ]);
  });

  it("reservation is all-or-nothing: a throttle by all_tools gives the tool's quota back", () => {
    const p = policyOf({ ...base, all_tools: { limits: [limit("all", 1, { scope: "server" })] }, tools: { a: { limits: [limit("a_rate", 5)] } } });
    const store = createCounterStore();
    expect(run(p, [call("a", {}, "bob"), call("a", {}, "alice")], store).map((d) => d.decision)).toEqual(["allow", "throttle"]);
    expect(store.read("identity:alice/a.a_rate", NOW)).toBe(0);
  });

  it("quota is given back when the upstream call fails", () => {
    const p = policyOf({ ...base, tools: { t: { limits: [limit("c", 1)] } } });
    const store = createCounterStore();
    const first = decide(p, call("t"), store, NOW);
    rollback(store, first.reservations);
    expect(decide(p, call("t"), store, NOW).decision).toBe("allow");
  });

  it("a refusal by deny_if or require takes no quota", () => {
    const p = policyOf({ ...base, tools: { t: { deny_if: [{ path: "args.x", op: "eq", value: true }], limits: [limit("c", 1)] } } });
    expect(run(p, [call("t", { x: true }), call("t", { x: false })]).map((d) => d.decision)).toEqual(["deny", "allow"]);
  });

  it("rule ids escape / and ~ in tool and counter names (RFC 6901)", () => {
    const p = policyOf({ ...base, tools: { "fs/write~1": { limits: [limit("a/b", 1)], deny_if: [{ path: "args.p", op: "contains", value: ".." }] } } });
    const ds = run(p, [call("fs/write~1", { p: "../x" }), call("fs/write~1", { p: "x" }), call("fs/write~1", { p: "y" })]);
    expect(ds.map((d) => d.rule)).toEqual(["/tools/fs~1write~01/deny_if/args.p-contains", null, "/tools/fs~1write~01/limits/a~1b"]);
  });
});
