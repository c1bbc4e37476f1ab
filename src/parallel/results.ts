/**
 * `--report results=FILE`: the machine format `mcptape merge` reads (docs/spec/cli.md,
 * schemas/results.schema.json). JSON lines: a header saying what ran (command, policy texts
 * and digests, options, all input tapes, the shard and the tapes it took), then one record per
 * decided call, tape warning and listed tools, each naming its unit (an index into the
 * header's tapes), then an end line with the count, so a cut file is refused.
 */
import type { TapeSightings } from "../tape/sessions.js";
import type { RunSetup } from "./setup.js";
import type { UnitCall } from "./unit.js";
import { VERSION } from "../version.js";

export const RESULTS_FORMAT = "results";
export const RESULTS_VERSION = 1;

/** How the run's reports were asked for: a merge renders the same unless told otherwise. */
export interface ResultsRender {
  /** replay: `--fail-on` outcomes. diff: `change`, `loosen` for --fail-on-change/--fail-on-loosen. */
  failOn: string[];
  /** `--only`, `--quiet`, `--all`, `--wide`. */
  view: { quiet: boolean; all: boolean; wide: boolean; only?: string[] };
  /** replay: `--coverage` and `--coverage-threshold`. */
  coverage?: boolean;
  coverageThreshold?: number;
}

export interface ResultsHeader {
  mcptape: "results";
  version: typeof RESULTS_VERSION;
  /** The mcptape that wrote it. */
  writer: string;
  setup: RunSetup;
  render: ResultsRender;
  /** Every input tape of the command, in the order given, with its size (the shard's partition is made from these). */
  tapes: { path: string; bytes: number }[];
  /** `--shard I/N` (1-based), or null for a whole run. */
  shard: { index: number; count: number } | null;
  /** The units (indexes into `tapes`) this run took. */
  units: number[];
}

export type ResultsRecord =
  | { unit: number; call: UnitCall }
  | { unit: number; warning: string }
  | ({ unit: number } & TapeSightings)
  | { end: { records: number } };

export function resultsHeader(setup: RunSetup, render: ResultsRender, tapes: ResultsHeader["tapes"], shard: ResultsHeader["shard"] | undefined, units: number[]): ResultsHeader {
  return { mcptape: "results", version: RESULTS_VERSION, writer: VERSION, setup, render, tapes, shard: shard ?? null, units };
}

/** A decided call's record: the same line whichever thread writes it. */
export function callRecord(unit: number, call: UnitCall): string {
  return JSON.stringify({ unit, call }) + "\n";
}

/** A tape warning's record: the same line whichever thread writes it. */
export function warningRecord(unit: number, warning: string): string {
  return JSON.stringify({ unit, warning }) + "\n";
}

/** Renders the lines of a results file; `records` counts what was written, for the end line. */
export class ResultsLines {
  private records = 0;

  header(h: ResultsHeader): string {
    return JSON.stringify(h) + "\n";
  }

  call(unit: number, call: UnitCall): string {
    this.records++;
    return callRecord(unit, call);
  }

  /** Counts `count` records made on a worker thread (callRecord, warningRecord). */
  written(count: number): void {
    this.records += count;
  }

  warning(unit: number, warning: string): string {
    this.records++;
    return warningRecord(unit, warning);
  }

  sightings(unit: number, seen: TapeSightings): string {
    this.records++;
    return JSON.stringify({ unit, tools: seen.tools, sessions: seen.sessions }) + "\n";
  }

  end(): string {
    return JSON.stringify({ end: { records: this.records } }) + "\n";
  }
}
