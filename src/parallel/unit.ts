/**
 * One unit of work: one tape as one gateway run (one per policy for diff), the same code on
 * the main thread and on a worker thread.
 */
import type { GatewayFactory } from "../gateway/create.js";
import { diffReplayBatches } from "../diff/diff-replay.js";
import type { DiffedCall } from "../diff/types.js";
import { replayBatches } from "../replay/replay.js";
import type { DecidedCall } from "../replay/types.js";
import type { TapeWarning } from "../tape/reader.js";
import type { RunSetup } from "./setup.js";
import type { SplitRun } from "./split-run.js";

/** What a unit yields: decided calls for replay, diffed calls for diff. */
export type UnitCall = DecidedCall | DiffedCall;

export interface UnitListeners {
  onWarning: (w: TapeWarning) => void;
  onBytes?: (bytes: number) => void;
}

export type UnitRunner = (tape: string, listeners: UnitListeners) => AsyncIterable<UnitCall[]>;

/**
 * What a worker thread hands back of a unit's calls besides every call (the default): its
 * lines rendered there (`split`: a replay whose outputs can be, see SplitRun), or only the calls
 * whose decision changed, each with its place, and how many calls there were (`changesOnly`:
 * a diff whose every output lists changes only); either way the main thread takes in far less.
 * With `records`, also each call's results record (`--report results=FILE`), written there.
 */
export interface UnitOutput {
  split?: SplitRun;
  changesOnly?: true;
  records?: true;
}

/** Runs one tape through the setup's gateways. */
export function unitRunner(setup: RunSetup, gateways: GatewayFactory[]): UnitRunner {
  const options = { ...setup.options, together: false };
  if (setup.command === "diff") {
    const [base, head] = gateways as [GatewayFactory, GatewayFactory];
    return (tape, listeners) => diffReplayBatches({ base, head }, { tapes: [tape], ...listeners }, options);
  }
  return (tape, listeners) => replayBatches(gateways[0]!, { tapes: [tape], ...listeners }, options);
}

/** A tape warning as reports print it. */
export function warningText(w: TapeWarning): string {
  return `${w.file}:${w.line}: ${w.message}`;
}
