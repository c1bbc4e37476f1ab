/**
 * The timeline's data, collected call by call with bounded memory: the first `detailCap`
 * calls in full (what a click shows), every call counted in time bins per tool (what a dense
 * timeline draws), and the time range. Shared by the replay and diff pages: a replay call has
 * one decision ("side"), a diff call two (base, head).
 */
import type { DecisionKind } from "../../engine/types.js";
import { TimeBins, type BinsData } from "./bins.js";
import type { CounterChart, ToolWindow } from "./counter-levels.js";

/** Calls kept in full for the click detail; later ones are only counted in bins. */
export const DETAIL_CAP = 20_000;
/** Longest argument JSON kept per call. */
const ARGS_CAP = 2_000;

/** One call as the page shows it. */
export interface CallMark {
  t: number;
  tool: string;
  /** The decision on each side (replay: one; diff: base, head). */
  d: DecisionKind[];
  /** Replay: differs from the recorded decision; diff: base and head differ. */
  changed: boolean;
  /** Label and text pairs for the detail panel, in order. */
  fields: [string, string][];
  /** The arguments as the tape holds them (already redacted by the recorder), as JSON. */
  args: string;
}

export interface TimelineData {
  /** Lane names, one per side. */
  sides: string[];
  t0: number;
  t1: number;
  tools: { name: string; windows: ToolWindow[] }[];
  calls: CallMark[];
  callsTotal: number;
  detailCap: number;
  bins: BinsData;
  counters: CounterChart[];
  /** Counter keys beyond what is charted. */
  countersUntracked: number;
}

export class TimelineCollector {
  private readonly calls: CallMark[] = [];
  private readonly bins: TimeBins;
  private readonly toolOrder = new Set<string>();
  private total = 0;
  private t0 = Infinity;
  private t1 = -Infinity;

  constructor(private readonly sides: string[]) {
    this.bins = new TimeBins(sides.length);
  }

  /** Counts a call; `detail` is only asked for while calls are kept in full. */
  add(t: number, tool: string, d: DecisionKind[], changed: boolean, detail: () => Pick<CallMark, "fields" | "args">): void {
    this.total++;
    if (t < this.t0) this.t0 = t;
    if (t > this.t1) this.t1 = t;
    this.toolOrder.add(tool);
    this.bins.add(t, tool, d, changed);
    if (this.calls.length < DETAIL_CAP) this.calls.push({ t, tool, d, changed, ...detail() });
  }

  data(windows: (tool: string) => ToolWindow[], counters: CounterChart[], countersUntracked: number): TimelineData {
    const empty = this.total === 0;
    return {
      sides: this.sides,
      t0: empty ? 0 : this.t0,
      t1: empty ? 0 : this.t1,
      tools: [...this.toolOrder].map((name) => ({ name, windows: windows(name) })),
      calls: this.calls,
      callsTotal: this.total,
      detailCap: DETAIL_CAP,
      bins: this.bins.data(),
      counters,
      countersUntracked,
    };
  }
}

/** Arguments as JSON for the detail panel, cut to a readable length. */
export function argsText(args: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(args, null, 2) ?? "(none)";
  } catch {
    text = String(args);
  }
  return text.length > ARGS_CAP ? `${text.slice(0, ARGS_CAP)}\n… (${text.length - ARGS_CAP} more characters)` : text;
}
