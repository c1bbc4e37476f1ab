/** The one-line summary of a diff: `1,204 calls: 9 allow→deny, 2 deny→allow, 5 newly throttled`. */
import { changeLabel, type ChangeKind } from "../diff/change-kind.js";
import { kindsInOrder, type ChangeCount, type DiffSummary } from "../diff/totals.js";

/** Made on first use: making one starts ICU, which costs every command that imports this file. */
let numbers: Intl.NumberFormat | undefined;

export function count(n: number): string {
  numbers ??= new Intl.NumberFormat("en-US");
  return numbers.format(n);
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

/**
 * How many changes the edit caused before any history changed, said so that a reviewer does
 * not read "after divergence" as "not caused by this edit". Each changed session has exactly
 * one direct change (its first), so `direct` is also the number of sessions the edit changed.
 */
export function directLine(s: DiffSummary): string {
  const sessions = s.direct === 1 ? "its session" : `each of ${count(s.direct)} sessions`;
  const direct = `${count(s.direct)} direct (the first change in ${sessions}, with the history up to it identical: caused by this edit before any history changed)`;
  if (s.counterfactual === 0) return `${count(s.changed)} changed: ${direct}.`;
  return `${count(s.changed)} changed: ${direct}; ${count(s.counterfactual)} after divergence (later in a session that had already changed: the edit may cause these too, but the agent would have seen another answer first, so they may not have happened).`;
}

/** A side of a change for reports: `deny by block-writes`. */
export function sideText(d: { decision: string; rule: string | null }): string {
  return d.rule === null ? d.decision : `${d.decision} by ${d.rule}`;
}
