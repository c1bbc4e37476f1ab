/**
 * A replay whose call lines are made on the worker threads (`--jobs`): each worker renders
 * its tape's batches in every output's format (SplitCalls) and counts the tape's totals and
 * `--fail-on` outcomes, so the main thread only puts text in place and adds counts up,
 * instead of taking every decided call in again. Only when every output has such a format
 * (json, text), none is a terminal and no coverage needs the calls themselves (results files'
 * records are made on the threads too: UnitOutput.records).
 */
import { DECISION_KINDS } from "../engine/types.js";
import { TotalsCounter, type Totals } from "../replay/totals.js";
import type { DecidedCall, Summary } from "../replay/types.js";
import { replayRenderers } from "../report/replay-formats.js";
import type { ReplayMeta } from "../report/replay-renderer.js";
import type { ListView } from "../report/list-view.js";
import type { ColorMode } from "../report/color-mode.js";
import { FailCounts, type FailOutcome } from "../report/verdict.js";

/** What a worker needs to render a unit's calls as the main thread's outputs would. */
export interface SplitRun {
  /** Each output's format and colours, in the order of the run's outputs (Outputs.open's). */
  outputs: SplitOutput[];
  failOn: FailOutcome[];
  view: ListView;
}

export interface SplitOutput {
  format: string;
  color: ColorMode;
}

/**
 * Some batches of a unit's calls, each rendered for every output (`parts[k][output]`) and
 * still to be placed; `counts[k]` calls in part k.
 */
export interface RenderedBatch {
  parts: unknown[][];
  counts: number[];
  tape: string;
}

/** A unit's counts, sent when its calls are done. */
export interface UnitCounts {
  totals: Totals;
  fails: [FailOutcome, number][];
}

/**
 * The split run for these outputs, or undefined when one of them needs each call on the main
 * thread: a format without SplitCalls, a terminal (its lines are cut to fit), coverage.
 */
export async function splitRunFor(outputs: (SplitOutput & { toTerminal: boolean })[], coverage: boolean, run: Omit<SplitRun, "outputs">): Promise<SplitRun | undefined> {
  if (coverage || outputs.some((o) => o.toTerminal)) return undefined;
  const rendererFor = await replayRenderers(outputs.map((o) => o.format));
  if (!outputs.every((o) => rendererFor(o.format, false, o.color).split)) return undefined;
  return { outputs: outputs.map(({ format, color }) => ({ format, color })), ...run };
}

/**
 * Calls per message posted, about: one message per batch the reader yields (a chunk's worth)
 * cost a worker about a tenth of its time in postMessage. Batches are rendered as they come
 * and only their text waits, not long: what waits outlives the young generation (measured:
 * holding the calls themselves, or the text of 4096 calls, doubled a worker's GC time).
 */
const CALLS_PER_MESSAGE = 1024;

/** Renders and counts one unit's batches on a worker thread, posting the lines about a thousand calls at a time. */
export async function renderUnit(run: SplitRun, tape: string, batches: AsyncIterable<DecidedCall[]>, post: (batch: RenderedBatch) => void): Promise<UnitCounts> {
  const meta: ReplayMeta = { policy: "", tapes: [], failOn: new Set(run.failOn), warnings: [], view: run.view };
  const rendererFor = await replayRenderers(run.outputs.map((o) => o.format));
  const splits = run.outputs.map(({ format, color }) => {
    const renderer = rendererFor(format, false, color);
    renderer.start(meta);
    return renderer.split!;
  });
  const totals = new TotalsCounter();
  const fails = new FailCounts(meta.failOn);
  let local = 0;
  let pending: RenderedBatch = { parts: [], counts: [], tape };
  let pendingCalls = 0;
  const flush = () => {
    post(pending);
    pending = { parts: [], counts: [], tape };
    pendingCalls = 0;
  };
  for await (const calls of batches) {
    for (const call of calls) {
      totals.add(call);
      fails.add(call);
    }
    pending.parts.push(splits.map((s) => s.render(calls, local)));
    pending.counts.push(calls.length);
    local += calls.length;
    pendingCalls += calls.length;
    if (pendingCalls >= CALLS_PER_MESSAGE) flush();
  }
  if (pendingCalls > 0) flush();
  return { totals: totals.totals, fails: fails.counted() };
}

/** Adds a later unit's totals to the run's, as if its calls had been counted one by one (first seen, first listed). */
export function addTotals(into: Totals, more: Totals): void {
  addSummary(into.summary, more.summary);
  for (const [name, s] of more.byTool) {
    const tool = into.byTool.get(name);
    if (tool) addSummary(tool, s);
    else into.byTool.set(name, { ...s });
  }
  for (const [id, r] of more.byRule) {
    const rule = into.byRule.get(id);
    if (!rule) into.byRule.set(id, { rule: id, counts: { ...r.counts } });
    else for (const kind of DECISION_KINDS) rule.counts[kind] += r.counts[kind];
  }
}

function addSummary(into: Summary, s: Summary): void {
  into.calls += s.calls;
  into.changed += s.changed;
  for (const kind of DECISION_KINDS) into[kind] += s[kind];
}
