/**
 * Which tapes a replay or diff run takes (`--shard`), on how many threads (`--jobs`), and the
 * stream of unit events it reports from: the same for replay and diff.
 */
import { shardIndexes, unitsOf, parseShard, refuseShardTogether, type Shard, type Unit } from "../shard/partition.js";
import { defaultJobs, inlineUnits, mainThreadUnits, WorkerPool, type UnitEvent } from "../parallel/pool.js";
import type { RunSetup } from "../parallel/setup.js";
import type { UnitCall, UnitListeners, UnitOutput, UnitRunner } from "../parallel/unit.js";
import type { FlagValues } from "./flags.js";
import { InputError } from "../errors.js";
import { checkTapes } from "./tape-check.js";

export interface RunPlan {
  /** Every input tape, in the order given, with its size. */
  units: Unit[];
  shard: Shard | undefined;
  /** The units this run takes (indexes into `units`), and their tapes. */
  mine: number[];
  tapes: string[];
  jobs: number;
}

/** `--shard I/N` and `--jobs N` as given (the default number of jobs depends on the input's size). */
export interface ScaleFlags {
  shard: Shard | undefined;
  jobs: string | undefined;
}

export function scaleFlagsFrom(values: FlagValues): ScaleFlags {
  return { shard: parseShard(values.string("shard")), jobs: values.string("jobs") };
}

/**
 * `--jobs N`: worker threads for independent gateway runs. Left out, the number of cores when
 * the caller found that threads pay for this input (its size, its formats), else 1: the
 * output is the same either way.
 */
export function jobsFrom(value: string | undefined, threadsPay: boolean): number {
  if (value === undefined) return threadsPay ? defaultJobs() : 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new InputError(`--jobs ${JSON.stringify(value)} is not a number of threads`, undefined, "write a whole number from 1 up, like --jobs 4 (1 keeps everything on the main thread)");
  }
  return n;
}

/**
 * Below this many bytes of tapes in all, threads cost more than they save: each worker loads,
 * warms up and collects garbage for its own copy of mcptape. Idle 2-core estimates of
 * `--jobs 2` against one thread (npm run bench -- jobs): 8 tapes of 4 MiB 0.85x, of 16 MiB
 * 0.94x to 1.15x, of 73 MiB 1.17x to 1.40x; about even at this size (more cores gain sooner).
 */
const THREADS_PAY_FROM = 128 * 2 ** 20;

/**
 * `handsBackLittle`: the workers hand back less than every call (UnitOutput: replay's rendered
 * lines, diff's changes only). Only then do threads pay: a run whose main thread takes every
 * call in whole was measured no faster on 2 cores, so it keeps one thread unless `--jobs` asks for more.
 */
export function planRun(allTapes: string[], { shard, jobs: jobsFlag }: ScaleFlags, together: boolean, handsBackLittle: boolean): RunPlan {
  refuseShardTogether(shard, together);
  const units = unitsOf(allTapes);
  const mine = shardIndexes(units, shard);
  const tapes = mine.map((i) => allTapes[i]!);
  const jobs = jobsFrom(jobsFlag, handsBackLittle && mine.reduce((n, i) => n + units[i]!.bytes, 0) >= THREADS_PAY_FROM);
  return { units, shard, mine, tapes, jobs };
}

/** A `--together` run: one gateway run of all the tapes, on the main thread. */
export type TogetherRun = (listeners: UnitListeners) => AsyncIterable<UnitCall[]>;

/** The work of a plan: its tapes checked, then run, on worker threads when it has more than one job and tape. */
export class PlannedWork {
  private constructor(
    private readonly plan: RunPlan,
    private readonly inline: UnitRunner,
    private readonly together: TogetherRun | undefined,
    private readonly pool: WorkerPool | undefined,
    private readonly output: UnitOutput | undefined,
  ) {}

  /** `output`: what the workers hand back, when not every call (see UnitOutput); the main thread's run takes calls whole. */
  static start(plan: RunPlan, setup: RunSetup, inline: UnitRunner, together: TogetherRun | undefined, output?: UnitOutput): PlannedWork {
    const threads = together ? 1 : Math.min(plan.jobs, plan.tapes.length);
    return new PlannedWork(plan, inline, together, threads > 1 ? WorkerPool.start(setup, threads) : undefined, output);
  }

  /** Every tape read through before any output (spread over the threads when there are some). */
  check(): Promise<void> {
    return checkTapes(this.plan.tapes, this.pool ? (tapes) => this.pool!.check(tapes) : undefined);
  }

  /** The unit events in input order, `unit` indexing all input tapes (a `--together` run is unit 0). */
  async *events(onBytes: (bytes: number) => void): AsyncGenerator<UnitEvent> {
    const together = this.together;
    if (together) {
      yield* mainThreadUnits([(listeners) => together({ ...listeners, onBytes })]);
      return;
    }
    const events = this.pool ? this.pool.run(this.plan.tapes, this.plan.mine, onBytes, this.output) : inlineUnits(this.plan.tapes, this.inline, onBytes);
    for await (const event of events) {
      event.unit = this.plan.mine[event.unit]!;
      yield event;
    }
  }

  /**
   * `events` for a run whose outputs cannot be read cut short (files that appear only whole,
   * the null device): it leaves `check` out and reads each tape once, and a bad tape met on the
   * way is reported as `check` reports it, every bad tape named.
   */
  async *eventsUnchecked(onBytes: (bytes: number) => void): AsyncGenerator<UnitEvent> {
    try {
      yield* this.events(onBytes);
    } catch (err) {
      // On this thread: the pool may be stopping with the error.
      if (err instanceof InputError) await checkTapes(this.plan.tapes);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
