/**
 * The run-level flags of replay and diff that split work: `--shard I/N`, `--jobs N` and
 * `--report results=FILE` (read apart from the other reports: it is written from the run's
 * records, not by a format's renderer).
 */
import type { TapeSightings } from "../tape/sessions.js";
import { ResultsLines, RESULTS_FORMAT, type ResultsHeader } from "../parallel/results.js";
import type { ListView } from "../report/list-view.js";
import type { UnitCall } from "../parallel/unit.js";
import type { UnitEvent } from "../parallel/pool.js";
import type { UnitCounts } from "../parallel/split-run.js";
import { isReportTargets } from "./io.js";
import type { FlagValues } from "./flags.js";
import { Sink } from "./sink.js";

/** The flag values without `--report results=FILE`, and the results files asked for. */
export function takeResultsReports(values: FlagValues): { values: FlagValues; files: string[] } {
  const reports = values.parsed("report", isReportTargets) ?? [];
  const files = reports.filter((r) => r.format === RESULTS_FORMAT).map((r) => r.file);
  return { values: values.with("report", reports.filter((r) => r.format !== RESULTS_FORMAT)), files };
}

/** Every `--report results=FILE` of one run, written whole or not at all like any report. */
export class ResultsOutput {
  private readonly lines = new ResultsLines();
  private constructor(private readonly sinks: Sink[]) {}

  static open(files: string[], header: ResultsHeader): ResultsOutput {
    const out = new ResultsOutput(files.map((f) => Sink.toFile(f)));
    out.write(out.lines.header(header));
    return out;
  }

  call(unit: number, call: UnitCall): void {
    if (this.sinks.length > 0) this.write(this.lines.call(unit, call));
  }

  /** `count` records made on a worker thread (UnitOutput.records), UTF-8. */
  records(records: Uint8Array, count: number): void {
    this.lines.written(count);
    for (const s of this.sinks) s.write(records);
  }

  warning(unit: number, text: string): void {
    if (this.sinks.length > 0) this.write(this.lines.warning(unit, text));
  }

  sightings(unit: number, seen: TapeSightings): void {
    if (this.sinks.length > 0) this.write(this.lines.sightings(unit, seen));
  }

  async drain(): Promise<void> {
    for (const s of this.sinks) await s.drain();
  }

  /** Writes the end line; the sinks are then closed with the run's other outputs (Outputs.close). */
  ending(): readonly Sink[] {
    this.write(this.lines.end());
    return this.sinks;
  }

  private write(text: string): void {
    for (const s of this.sinks) s.write(text);
  }
}

/** A list view as JSON (a results header holds it). */
export function viewData(view: ListView): ResultsHeader["render"]["view"] {
  return { quiet: view.quiet, all: view.all, wide: view.wide, ...(view.only ? { only: [...view.only] } : {}) };
}

/**
 * What a run does with what its workers handed back instead of every call (UnitOutput): a
 * replay's rendered lines and its units' counts, a diff's changed calls.
 */
export interface SplitHandlers {
  onLines?: (batches: unknown[], count: number) => void;
  onCounts?: (counts: UnitCounts) => void;
  /** `calls` changed, at places `at` among the next `count` calls; the others did not change. */
  onChanges?: (calls: UnitCall[], at: number[], count: number) => void;
}

/** The run's handler for what a worker handed back; a run gets back only what it asked its workers for. */
function handler<K extends keyof SplitHandlers>(split: SplitHandlers | undefined, name: K): NonNullable<SplitHandlers[K]> {
  const given = split?.[name];
  if (given === undefined) throw new Error(`a worker handed back what ${name} takes, which this run did not ask for`);
  return given as NonNullable<SplitHandlers[K]>;
}

/**
 * The one loop of replay's and diff's reports: each call in input order to `onCall` (which
 * renders it) and to the results files, each tape warning to `warnings` and the results files;
 * lines rendered on the worker threads, their units' counts, and a diff's changes only, to `split`.
 */
export async function reportEvents<C extends UnitCall>(
  events: AsyncIterable<UnitEvent>,
  results: ResultsOutput,
  warnings: string[],
  onCall: (call: C) => void,
  drain: () => Promise<void>,
  onBatch: (tape: string, calls: number) => void,
  split?: SplitHandlers,
): Promise<void> {
  for await (const event of events) {
    if (event.kind === "warning") {
      warnings.push(event.text);
      if (!event.recorded) results.warning(event.unit, event.text);
      continue;
    }
    if (event.kind === "records") {
      results.records(event.records, event.count);
      await results.drain();
      continue;
    }
    if (event.kind === "counts") {
      handler(split, "onCounts")(event.counts);
      continue;
    }
    if (event.kind === "lines") {
      const onLines = handler(split, "onLines");
      event.parts.forEach((batches, k) => onLines(batches, event.counts[k]!));
      await drain();
      onBatch(event.tape, event.counts.reduce((a, b) => a + b, 0));
      continue;
    }
    if (event.kind === "changes") {
      handler(split, "onChanges")(event.calls, event.at, event.count);
      await drain();
      onBatch(event.tape, event.count);
      continue;
    }
    for (const call of event.calls) {
      onCall(call as C);
      if (!event.recorded) results.call(event.unit, call);
    }
    await drain();
    await results.drain();
    onBatch(event.calls[event.calls.length - 1]!.tape, event.calls.length);
  }
}
