/** The one-line summary of a diff: `1,204 calls: 9 allow→deny, 2 deny→allow, 5 newly throttled`. */
import { changeLabel, type ChangeKind } from "../diff/change-kind.js";
import { kindsInOrder, type ChangeCount, type DiffSummary } from "../diff/totals.js";

const NUMBER = new Intl.NumberFormat("en-US");

export function count(n: number): string {
  return NUMBER.format(n);
}

/** `9 allow→deny, 1 rule changed` for a group's kinds. */
export function kindList(c: ChangeCount, paint?: (kind: ChangeKind, text: string) => string): string {
  return kindsInOrder(c)
    .map(([kind, n]) => {
      const text = `${count(n)} ${changeLabel(kind)}`;
      return paint ? paint(kind, text) : text;
    })
    .join(", ");
}

export function diffHeadline(s: DiffSummary, paint?: (kind: ChangeKind, text: string) => string): string {
  const calls = `${count(s.calls)} call${s.calls === 1 ? "" : "s"}`;
  if (s.changed === 0) return `${calls}: no decision changed`;
  return `${calls}: ${kindList(s, paint)}`;
}

/** `3 direct, 5 counterfactual` — how many changes are first in their session. */
export function directLine(s: DiffSummary): string {
  return `${count(s.changed)} changed: ${count(s.direct)} direct, ${count(s.counterfactual)} counterfactual (after an earlier change in the same session)`;
}

/** A side of a change for reports: `deny by block-writes`. */
export function sideText(d: { decision: string; rule: string | null }): string {
  return d.rule === null ? d.decision : `${d.decision} by ${d.rule}`;
}
