/**
 * The rule a class calls for, written in the policy's own dialect, as one line a user can paste:
 * a YAML flow mapping for Intercept, a JSON object for PolicyLayer.
 */
import type { Dialect } from "../policy/model.js";
import type { ToolInfo } from "../tape/tools.js";
import { amountExample, executeExample, type ExampleCondition } from "./arguments.js";
import { RECOMMENDED_RATE } from "./classes.js";

export type Missing = "rate limit" | "argument check" | "approval" | "amount cap";

const q = (s: string) => JSON.stringify(s);

function yamlCondition(c: { path: string; op: string; value: string | number }): string {
  return `{path: ${c.path}, op: ${c.op}, value: ${typeof c.value === "string" ? q(c.value) : c.value}}`;
}

/** `add under tools.X.rules: {...}` or `add to tools.X.limits: {...}`. */
export function ruleToAdd(dialect: Dialect, tool: ToolInfo, missing: Missing, rate: number): string {
  const name = tool.name;
  const key = /^[A-Za-z0-9_-]+$/.test(name) ? `tools.${name}` : `tools[${q(name)}]`;
  const check: ExampleCondition = missing === "amount cap" ? amountExample(tool) : executeExample(tool);
  if (dialect === "policylayer") {
    switch (missing) {
      case "rate limit":
        return `add to ${key}.limits: ${JSON.stringify({ counter: `${name}_rate`, window: "minute", max: rate, scope: "grant" })}`;
      case "approval":
        return `set ${key}.require_approval: true`;
      case "argument check":
        return `add to ${key}.require: ${JSON.stringify({ path: check.path, op: check.op, value: check.value })} (${check.says})`;
      case "amount cap":
        return `add to ${key}.deny_if: ${JSON.stringify({ path: check.path, op: "gt", value: check.value })} (refuses ${check.says}), or set ${key}.require_approval: true`;
    }
  }
  switch (missing) {
    case "rate limit":
      return `add under ${key}.rules: {name: ${q(`${name} rate limit`)}, rate_limit: ${rate}/minute}`;
    case "approval":
      return `add under ${key}.rules: {name: ${q(`${name} needs approval`)}, action: require_approval}`;
    case "argument check":
      return `add under ${key}.rules: {name: ${q(`${name} allowed arguments`)}, conditions: [${yamlCondition(check)}]} (${check.says})`;
    case "amount cap":
      return `add under ${key}.rules: {name: ${q(`${name} amount cap`)}, conditions: [${yamlCondition({ path: check.path, op: "lte", value: check.value })}]}, or {name: ${q(`${name} needs approval`)}, action: require_approval}`;
  }
}

export function recommendedRate(cls: "Write" | "Execute"): number {
  return RECOMMENDED_RATE[cls]!;
}
