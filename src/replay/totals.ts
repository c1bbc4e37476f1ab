/** Running counts over decided calls: the summary, per tool, per rule, and rule coverage. */
import type { DecisionKind } from "../engine/types.js";
import type { Gateway } from "../gateway/types.js";
import type { ToolAdvice } from "../risk/advice.js";
import { emptySummary, type DecidedCall, type Summary } from "./types.js";

export interface RuleCount {
  rule: string;
  counts: Record<DecisionKind, number>;
}

export interface Coverage {
  rules: number;
  exercised: number;
  percent: number;
  /** Rule ids of the policy that decided no call, in policy order. */
  unexercised: string[];
  /** Tools called in the tapes that have no rule of their own, by name. */
  toolsWithoutRules: string[];
  /** Risk class and advice for each tool the tapes' tools/list answers name (when any do). */
  tools?: ToolAdvice[];
  /** Cedar: tools no permit can reach, and tools the gateway would hide from tools/list. */
  unreachableTools?: string[];
  hiddenFromToolsList?: { tool: string; from: string[] }[];
}

export interface Totals {
  summary: Summary;
  byTool: Map<string, Summary>;
  byRule: Map<string, RuleCount>;
}

export class TotalsCounter {
  readonly totals: Totals = { summary: emptySummary(), byTool: new Map(), byRule: new Map() };

  add(call: DecidedCall): void {
    const kind = call.decision.decision;
    bump(this.totals.summary, kind, call.changed);
    let tool = this.totals.byTool.get(call.tool);
    if (!tool) this.totals.byTool.set(call.tool, (tool = emptySummary()));
    bump(tool, kind, call.changed);
    const ruleId = call.decision.rule;
    if (ruleId !== null) {
      let rule = this.totals.byRule.get(ruleId);
      if (!rule) this.totals.byRule.set(ruleId, (rule = { rule: ruleId, counts: { allow: 0, deny: 0, throttle: 0, approval: 0, undecided: 0 } }));
      rule.counts[kind]++;
    }
  }
}

function bump(s: Summary, kind: DecisionKind, changed: boolean): void {
  s.calls++;
  s[kind]++;
  if (changed) s.changed++;
}

/**
 * Which of the gateway's rules decided a call. A decision may name several rules at once
 * (Cedar's determining policies, joined with ", "): each of them counts as exercised.
 */
export function coverageOf(gateway: Gateway, totals: Totals): Coverage {
  const ids = gateway.ruleNames();
  const decided = new Set<string>();
  for (const rule of totals.byRule.keys()) {
    decided.add(rule);
    for (const part of rule.split(", ")) decided.add(part);
  }
  const unexercised = ids.filter((id) => !decided.has(id));
  const exercised = ids.length - unexercised.length;
  const toolsWithoutRules = [...totals.byTool.keys()].filter((tool) => !gateway.hasOwnRules(tool)).sort();
  return {
    rules: ids.length,
    exercised,
    percent: ids.length === 0 ? 100 : Math.round((1000 * exercised) / ids.length) / 10,
    unexercised,
    toolsWithoutRules,
    ...gateway.toolCoverage?.([...totals.byTool.keys()]),
  };
}
