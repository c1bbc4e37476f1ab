/**
 * Risk classes of the seed documents' policy catalogues, and the rule each class calls for.
 * One place for the numbers, so the starter writer and the advice agree.
 */
export const RISK_CLASSES = ["Read", "Write", "Execute", "Destructive", "Financial", "Other"] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

export interface Classification {
  class: RiskClass;
  /** Why, in words a user can check: `name starts with delete_`, `annotation readOnlyHint: true`. */
  reason: string;
}

/** What the catalogues recommend per class (calls per minute for rate limits). */
export const RECOMMENDED_RATE: Partial<Record<RiskClass, number>> = { Write: 30, Execute: 10 };

/** One line per class: what a policy should do with such a tool. */
export const RECOMMENDATION: Record<RiskClass, string> = {
  Read: "allow",
  Write: "rate-limit to 30 calls a minute",
  Execute: "rate-limit to 10 calls a minute and check its arguments",
  Destructive: "require approval, or deny",
  Financial: "require approval, or cap the amount",
  Other: "review it: no class was recognised",
};
