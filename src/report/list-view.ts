/**
 * Which calls a text or markdown report lists (`--only`, `--quiet`, `--all`) and whether it may
 * cut ids and names to fit a terminal (`--wide`). Totals always count every call; this only
 * chooses the lines.
 */
import type { DecisionKind } from "../engine/types.js";
import type { DecidedCall } from "../replay/types.js";
import type { DiffedCall } from "../diff/types.js";

export const LIST_KINDS = ["deny", "throttle", "approval", "undecided", "changed"] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export interface ListView {
  /** List only calls of these kinds; every call when absent. */
  only?: ReadonlySet<ListKind>;
  /** The summary alone: no call lines. */
  quiet: boolean;
  /** Keep listing every call past LONG_RUN calls. */
  all: boolean;
  /** Never cut ids, names or rules (also when the output is not a terminal). */
  wide: boolean;
}

export const DEFAULT_VIEW: ListView = { quiet: false, all: false, wide: false };

/** Past this many calls a text replay lists only the calls that matter, unless `--all`. */
export const LONG_RUN = 1_000;

/** A call that is not a plain allow, or whose decision differs from the recording. */
export function mattersInReplay(call: DecidedCall): boolean {
  return call.decision.decision !== "allow" || call.changed;
}

export function listsReplayCall(view: ListView, call: DecidedCall): boolean {
  if (view.quiet) return false;
  if (!view.only) return true;
  return view.only.has(call.decision.decision as ListKind) || (call.changed && view.only.has("changed"));
}

/** A diff lists changed calls; `--only` keeps those whose base or head decision is one of the kinds (`changed`: all of them). */
export function listsDiffCall(view: ListView, call: Pick<DiffedCall, "change"> & { base: { decision: DecisionKind }; head: { decision: DecisionKind } }): boolean {
  if (view.quiet || call.change === null) return false;
  if (!view.only || view.only.has("changed")) return true;
  return view.only.has(call.base.decision as ListKind) || view.only.has(call.head.decision as ListKind);
}
