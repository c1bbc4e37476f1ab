/**
 * Advice from a recorded tool list: each tool's class and what its class recommends, and,
 * against a policy, a warning for every rule the class calls for that the policy lacks.
 */
import type { Position } from "../errors.js";
import type { Policy } from "../policy/model.js";
import type { ToolInfo } from "../tape/tools.js";
import { RECOMMENDATION, type RiskClass } from "./classes.js";
import { classifyTool } from "./classify.js";
import { guardsOf, type Guards } from "./guards.js";
import { recommendedRate, ruleToAdd, type Missing } from "./rule-text.js";

/** One tool as `validate --tools` prints it (`--format json`: `tools[]`). */
export interface ToolAdvice {
  name: string;
  class: RiskClass;
  reason: string;
  advice: string;
}

export interface PolicyGap {
  tool: string;
  class: RiskClass;
  missing: Missing;
  /** What is missing and the rule to add, in the policy's dialect. */
  message: string;
  /** Where the tool is listed in the policy, when it is. */
  pos?: Position;
}

export function adviseTools(tools: ToolInfo[]): ToolAdvice[] {
  return tools.map((tool) => {
    const c = classifyTool(tool);
    return { name: tool.name, class: c.class, reason: c.reason, advice: RECOMMENDATION[c.class] };
  });
}

/** What each class needs that these guards do not give; empty when the tool is covered. */
function missingFor(cls: RiskClass, g: Guards): Missing[] {
  if (g.blocked !== undefined || g.approval) return [];
  switch (cls) {
    case "Write":
      return g.rateLimited ? [] : ["rate limit"];
    case "Execute":
      return [...(g.rateLimited ? [] : ["rate limit" as const]), ...(g.argumentChecks ? [] : ["argument check" as const])];
    case "Destructive":
      return ["approval"];
    case "Financial":
      return g.amountCap ? [] : ["amount cap"];
    default:
      return [];
  }
}

const LACKS: Record<Missing, string> = {
  "rate limit": "has no rate limit",
  "argument check": "has no argument check",
  approval: "is allowed without approval or deny",
  "amount cap": "is allowed with no approval or amount cap",
};

export function policyGaps(policy: Policy, tools: ToolInfo[]): PolicyGap[] {
  const gaps: PolicyGap[] = [];
  for (const tool of tools) {
    const c = classifyTool(tool);
    const guards = guardsOf(policy, tool.name);
    for (const missing of missingFor(c.class, guards)) {
      const rate = c.class === "Write" || c.class === "Execute" ? recommendedRate(c.class) : 0;
      gaps.push({
        tool: tool.name,
        class: c.class,
        missing,
        message: `${tool.name} is a ${c.class} tool (${c.reason}) and ${LACKS[missing]}; ${ruleToAdd(policy.dialect, tool, missing, rate)}`,
        ...(guards.pos ? { pos: guards.pos } : {}),
      });
    }
  }
  return gaps;
}
