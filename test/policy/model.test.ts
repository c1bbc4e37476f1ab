import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPolicyFile } from "../../src/policy/load.js";
import { CORPUS } from "../helpers/corpus.js";
import { load, withRules } from "./helpers.js";
import type { LoadedPolicy } from "../../src/gateway/types.js";

const modelOf = (p: LoadedPolicy | null) => (p?.engine === "model" ? p.model : expect.unreachable("a model policy"));

function rulesOf(yaml: string, tool = "t") {
  const { policy, diagnostics } = load(yaml);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return tool === "*" ? policy!.wildcard : policy!.tools.get(tool)!.rules;
}

describe("compiling Intercept into the model", () => {
  it("rate_limit 5/minute expands to an lte condition, a calendar counter and the default message", () => {
    const [rule] = rulesOf(withRules("- name: per minute\n  rate_limit: 5/minute"));
    expect(rule!.action).toBe("evaluate");
    expect(rule!.conditions.map(({ path, op, value }) => ({ path, op, value }))).toEqual([{ path: "state.t._rate_minute", op: "lte", value: 5n }]);
    expect(rule!.counter).toEqual({ scope: "t", counter: "_rate_minute", window: { kind: "calendar", unit: "minute" }, keying: "gateway", increment: 1, limit: 5 });
    expect(rule!.denyMessage).toBe("Rate limit of 5 per minute reached. Try again later.");
    expect(rule!.limitMessage).toBe("Rate limit of 5 per minute reached. Try again later.");
  });

  it("a wildcard rate_limit counts in the _global scope", () => {
    const yaml = `version: "1"\ntools:\n  "*":\n    rules:\n      - {name: g, rate_limit: 60/hour, on_deny: slow down}\n`;
    const [rule] = rulesOf(yaml, "*");
    expect(rule!.counter?.scope).toBe("_global");
    expect(rule!.conditions[0]!.path).toBe("state._global._rate_hour");
    expect(rule!.denyMessage).toBe("slow down");
  });

  it("lte 10 on the rule's own counter gives limit 10 and lt 10 gives 9", () => {
    const make = (op: string, v: string) => withRules(`- name: r\n  conditions: [{path: state.t.n, op: ${op}, value: ${v}}]\n  state: {counter: n, window: hour}`);
    expect(rulesOf(make("lte", "10"))[0]!.counter?.limit).toBe(10);
    expect(rulesOf(make("lt", "10"))[0]!.counter?.limit).toBe(9);
  });

  it("a float bound is truncated toward zero as Go's int64() does", () => {
    const make = (op: string, v: string) => withRules(`- name: r\n  conditions: [{path: state.t.n, op: ${op}, value: ${v}}]\n  state: {counter: n, window: hour}`);
    expect(rulesOf(make("lte", "10.9"))[0]!.counter?.limit).toBe(10);
    expect(rulesOf(make("lt", "10.5"))[0]!.counter?.limit).toBe(9);
  });

  it("a bound outside int64 converts as Go's int64() on amd64: lte gives -2^63, lt wraps to 2^63-1", () => {
    const make = (op: string, v: string) => withRules(`- name: r\n  conditions: [{path: state.t.n, op: ${op}, value: ${v}}]\n  state: {counter: n, window: hour}`);
    expect(rulesOf(make("lte", "1e30"))[0]!.counter?.limit).toBe(-(2 ** 63));
    expect(rulesOf(make("lt", "1e30"))[0]!.counter?.limit).toBe(2 ** 63 - 1);
    expect(rulesOf(make("lte", ".nan"))[0]!.counter?.limit).toBe(-(2 ** 63));
  });

  it("a rate_limit count past 2^53 stays exact in the condition and the default message", () => {
    const [rule] = rulesOf(withRules("- name: huge\n  rate_limit: 9007199254740993/day"));
    expect(rule!.conditions[0]!.value).toBe(9007199254740993n);
    expect(rule!.denyMessage).toBe("Rate limit of 9007199254740993 per day reached. Try again later.");
  });

  it("action allow beside a rate_limit text is Intercept's shorthand, not the catalogue form", () => {
    const { policy, diagnostics } = load(withRules("- name: r\n  action: allow\n  rate_limit: 5/minute"));
    expect(diagnostics).toEqual([]);
    const rule = policy!.tools.get("t")!.rules[0]!;
    expect(rule.action).toBe("evaluate");
    expect(rule.counter).toMatchObject({ counter: "_rate_minute", keying: "gateway", limit: 5 });
  });

  it("a counter limited only from another rule has no limit", () => {
    const yaml = withRules("- name: a\n  action: deny\n  state: {counter: n, window: day}\n- name: b\n  conditions: [{path: state.t.n, op: lte, value: 3}]");
    const rules = load(yaml).policy!.tools.get("t")!.rules;
    expect(rules[0]!.counter?.limit).toBeUndefined();
  });

  it("increment_from and increment carry into the counter", () => {
    const [rule] = rulesOf(withRules("- name: r\n  conditions: [{path: state.t.spend, op: lte, value: 100}]\n  state: {counter: spend, window: day, increment_from: args.amount}"));
    expect(rule!.counter?.incrementFrom).toEqual({ path: "args.amount", segments: ["args", "amount"] });
    expect(rule!.counter?.increment).toBe(1);
  });

  it("deny messages default to Denied by rule with Go quoting, limit messages to Rate limit exceeded for", () => {
    const [rule] = rulesOf(withRules('- name: say "hi"\n  conditions: [{path: state.t.n, op: lt, value: 3}]\n  state: {counter: n, window: day}'));
    expect(rule!.denyMessage).toBe('Denied by rule "say \\"hi\\""');
    expect(rule!.limitMessage).toBe('Rate limit exceeded for say "hi"');
  });

  it("YAML integers are bigints and floats are numbers in condition values", () => {
    const [rule] = rulesOf(withRules("- name: r\n  conditions: [{path: args.a, op: in, value: [1, 1.5, 0755, 1_000, x]}]"));
    expect(rule!.conditions[0]!.value).toEqual([1n, 1.5, 493n, 1000n, "x"]);
  });

  it("regex conditions carry a Go RE2 matcher doing unanchored search", () => {
    const [rule] = rulesOf(withRules('- name: r\n  conditions: [{path: args.p, op: regex, value: "^/tmp/"}]'));
    expect(rule!.conditions[0]!.matcher?.test("/tmp/x")).toBe(true);
    expect(rule!.conditions[0]!.matcher?.test("/etc/tmp/")).toBe(false);
  });

  it("require_approval rules compile with or without conditions", () => {
    const rules = rulesOf(withRules("- {name: ask, action: require_approval}\n- name: ask big\n  action: require_approval\n  conditions: [{path: args.n, op: gt, value: 5}]"));
    expect(rules.map((r) => [r.action, r.conditions.length])).toEqual([["require_approval", 0], ["require_approval", 1]]);
  });

  it("hide, default and the dialect messages are set", () => {
    const p = load('version: "1"\ndefault: deny\nhide: [x]\ntools: {}\n').policy!;
    expect(p.defaultAction).toBe("deny");
    expect([...p.hide]).toEqual(["x"]);
    expect(p.messages.hidden("x")).toBe('Tool "x" is hidden by policy');
    expect(p.messages.defaultDeny("y")).toBe('Tool "y" is not permitted by policy');
    expect(p.messages.internalError).toBe("Internal policy error");
  });

  it("a tool written with no value is listed with no rules", () => {
    const p = load('version: "1"\ndefault: deny\ntools:\n  t:\n').policy!;
    expect(p.tools.get("t")?.rules).toEqual([]);
  });
});

describe.skipIf(CORPUS === undefined)("the 53 Intercept policies of the corpus", () => {
  const dir = CORPUS ?? "";
  const files = CORPUS === undefined ? [] : readdirSync(dir).filter((f) => f.endsWith(".yaml"));

  it("there are 53 of them", () => expect(files).toHaveLength(53));

  it.each(files)("%s loads clean with the tool count its header states", async (f) => {
    const path = join(dir, f);
    const { policy, diagnostics } = await loadPolicyFile(path);
    expect(diagnostics).toEqual([]);
    const stated = Number(/#\s+Tools: (\d+)/.exec(readFileSync(path, "utf8"))?.[1]);
    expect(modelOf(policy).tools.size).toBe(stated);
  });
});

describe("fixtures/policies/demo.yaml", () => {
  it("validates clean and keeps the ../ paths out of write_file", async () => {
    const { policy, diagnostics } = await loadPolicyFile("fixtures/policies/demo.yaml");
    expect(diagnostics).toEqual([]);
    const m = modelOf(policy).tools.get("write_file")!.rules[0]!.conditions[0]!.matcher!;
    expect(m.test("/tmp/a/b.txt")).toBe(true);
    expect(m.test("/tmp/.hidden")).toBe(true);
    expect(m.test("/tmp/../etc/passwd")).toBe(false);
    expect(modelOf(policy).wildcard[0]!.counter?.scope).toBe("_global");
  });
});
