/**
 * A replay report renderer: data in, text out, in three steps so long replays stream.
 * `call` is given each decided call in replay order; `end` gets the totals.
 */
import type { Coverage, Totals } from "../replay/totals.js";
import type { DecidedCall, ReplayOptions } from "../replay/types.js";
import type { Policy } from "../policy/model.js";
import type { Decision, DecisionKind } from "../engine/types.js";
import type { ListView } from "./list-view.js";

export interface ReplayMeta {
  policy: string;
  tapes: string[];
  /** Outcomes that make the run fail (`--fail-on`). */
  failOn: Set<DecisionKind | "changed">;
  /** Tape warnings (cut lines, missing end) seen while reading. */
  warnings: string[];
  /** The loaded policy and replay options, for reports that show windows and counter levels (html). */
  policyModel?: Policy;
  options?: ReplayOptions;
  /** Which calls text and markdown list (`--only`, `--quiet`, `--all`, `--wide`); every call when absent. */
  view?: ListView;
}

export interface ReplayEnd {
  totals: Totals;
  coverage?: Coverage;
  coverageThreshold?: number;
}

/** `End` is what `end` gives: a string, or pieces for a report too long to hold at once (junit). */
export interface ReplayRenderer<End extends string | Iterable<string> = string> {
  start(meta: ReplayMeta): string;
  call(call: DecidedCall, index: number): string;
  end(end: ReplayEnd): End;
  /** Formats whose call lines `--jobs` can make on the worker threads (json, text). */
  split?: SplitCalls;
}

/**
 * A format's call lines made in two steps, so `--jobs` makes the costly one on the worker
 * thread that decided the calls and the main thread only puts the text in place: `render` a
 * batch of one tape's calls knowing only where it starts in its tape (`local`; its place in
 * the run is at least that), then, on the main thread in input order, `place` it knowing the
 * run index of its first call. The batch is plain data (posted between threads); a batch that
 * is bytes (a Uint8Array with a buffer of its own) is handed over, not copied, and placed as
 * bytes. Each renderer's start() is called first on both sides; `place(render(calls, local),
 * first)` is what `call` gives for those calls at indexes first, first + 1, … (as UTF-8 when bytes).
 */
export interface SplitCalls<Batch = unknown> {
  render(calls: readonly DecidedCall[], local: number): Batch;
  place(batch: Batch, first: number): string | Uint8Array;
}

/** Whether this call is one the run fails on. */
export function failsOn(call: DecidedCall, failOn: ReplayMeta["failOn"]): boolean {
  return failOn.has(call.decision.decision) || (call.changed && failOn.has("changed"));
}

/** A decision's message with the engine's evaluation errors after it, for one-line formats. */
export function messageWithErrors(d: Decision): string {
  const errors = d.errors ?? [];
  if (errors.length === 0) return d.message ?? "";
  return `${d.message ?? ""}${d.message ? " " : ""}[evaluation error${errors.length === 1 ? "" : "s"}: ${errors.join("; ")}]`;
}

export function iso(t: number): string {
  return new Date(Math.floor(t)).toISOString();
}

/** A call's time as reports write it: the tape's own text when replay kept it, else formatted. */
export function callTime(call: DecidedCall): string {
  return call.time ?? iso(call.t);
}
