/**
 * Independent gateway runs (one per tape) on N worker threads, their results handed on in
 * the order the tapes were given: the output is the same whatever N. With one job, or one
 * tape, everything stays on the main thread. A unit's calls are held until every earlier
 * unit has been handed on, and at most 2×N units run or wait ahead of the one being read.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { builtWorker } from "../built-file.js";
import { InputError } from "../errors.js";
import { Channel } from "./channel.js";
import { errorFrom, type WorkerMessage, type WorkerTask } from "./messages.js";
import type { RunSetup } from "./setup.js";
import type { FileOutcome, SuiteFile } from "../scenario/run.js";
import { warningText, type UnitCall, type UnitListeners, type UnitOutput, type UnitRunner } from "./unit.js";
import type { RenderedBatch, UnitCounts } from "./split-run.js";

/**
 * What one unit produced, in the order it produced it; `unit` indexes the tapes given.
 * `recorded`: its results records come as `records` events, made on a worker thread (UnitOutput.records).
 */
export type UnitEvent =
  | { unit: number; kind: "calls"; calls: UnitCall[]; recorded?: true }
  | { unit: number; kind: "changes"; calls: UnitCall[]; at: number[]; count: number; tape: string }
  | ({ unit: number; kind: "lines" } & RenderedBatch)
  | { unit: number; kind: "counts"; counts: UnitCounts }
  | { unit: number; kind: "warning"; text: string; recorded?: true }
  | { unit: number; kind: "records"; records: Uint8Array; count: number };

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** A batch of a worker's calls as it came: JSON text, parsed when its unit's turn comes (`changes`: of a changes-only run). */
interface Batch {
  unit: number;
  kind: "batch";
  json: string;
  changes?: { at: number[]; count: number; tape: string };
  recorded?: true;
}

/** A worker's batch as the event it is, its calls parsed. */
function parsed({ unit, json, changes, recorded }: Batch): UnitEvent {
  const calls = JSON.parse(json) as UnitCall[];
  return changes ? { unit, kind: "changes", calls, ...changes } : { unit, kind: "calls", calls, ...(recorded ? { recorded } : {}) };
}

/** `--jobs`: the number of cores unless told. */
export function defaultJobs(): number {
  return availableParallelism();
}

/** Runs each tape as a unit, one after the other, on the main thread. */
export async function* inlineUnits(tapes: readonly string[], inline: UnitRunner, onBytes?: (bytes: number) => void): AsyncGenerator<UnitEvent> {
  yield* mainThreadUnits(tapes.map((tape) => (listeners) => inline(tape, { ...listeners, ...(onBytes ? { onBytes } : {}) })));
}

/** Runs these units one after the other on the main thread (a `--together` run is one unit of all tapes). */
export async function* mainThreadUnits(runs: ((listeners: UnitListeners) => AsyncIterable<UnitCall[]>)[]): AsyncGenerator<UnitEvent> {
  for (const [unit, run] of runs.entries()) {
    const warnings: string[] = [];
    for await (const calls of run({ onWarning: (w) => warnings.push(warningText(w)) })) {
      yield { unit, kind: "calls", calls };
      for (const text of warnings.splice(0)) yield { unit, kind: "warning", text };
    }
    for (const text of warnings.splice(0)) yield { unit, kind: "warning", text };
  }
}

/** N worker threads, each with the setup's gateways loaded, taking one task at a time. */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly handlers = new Map<number, (m: WorkerMessage) => void>();
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) {
      worker.on("message", (m: WorkerMessage) => {
        this.handlers.get(m.task)?.(m);
        if (m.kind === "done" || m.kind === "error") {
          this.handlers.delete(m.task);
          this.release(worker);
        }
      });
      worker.on("error", (err) => this.fail(err));
      worker.on("exit", (code) => this.fail(new Error(`a worker thread stopped (exit code ${code}) before its work was done`)));
      this.idle.push(worker);
    }
  }

  /** `setup`: the replay or diff whose tapes it runs; null for `test` (scenario files carry their own). */
  static start(setup: RunSetup | null, jobs: number): WorkerPool {
    return new WorkerPool(Array.from({ length: jobs }, () => builtWorker("parallel/worker", setup)));
  }

  /** Reads each tape through on the threads: what is wrong with each, in the order given. */
  async check(tapes: readonly string[]): Promise<(InputError | undefined)[]> {
    return Promise.all(
      tapes.map(async (tape) => {
        let problem: InputError | undefined;
        let failure: Error | undefined;
        await this.task({ kind: "check", tape }, (m) => {
          if (m.kind !== "error") return;
          const err = errorFrom(m.error);
          if (err instanceof InputError) problem = err;
          else failure = err;
        });
        if (failure) throw failure;
        return problem;
      }),
    );
  }

  /**
   * Each tape as one gateway run on the threads, handed on in the order given; every call, or
   * what `output` says. `units`: each tape's index among the run's input tapes, which its
   * results records name.
   */
  async *run(tapes: readonly string[], units: readonly number[], onBytes?: (bytes: number) => void, output?: UnitOutput): AsyncGenerator<UnitEvent> {
    const channels: (Channel<UnitEvent | Batch> | undefined)[] = [];
    const recorded = output?.records ? { recorded: true as const } : {};
    let started = 0;
    const start = (unit: number) => {
      const channel = (channels[unit] = new Channel());
      const onMessage = (m: WorkerMessage) => {
        if (m.kind === "bytes") onBytes?.(m.bytes);
        else if (m.kind === "records") channel.push({ unit, kind: "records", records: m.records, count: m.count });
        else if (m.kind === "calls") channel.push({ unit, kind: "batch", json: m.calls, ...recorded });
        else if (m.kind === "changes") channel.push({ unit, kind: "batch", json: m.calls, changes: { at: m.at, count: m.count, tape: m.tape } });
        else if (m.kind === "lines") channel.push({ unit, kind: "lines", parts: m.parts, counts: m.counts, tape: m.tape });
        else if (m.kind === "counts") channel.push({ unit, kind: "counts", counts: m.counts });
        else if (m.kind === "warning") channel.push({ unit, kind: "warning", text: m.text, ...recorded });
        else if (m.kind === "error") channel.fail(errorFrom(m.error));
        else channel.close();
      };
      this.task({ kind: "run", tape: tapes[unit]!, unit: units[unit]!, ...(output ? { output } : {}) }, onMessage).catch((err: unknown) => channel.fail(err));
    };
    for (let reading = 0; reading < tapes.length; reading++) {
      // Units queue for the next free thread, at most 2×N ahead of the one being read.
      while (started < tapes.length && started - reading < 2 * this.workers.length) start(started++);
      for await (const event of channels[reading]!) yield event.kind === "batch" ? parsed(event) : event;
      channels[reading] = undefined; // its calls can go
    }
  }

  /** Runs each scenario file's chosen scenarios on the threads; outcomes in the order given. */
  async runFiles(files: SuiteFile[]): Promise<FileOutcome[]> {
    return Promise.all(
      files.map(async (file) => {
        let outcome: FileOutcome | undefined;
        let failure: Error | undefined;
        await this.task({ kind: "scenarios", file }, (m) => {
          if (m.kind === "outcome") outcome = m.outcome;
          else if (m.kind === "error") failure = errorFrom(m.error);
        });
        if (failure) throw failure;
        return outcome!;
      }),
    );
  }

  async close(): Promise<void> {
    for (const w of this.workers) w.removeAllListeners("exit");
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Runs a task on the next idle worker; resolves when it is done. */
  private async task(task: DistributiveOmit<WorkerTask, "task">, onMessage: (m: WorkerMessage) => void): Promise<void> {
    while (this.idle.length === 0 && !this.failure) await this.freeWorker();
    if (this.failure) throw this.failure;
    const worker = this.idle.pop()!;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.handlers.set(id, (m) => {
        onMessage(m);
        if (m.kind === "done" || m.kind === "error") resolve();
      });
      worker.postMessage({ ...task, task: id } as WorkerTask);
    });
  }

  /** Resolves when a worker is idle. */
  private freeWorker(): Promise<void> {
    if (this.idle.length > 0 || this.failure) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    this.idle.push(worker);
    this.waiting.shift()?.();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const handler of this.handlers.values()) handler({ task: -1, kind: "error", error: { input: false, message: err.message, ...(err.stack ? { stack: err.stack } : {}) } });
    this.handlers.clear();
    for (const wake of this.waiting.splice(0)) wake();
  }
}
