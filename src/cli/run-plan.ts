/**
 * Which tapes a replay or diff run takes (`--shard`), on how many threads (`--jobs`), and the
 * stream of unit events it reports from: the same for replay and diff.
 */
import { shardIndexes, unitsOf, parseShard, refuseShardTogether, type Shard, type Unit } from "../shard/partition.js";
import { mainThreadUnits, runUnits, type UnitEvent } from "../parallel/pool.js";
import type { RunSetup } from "../parallel/setup.js";
import type { UnitCall, UnitListeners, UnitRunner } from "../parallel/unit.js";
import { jobsFrom } from "./results-output.js";

export interface RunPlan {
  /** Every input tape, in the order given, with its size. */
  units: Unit[];
  shard: Shard | undefined;
  /** The units this run takes (indexes into `units`), and their tapes. */
  mine: number[];
  tapes: string[];
  jobs: number;
}

export function planRun(allTapes: string[], opts: Record<string, unknown>, together: boolean): RunPlan {
  const shard = parseShard(opts.shard);
  refuseShardTogether(shard, together);
  const units = unitsOf(allTapes);
  const mine = shardIndexes(units, shard);
  const tapes = mine.map((i) => allTapes[i]!);
  const jobs = jobsFrom(opts.jobs, mine.reduce((n, i) => n + units[i]!.bytes, 0));
  return { units, shard, mine, tapes, jobs };
}

/**
 * The run's unit events with `unit` indexing all input tapes. One per tape, on `jobs` threads;
 * a `--together` run is one gateway run of all tapes (unit 0), on the main thread.
 */
export async function* planEvents(
  plan: RunPlan,
  setup: RunSetup,
  inline: UnitRunner,
  together: ((listeners: UnitListeners) => AsyncIterable<UnitCall[]>) | undefined,
  onBytes: (bytes: number) => void,
): AsyncGenerator<UnitEvent> {
  if (together) {
    yield* mainThreadUnits([(listeners) => together({ ...listeners, onBytes })]);
    return;
  }
  for await (const event of runUnits({ tapes: plan.tapes, jobs: plan.jobs, setup, inline, onBytes })) {
    event.unit = plan.mine[event.unit]!;
    yield event;
  }
}
