/**
 * Naming a change between two decisions of one call. The decision pair names it
 * (`allow->deny`); when the decision is the same, a different deciding rule is
 * `rule changed`, and the same rule with another message is `message changed`.
 */
import type { Decision, DecisionKind } from "../engine/types.js";

export type DecisionPair = `${DecisionKind}->${DecisionKind}`;
export type ChangeKind = DecisionPair | "rule changed" | "message changed";

/** Every change kind in the order reports list them: tightening, loosening, shifts, same decision. */
export const CHANGE_KINDS: readonly ChangeKind[] = [
  "allow->deny",
  "allow->throttle",
  "allow->approval",
  "deny->allow",
  "throttle->allow",
  "approval->allow",
  "throttle->deny",
  "approval->deny",
  "deny->throttle",
  "approval->throttle",
  "deny->approval",
  "throttle->approval",
  "rule changed",
  "message changed",
];

const ORDER = new Map<ChangeKind, number>(CHANGE_KINDS.map((k, i) => [k, i]));

export function changeOrder(kind: ChangeKind): number {
  return ORDER.get(kind) ?? CHANGE_KINDS.length;
}

/**
 * The change from base to head, or null when they agree on decision, rule and message.
 * `decisionsOnly`: two different gateways name rules and word messages their own way, so only
 * a different decision is a change between them.
 */
export function changeBetween(base: Decision, head: Decision, decisionsOnly = false): ChangeKind | null {
  if (base.decision !== head.decision) return `${base.decision}->${head.decision}`;
  if (decisionsOnly) return null;
  if (base.rule !== head.rule) return "rule changed";
  if (base.message !== head.message) return "message changed";
  return null;
}

/** A refusal (deny, throttle, approval) under base that head allows. */
export function isLoosening(kind: ChangeKind | null): boolean {
  return kind === "deny->allow" || kind === "throttle->allow" || kind === "approval->allow";
}

/** How a change kind reads in a headline: `allow→deny`, `newly throttled`, `rule changed`. */
export function changeLabel(kind: ChangeKind): string {
  switch (kind) {
    case "allow->throttle":
      return "newly throttled";
    case "throttle->allow":
      return "no longer throttled";
    case "allow->approval":
      return "newly held for approval";
    case "approval->allow":
      return "no longer held for approval";
    case "rule changed":
    case "message changed":
      return kind;
    default:
      return kind.replace("->", "→");
  }
}
