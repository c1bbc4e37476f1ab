/**
 * Independent gateway runs (one per tape) on N worker threads, their results handed on in
 * the order the tapes were given: the output is the same whatever N. With one job, or one
 * tape, everything stays on the main thread. A unit's calls are held until every earlier
 * unit has been handed on, and at most 2×N units run or wait ahead of the one being read.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { Channel } from "./channel.js";
import { errorFrom, type UnitTask, type WorkerMessage } from "./messages.js";
import type { RunSetup } from "./setup.js";
import { warningText, type UnitCall, type UnitListeners, type UnitRunner } from "./unit.js";

/** What one unit produced, in the order it produced it; `unit` indexes the tapes given. */
export type UnitEvent =
  | { unit: number; kind: "calls"; calls: UnitCall[] }
  | { unit: number; kind: "warning"; text: string };

export interface UnitsRun {
  tapes: readonly string[];
  /** Worker threads to use; 1 runs on the main thread. */
  jobs: number;
  setup: RunSetup;
  /** Runs a unit on the main thread (the gateways already loaded there). */
  inline: UnitRunner;
  onBytes?: (bytes: number) => void;
}

/** `--jobs`: the number of cores unless told. */
export function defaultJobs(): number {
  return availableParallelism();
}

export async function* runUnits(run: UnitsRun): AsyncGenerator<UnitEvent> {
  const jobs = Math.min(run.jobs, run.tapes.length);
  if (jobs <= 1) yield* inlineUnits(run);
  else yield* workerUnits(run, jobs);
}

async function* inlineUnits({ tapes, inline, onBytes }: UnitsRun): AsyncGenerator<UnitEvent> {
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

async function* workerUnits({ tapes, setup, onBytes }: UnitsRun, jobs: number): AsyncGenerator<UnitEvent> {
  const channels: (Channel<UnitEvent> | undefined)[] = [];
  const idle: Worker[] = [];
  const workers: Worker[] = [];
  let next = 0;
  let reading = 0;
  const start = () => {
    while (idle.length > 0 && next < tapes.length && next - reading < 2 * jobs) {
      const worker = idle.pop()!;
      const unit = next++;
      channels[unit] = new Channel();
      worker.postMessage({ unit, tape: tapes[unit]! } satisfies UnitTask);
    }
  };
  const failAll = (err: unknown) => {
    for (const c of channels) c?.fail(err);
  };
  for (let i = 0; i < jobs; i++) {
    const worker = spawn(setup);
    worker.on("message", (m: WorkerMessage) => {
      if (m.kind === "bytes") return onBytes?.(m.bytes);
      const channel = channels[m.unit]!;
      if (m.kind === "calls" || m.kind === "warning") return channel.push(m);
      if (m.kind === "error") channel.fail(errorFrom(m.error));
      else channel.close();
      idle.push(worker);
      start();
    });
    worker.on("error", failAll);
    worker.on("exit", (code) => failAll(new Error(`a worker thread stopped (exit code ${code}) before its work was done`)));
    workers.push(worker);
    idle.push(worker);
  }
  try {
    for (; reading < tapes.length; reading++) {
      start();
      yield* channels[reading]!;
      channels[reading] = undefined; // its calls can go
    }
  } finally {
    for (const w of workers) w.removeAllListeners("exit");
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * The worker's module beside this one: `worker.js` in the built package; run from source
 * (tests under tsx) it is `worker.ts`, loaded through tsx.
 */
function spawn(setup: RunSetup): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const url = new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url);
  return new Worker(url, { workerData: setup, ...(fromSource ? { execArgv: ["--import", "tsx"] } : {}) });
}
