/**
 * Running counts over diffed calls: the summary, changes by kind, by tool and by rule.
 * A changed call is `direct` when it is the first change of its session and `counterfactual`
 * otherwise, so `changed = direct + counterfactual`.
 */
import { changeOrder, isLoosening, type ChangeKind } from "./change-kind.js";
import type { DiffedCall } from "./types.js";

export interface ChangeCount {
  changed: number;
  direct: number;
  counterfactual: number;
  kinds: Map<ChangeKind, number>;
}

export interface DiffSummary extends ChangeCount {
  calls: number;
  /** Changed calls that a refusal under base became allow under head. */
  loosened: number;
}

export interface DiffTotals {
  summary: DiffSummary;
  byKind: Map<ChangeKind, ChangeCount>;
  byTool: Map<string, ChangeCount>;
  /** Keyed by the rule pair `base rule → head rule` (see ruleGroup). */
  byRule: Map<string, ChangeCount>;
  /** Rule ids that decided a changed call, under base and under head. */
  rules: { base: Set<string>; head: Set<string> };
}

export function emptyCount(): ChangeCount {
  return { changed: 0, direct: 0, counterfactual: 0, kinds: new Map() };
}

const NO_RULE = "(no rule)";

/** The group a change belongs to by rule: the deciding rule under each policy. */
export function ruleGroup(call: DiffedCall): string {
  const base = call.base.rule ?? NO_RULE;
  const head = call.head.rule ?? NO_RULE;
  return base === head ? base : `${base} → ${head}`;
}

export class DiffTotalsCounter {
  readonly totals: DiffTotals = {
    summary: { calls: 0, loosened: 0, ...emptyCount() },
    byKind: new Map(),
    byTool: new Map(),
    byRule: new Map(),
    rules: { base: new Set(), head: new Set() },
  };

  /** Counts `n` calls whose decision did not change, as `add` would count each of them. */
  addUnchanged(n: number): void {
    this.totals.summary.calls += n;
  }

  add(call: DiffedCall): void {
    const t = this.totals;
    t.summary.calls++;
    const kind = call.change;
    if (kind === null) return;
    bump(t.summary, kind, call.counterfactual);
    if (isLoosening(kind)) t.summary.loosened++;
    bump(groupOf(t.byKind, kind), kind, call.counterfactual);
    bump(groupOf(t.byTool, call.tool), kind, call.counterfactual);
    bump(groupOf(t.byRule, ruleGroup(call)), kind, call.counterfactual);
    if (call.base.rule !== null) t.rules.base.add(call.base.rule);
    if (call.head.rule !== null) t.rules.head.add(call.head.rule);
  }
}

function groupOf<K>(map: Map<K, ChangeCount>, key: K): ChangeCount {
  let c = map.get(key);
  if (!c) map.set(key, (c = emptyCount()));
  return c;
}

function bump(c: ChangeCount, kind: ChangeKind, counterfactual: boolean): void {
  c.changed++;
  if (counterfactual) c.counterfactual++;
  else c.direct++;
  c.kinds.set(kind, (c.kinds.get(kind) ?? 0) + 1);
}

/** A count's kinds in report order, only those that occurred. */
export function kindsInOrder(c: ChangeCount): [ChangeKind, number][] {
  return [...c.kinds].sort(([a], [b]) => changeOrder(a) - changeOrder(b));
}

/** Groups sorted by most changes first, then by name, for stable reports. */
export function groupsInOrder(map: Map<string, ChangeCount>): [string, ChangeCount][] {
  return [...map].sort(([a, x], [b, y]) => y.changed - x.changed || (a < b ? -1 : a > b ? 1 : 0));
}

