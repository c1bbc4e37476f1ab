/** What the main thread and a worker thread say to each other (structured-cloned; rendered bytes are transferred). */
import { InputError } from "../errors.js";
import type { FileOutcome, SuiteFile } from "../scenario/run.js";
import type { RenderedBatch, UnitCounts } from "./split-run.js";
import type { UnitOutput } from "./unit.js";

/**
 * Main to worker: read this tape through (`check`), run it as one gateway run (`run`; handing
 * back every call, or what `output` says), or run a scenario file's chosen scenarios
 * (`scenarios`, for `test`).
 */
export type WorkerTask =
  | { task: number; kind: "check"; tape: string }
  | { task: number; kind: "run"; tape: string; unit: number; output?: UnitOutput }
  | { task: number; kind: "scenarios"; file: SuiteFile };

/**
 * Worker to main, about task `task`: it ends with `done` or `error`. Calls come as the JSON
 * text of a batch: one flat string is cheap to hold while earlier tapes are still being
 * written, where cloned objects would pile up in the main thread's heap (measured: about a
 * sixth of the run's CPU went to that), and it is parsed only when its turn comes. A split
 * run sends its calls as `lines` (already rendered; json's as UTF-8 bytes, handed over without
 * a copy), then the unit's `counts`. A changes-only run sends `changes`: the JSON text of the
 * changed calls among the next `count` calls, and where each is among them (`at`). With
 * `output.records`, the unit's results records come as `records` (`count` of them, UTF-8,
 * handed over), in the order one thread writes them, named by the run's unit index `unit`.
 */
export type WorkerMessage =
  | { task: number; kind: "calls"; calls: string }
  | { task: number; kind: "changes"; calls: string; at: number[]; count: number; tape: string }
  | ({ task: number; kind: "lines" } & RenderedBatch)
  | { task: number; kind: "counts"; counts: UnitCounts }
  | { task: number; kind: "records"; records: Uint8Array; count: number }
  | { task: number; kind: "outcome"; outcome: FileOutcome }
  | { task: number; kind: "warning"; text: string }
  | { task: number; kind: "bytes"; bytes: number }
  | { task: number; kind: "done" }
  | { task: number; kind: "error"; error: ErrorData };

/** An error as data: bad input keeps its place and hint, so it reads the same as on the main thread. */
export type ErrorData =
  | { input: true; message: string; file?: string; line?: number; col?: number; hint?: string }
  | { input: false; message: string; stack?: string };

export function errorData(err: unknown): ErrorData {
  if (err instanceof InputError) {
    return {
      input: true,
      message: err.message,
      ...(err.file !== undefined ? { file: err.file } : {}),
      ...(err.line !== undefined ? { line: err.line } : {}),
      ...(err.col !== undefined ? { col: err.col } : {}),
      ...(err.hint !== undefined ? { hint: err.hint } : {}),
    };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { input: false, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}

export function errorFrom(data: ErrorData): Error {
  if (data.input) return new InputError(data.message, data.file === undefined ? undefined : { file: data.file, line: data.line, col: data.col }, data.hint);
  const err = new Error(`in a worker thread: ${data.message}`);
  if (data.stack) err.stack = `Error: in a worker thread: ${data.stack}`;
  return err;
}
