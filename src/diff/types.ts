/** What a diff of two policies over the same calls produces: each call with both decisions. */
import type { Decision, DecisionKind } from "../engine/types.js";
import type { ChangeKind } from "./change-kind.js";

/** The part of a decision a diff compares and reports. */
export interface DecisionSide {
  decision: DecisionKind;
  rule: string | null;
  message: string | null;
  errors?: string[];
}

export interface DiffedCall {
  session: string;
  seq: number;
  /** Virtual time, ms. */
  t: number;
  tool: string;
  args: unknown;
  base: Decision;
  head: Decision;
  /** What changed from base to head; null when decision, rule and message are all the same. */
  change: ChangeKind | null;
  /**
   * An earlier call of the same session (same tape) changed, so the agent would have seen a
   * different answer before this call: what follows may not have happened under head.
   */
  counterfactual: boolean;
  tape: string;
  line: number;
}

export function sideOf(d: Decision): DecisionSide {
  return { decision: d.decision, rule: d.rule, message: d.message, ...(d.errors ? { errors: d.errors } : {}) };
}
