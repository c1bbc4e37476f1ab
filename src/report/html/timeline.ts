/**
 * The timeline's data, collected call by call: the first `detailCap` calls in full (what a
 * click shows), after them only the calls that matter (refused, approval, undecided, changed:
 * the page's table pages through all of them, their arguments cut shorter), every call counted
 * in time bins per tool (what a dense timeline draws), and the time range. Shared by the
 * replay and diff pages: a replay call has one decision ("side"), a diff call two (base, head).
 */
import type { DecisionKind } from "../../engine/types.js";
import { TimeBins, type BinsData } from "./bins.js";
import type { CounterChart, ToolWindow } from "./counter-levels.js";

/** Calls kept in full for the click detail; of later ones only the calls that matter. */
export const DETAIL_CAP = 20_000;
/** Longest argument JSON kept per call; past DETAIL_CAP, for the calls that matter. */
const ARGS_CAP = 2_000;
const LATE_ARGS_CAP = 200;
/**
 * Calls that matter kept past DETAIL_CAP: each costs about 600 bytes of page and 2 KB of memory
 * while the report is built (a 300k-call replay with 94k of them: a 67 MB page, 770 MB peak RSS),
 * so past this many the page says how many more there were.
 */
export const NOTABLE_CAP = 200_000;

/** One call as the page shows it. */
export interface CallMark {
  /** Position in replay order (0-based). */
  i: number;
  t: number;
  tool: string;
  /** The decision on each side (replay: one; diff: base, head). */
  d: DecisionKind[];
  /** Replay: differs from the recorded decision; diff: base and head differ. */
  changed: boolean;
  /** Replay, a changed call: the decision the recording shows (the table says "was deny"). */
  was?: string;
  /** The rule and message the table shows (a diff: head's, or base's where head has none). */
  rule: string;
  msg: string;
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
  /** Each tool's own windows; `everyTool` those of rules for every tool (drawn on the "*" row). */
  tools: { name: string; windows: ToolWindow[] }[];
  everyTool: ToolWindow[];
  calls: CallMark[];
  callsTotal: number;
  /** Every call is in `calls` (else only the first detailCap and the calls that matter after). */
  allKept: boolean;
  /** Calls that matter beyond NOTABLE_CAP, not in `calls`. */
  notableDropped: number;
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
  private notableDropped = 0;
  private t0 = Infinity;
  private t1 = -Infinity;

  constructor(private readonly sides: string[]) {
    this.bins = new TimeBins(sides.length);
  }

  /** Counts a call; `detail` is only asked for the calls kept (with their arguments' cap). */
  add(t: number, tool: string, d: DecisionKind[], changed: boolean, detail: (argsCap: number) => Pick<CallMark, "fields" | "args" | "rule" | "msg" | "was">): void {
    const i = this.total++;
    if (t < this.t0) this.t0 = t;
    if (t > this.t1) this.t1 = t;
    this.toolOrder.add(tool);
    this.bins.add(t, tool, d, changed);
    if (i < DETAIL_CAP) this.calls.push({ i, t, tool, d, changed, ...detail(ARGS_CAP) });
    else if (changed || d.some((k) => k !== "allow")) {
      if (this.calls.length < DETAIL_CAP + NOTABLE_CAP) this.calls.push({ i, t, tool, d, changed, ...detail(LATE_ARGS_CAP) });
      else this.notableDropped++;
    }
  }

  data(windows: (tool: string) => ToolWindow[], everyTool: ToolWindow[], counters: CounterChart[], countersUntracked: number): TimelineData {
    const empty = this.total === 0;
    return {
      sides: this.sides,
      t0: empty ? 0 : this.t0,
      t1: empty ? 0 : this.t1,
      tools: [...this.toolOrder].map((name) => ({ name, windows: windows(name) })),
      everyTool,
      calls: this.calls,
      callsTotal: this.total,
      allKept: this.calls.length === this.total,
      notableDropped: this.notableDropped,
      detailCap: DETAIL_CAP,
      bins: this.bins.data(),
      counters,
      countersUntracked,
    };
  }
}

/** Arguments as JSON for the detail panel, cut to a readable length. */
export function argsText(args: unknown, cap = ARGS_CAP): string {
  let text: string;
  try {
    text = JSON.stringify(args, null, 2) ?? "(none)";
  } catch {
    text = String(args);
  }
  return text.length > cap ? `${text.slice(0, cap)}\n… (${text.length - cap} more characters)` : text;
}
