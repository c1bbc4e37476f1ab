/**
 * Calls counted in time bins per lane, for timelines too dense to draw a mark per call.
 * The time range is not known while streaming, so bins start 1 ms wide and double (merging
 * neighbours) whenever the calls seen span more than `maxBins`: memory stays bounded by
 * lanes × maxBins whatever the tape's length. The page merges them to the zoomed view, so
 * maxBins is the finest grain a zoom reaches (a day's tape: about 43 s a bin).
 */
import { DECISION_KINDS, type DecisionKind } from "../../engine/types.js";

/** Counts per side: one per decision kind. */
const K = DECISION_KINDS.length;

/** A bin: its index, then the count of each decision kind per side, then the changed count. */
export type BinRow = number[];

export interface BinsData {
  origin: number;
  widthMs: number;
  /** Per tool, its non-empty bins in time order. */
  tools: Record<string, BinRow[]>;
}

export class TimeBins {
  private origin: number | undefined;
  private width = 1;
  private lo = 0;
  private hi = 0;
  private readonly tools = new Map<string, Map<number, number[]>>();

  constructor(private readonly sides: number, private readonly maxBins = 2000) {}

  add(t: number, tool: string, decisions: readonly DecisionKind[], changed: boolean): void {
    if (this.origin === undefined) this.origin = t;
    let index = Math.floor((t - this.origin) / this.width);
    while (Math.max(this.hi, index) - Math.min(this.lo, index) >= this.maxBins) {
      this.coarsen();
      index = Math.floor((t - this.origin) / this.width);
    }
    this.lo = Math.min(this.lo, index);
    this.hi = Math.max(this.hi, index);
    let bins = this.tools.get(tool);
    if (!bins) this.tools.set(tool, (bins = new Map()));
    let counts = bins.get(index);
    if (!counts) bins.set(index, (counts = new Array<number>(this.sides * K + 1).fill(0)));
    for (let s = 0; s < this.sides; s++) counts[s * K + DECISION_KINDS.indexOf(decisions[s]!)]!++;
    if (changed) counts[this.sides * K]!++;
  }

  data(): BinsData {
    const tools: Record<string, BinRow[]> = {};
    for (const [tool, bins] of this.tools) {
      tools[tool] = [...bins.entries()].sort((a, b) => a[0] - b[0]).map(([i, counts]) => [i, ...counts]);
    }
    return { origin: this.origin ?? 0, widthMs: this.width, tools };
  }

  /** Doubles the bin width: bin i joins bin floor(i/2). */
  private coarsen(): void {
    this.width *= 2;
    this.lo = Math.floor(this.lo / 2);
    this.hi = Math.floor(this.hi / 2);
    for (const [tool, bins] of this.tools) {
      const merged = new Map<number, number[]>();
      for (const [i, counts] of bins) {
        const j = Math.floor(i / 2);
        const into = merged.get(j);
        if (!into) merged.set(j, counts);
        else for (let k = 0; k < counts.length; k++) into[k]! += counts[k]!;
      }
      this.tools.set(tool, merged);
    }
  }
}
