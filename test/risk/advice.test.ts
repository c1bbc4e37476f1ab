import { describe, expect, it } from "vitest";
import { loadPolicyText } from "../../src/policy/load.js";
import type { Policy } from "../../src/policy/model.js";
import { adviseTools, policyGaps } from "../../src/risk/advice.js";
import { ruleToAdd } from "../../src/risk/rule-text.js";
import type { ToolInfo } from "../../src/tape/tools.js";

function policy(yaml: string): Policy {
  const loaded = loadPolicyText(yaml, "p.yaml", "intercept");
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return loaded.policy!;
}

const write: ToolInfo = { name: "create_issue" };
const destroy: ToolInfo = { name: "delete_repo" };
const run: ToolInfo = { name: "run_sql", inputSchema: { type: "object", properties: { sql: { type: "string" } } } };
const refund: ToolInfo = { name: "create_refund", inputSchema: { type: "object", properties: { amount: { type: "number" } } } };
const read: ToolInfo = { name: "list_issues" };

describe("advice per tool", () => {
  it("each tool gets its class, reason and the class's recommendation", () => {
    expect(adviseTools([write, read])).toEqual([
      { name: "create_issue", class: "Write", reason: "name starts with create_", advice: "rate-limit to 30 calls a minute" },
      { name: "list_issues", class: "Read", reason: "name starts with list_", advice: "allow" },
    ]);
  });
});

describe("gaps between a policy and the tools' classes", () => {
  const open = 'version: "1"\ntools: {}\n';

  it("a Write tool with no rate limit warns with the Intercept rule to add", () => {
    const [gap, ...rest] = policyGaps(policy(open), [write]);
    expect(rest).toEqual([]);
    expect(gap!.message).toBe('create_issue is a Write tool (name starts with create_) and has no rate limit; add under tools.create_issue.rules: {name: "create_issue rate limit", rate_limit: 30/minute}');
  });

  it("a Write tool limited by its own rule or by a \"*\" rule does not warn", () => {
    expect(policyGaps(policy('version: "1"\ntools:\n  create_issue:\n    rules:\n      - name: r\n        rate_limit: 5/minute\n'), [write])).toEqual([]);
    expect(policyGaps(policy('version: "1"\ntools:\n  "*":\n    rules:\n      - name: g\n        rate_limit: 60/minute\n'), [write])).toEqual([]);
  });

  it("read and other tools never warn", () => {
    expect(policyGaps(policy(open), [read, { name: "frobnicate" }])).toEqual([]);
  });

  it("a Destructive tool allowed without approval warns at its entry in the policy", () => {
    const gaps = policyGaps(policy('version: "1"\ntools:\n  delete_repo:\n    rules: []\n'), [destroy]);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.missing).toBe("approval");
    expect(gaps[0]!.pos).toMatchObject({ line: 3 });
    expect(gaps[0]!.message).toContain('{name: "delete_repo needs approval", action: require_approval}');
  });

  it("approval, a plain deny, hiding or default deny cover a Destructive tool", () => {
    expect(policyGaps(policy('version: "1"\ntools:\n  delete_repo:\n    rules:\n      - name: a\n        action: require_approval\n'), [destroy])).toEqual([]);
    expect(policyGaps(policy('version: "1"\ntools:\n  delete_repo:\n    rules:\n      - name: d\n        action: deny\n'), [destroy])).toEqual([]);
    expect(policyGaps(policy('version: "1"\nhide: [delete_repo]\n'), [destroy])).toEqual([]);
    expect(policyGaps(policy('version: "1"\ndefault: deny\ntools:\n  list_issues:\n    rules: []\n'), [destroy])).toEqual([]);
  });

  it("an Execute tool needs both a rate limit and an argument check", () => {
    expect(policyGaps(policy(open), [run]).map((g) => g.missing)).toEqual(["rate limit", "argument check"]);
    const limited = 'version: "1"\ntools:\n  run_sql:\n    rules:\n      - name: r\n        rate_limit: 10/minute\n';
    const [gap] = policyGaps(policy(limited), [run]);
    expect(gap!.missing).toBe("argument check");
    expect(gap!.message).toContain('conditions: [{path: args.sql, op: regex, value: "^\\\\s*(select|SELECT)\\\\s"}]');
    const checked = limited + "      - name: c\n        conditions:\n          - path: args.sql\n            op: regex\n            value: \"^select\"\n";
    expect(policyGaps(policy(checked), [run])).toEqual([]);
  });

  it("a Financial tool is covered by approval or by a cap on an argument", () => {
    expect(policyGaps(policy(open), [refund]).map((g) => g.missing)).toEqual(["amount cap"]);
    const capped = 'version: "1"\ntools:\n  create_refund:\n    rules:\n      - name: cap\n        conditions:\n          - path: args.amount\n            op: lte\n            value: 500\n';
    expect(policyGaps(policy(capped), [refund])).toEqual([]);
  });

  it("the rule to add is written in PolicyLayer JSON for a PolicyLayer policy", () => {
    expect(ruleToAdd("policylayer", write, "rate limit", 30)).toBe('add to tools.create_issue.limits: {"counter":"create_issue_rate","window":"minute","max":30,"scope":"grant"}');
    expect(ruleToAdd("policylayer", destroy, "approval", 0)).toBe("set tools.delete_repo.require_approval: true");
    expect(ruleToAdd("policylayer", refund, "amount cap", 0)).toContain('add to tools.create_refund.deny_if: {"path":"args.amount","op":"gt","value":10000}');
  });
});
