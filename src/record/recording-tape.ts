/**
 * The tape of a recording as the forwarding thread sees it, the same for the stdio and the
 * HTTP recorder. Each message is handed over as the bytes received to a taping worker
 * (tape-worker.ts), which redacts and writes it, so forwarding never waits for the disk.
 *
 * Lines go over in batches: what arrives within FLUSH_AFTER_MS (or until FLUSH_BYTES) is one
 * message to the worker, so a stream of small messages wakes it a few hundred times a second at
 * most rather than twice a round trip. A line the framer joined into a buffer of its own is
 * moved to the worker as it is; any other is copied once into the batch.
 *
 * The queue between them is bounded: once more than QUEUE_HIGH bytes are handed over and not
 * yet taped, every sender registered with `throttle` is paused until the worker is back under
 * QUEUE_LOW. Memory stays bounded and no line is dropped; the senders just wait for the disk.
 * A tape that cannot be written is said once on stderr and the session goes on unrecorded.
 * `close` writes the end line after everything handed over, fsyncs, and resolves once the
 * worker is gone, so the process can exit.
 */
import { closeSync, rmSync, statSync } from "node:fs";
import type { Worker } from "node:worker_threads";
import { builtWorker } from "../built-file.js";
import { InputError } from "../errors.js";
import type { RedactorInit } from "../tape/redact.js";
import type { EndLine } from "../tape/schema.js";
import { TapeWriter, type HeaderInput } from "../tape/writer.js";
import type { Direction, SessionInfo } from "./message-recorder.js";
import type { Valve } from "./valve.js";

/** Past this many bytes handed over and not yet taped, the senders pause. */
export const QUEUE_HIGH = 8 * 2 ** 20;
/** ... until the worker is back under this. */
const QUEUE_LOW = 2 * 2 ** 20;
/** A batch goes to the worker this long after its first line ... */
const FLUSH_AFTER_MS = 5;
/** ... or as soon as it holds this many bytes. */
const FLUSH_BYTES = 256 * 2 ** 10;
/** An own line at least this long is moved to the worker rather than copied into the batch. */
const MOVE_BYTES = 64 * 2 ** 10;
/** What an entry counts for beside its bytes, so a flood of tiny lines is bounded too. */
const ENTRY_COST = 64;

/** What the forwarding thread hands the worker, in the order it saw it. `t`: ms since the epoch. */
export type TapeEntry =
  | { op: "session"; info: SessionInfo }
  | { op: "ensure-session"; session: string; t: number }
  | { op: "line"; session: string; dir: Direction | "stderr"; t: number; length: number; moved?: true; http?: number; answers?: string | number }
  | { op: "end"; reason: EndLine["reason"]; exitCode?: number | null; t: number };

/**
 * Entries with their lines' bytes: a `moved` line's are the next of `moved`, any other's come
 * next in `bytes`. `cost` is what they count in the queue.
 */
export interface TapeBatch {
  entries: TapeEntry[];
  bytes: Uint8Array;
  moved: Uint8Array[];
  cost: number;
}

export type TapeWorkerReport = { op: "drained" } | { op: "failed"; message: string };

export interface TapeWorkerInit {
  path: string;
  fd: number;
  redact: RedactorInit;
  /** BigInt64Array: [TAPED] bytes (costs) taped so far; [WAKE_AT] post `drained` once TAPED reaches it (-1: nobody waits). */
  progress: SharedArrayBuffer;
}
export const TAPED = 0;
export const WAKE_AT = 1;

export class RecordingTape {
  private entries: TapeEntry[] = [];
  private pieces: Uint8Array[] = [];
  private moved: Uint8Array[] = [];
  /** Bytes in `pieces`, and in `pieces` and `moved`. */
  private copyBytes = 0;
  private bytes = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private posted = 0n;
  private readonly progress = new BigInt64Array(new SharedArrayBuffer(16));
  private readonly valves = new Set<Valve>();
  private held = false;
  private failed = false;
  private ended = false;
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  private constructor(
    readonly path: string,
    fd: number,
    redact: RedactorInit,
    private readonly log: (text: string) => void,
  ) {
    this.progress[WAKE_AT] = -1n;
    const init: TapeWorkerInit = { path, fd, redact, progress: this.progress.buffer as SharedArrayBuffer };
    this.worker = builtWorker("record/tape-worker", init);
    this.worker.on("message", (report: TapeWorkerReport) => {
      if (report.op === "drained") this.release();
      else this.fail(report.message);
    });
    this.worker.on("error", (err) => this.fail(`the taping thread stopped: ${err.message}`));
    // Opened here, closed here: Node warns when a thread closes an fd another opened.
    this.exited = new Promise((resolve) => this.worker.once("exit", () => {
      closeSync(fd);
      resolve();
    }));
  }

  /** Creates the tape and writes its header here, so a path that cannot be written is an InputError before anything starts. */
  static async open(path: string, header: HeaderInput, redact: RedactorInit, log: (text: string) => void): Promise<RecordingTape> {
    let writer: TapeWriter;
    try {
      writer = await TapeWriter.open(path, header);
    } catch (err) {
      throw new InputError(`cannot write the tape: ${(err as Error).message}`, { file: path }, "check the path and that its folder is writable");
    }
    return new RecordingTape(path, writer.detach(), redact, log);
  }

  /** A session the tape will hear of: its line is written when it first speaks (or `ensureSession`). */
  session(info: SessionInfo): void {
    this.enqueue({ op: "session", info });
  }

  ensureSession(session: string): void {
    this.enqueue({ op: "ensure-session", session, t: Date.now() });
  }

  /**
   * One message (or stderr line) as received, without its line end. `own`: the caller hands
   * `bytes` over (a buffer of its own, never Node's pool, that it will not touch again), so
   * they may be moved to the worker rather than copied. `http`: the status, when not 2xx;
   * `answers`: then the id of the request that response answered, if it was one with an id.
   */
  line(session: string, dir: Direction | "stderr", bytes: Uint8Array, opts: { own?: boolean; http?: number; answers?: string | number } = {}): void {
    const move = opts.own === true && bytes.length >= MOVE_BYTES;
    const { http, answers } = opts;
    this.enqueue({
      op: "line", session, dir, t: Date.now(), length: bytes.length,
      ...(move ? { moved: true } : {}), ...(http === undefined ? {} : { http }), ...(answers === undefined ? {} : { answers }),
    }, bytes, move);
  }

  /** Pauses this sender while the queue is full; returns what to call once it sends no more. */
  throttle(valve: Valve): () => void {
    this.valves.add(valve);
    if (this.held) valve.hold("tape");
    return () => {
      this.valves.delete(valve);
      valve.release("tape");
    };
  }

  /** Tapes everything handed over, then the end line; fsyncs. Resolves once the worker is gone. */
  close(end: { reason: EndLine["reason"]; exitCode?: number | null }): Promise<void> {
    if (!this.ended) {
      this.enqueue({ op: "end", ...end, t: Date.now() });
      this.ended = true;
      this.flush();
    }
    return this.exited;
  }

  /**
   * The recording never began (the server could not start, the port was taken): the tape holds
   * nothing anyone sent, so it is removed rather than left to be refused as an earlier recording
   * when the corrected command runs. A device or a pipe given as -o is left alone.
   */
  async discard(): Promise<void> {
    await this.close({ reason: "error", exitCode: null });
    if (statSync(this.path, { throwIfNoEntry: false })?.isFile()) rmSync(this.path, { force: true });
  }

  private enqueue(entry: TapeEntry, bytes?: Uint8Array, move = false): void {
    if (this.ended || (this.failed && entry.op !== "end")) return;
    this.entries.push(entry);
    if (bytes !== undefined) {
      if (move) {
        this.moved.push(bytes);
      } else {
        this.pieces.push(bytes);
        this.copyBytes += bytes.length;
      }
      this.bytes += bytes.length;
    }
    if (this.bytes >= FLUSH_BYTES) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.entries.length === 0) return;
    // A buffer of our own (never Node's shared pool), so it is moved to the worker, not copied.
    const bytes = Buffer.allocUnsafeSlow(this.copyBytes);
    let at = 0;
    for (const piece of this.pieces) {
      bytes.set(piece, at);
      at += piece.length;
    }
    const batch: TapeBatch = { entries: this.entries, bytes, moved: this.moved, cost: this.bytes + this.entries.length * ENTRY_COST };
    this.entries = [];
    this.pieces = [];
    this.moved = [];
    this.copyBytes = 0;
    this.bytes = 0;
    this.worker.postMessage(batch, [bytes.buffer, ...batch.moved.map((m) => m.buffer as ArrayBuffer)]);
    this.posted += BigInt(batch.cost);
    if (!this.held && !this.failed && this.posted - Atomics.load(this.progress, TAPED) > QUEUE_HIGH) this.hold();
  }

  /** The queue is full: pause the senders until the worker reaches QUEUE_LOW and says so. */
  private hold(): void {
    const wakeAt = this.posted - BigInt(QUEUE_LOW);
    Atomics.store(this.progress, WAKE_AT, wakeAt);
    // The worker may have got there before it saw WAKE_AT: whoever clears it first acts.
    if (Atomics.load(this.progress, TAPED) >= wakeAt && Atomics.compareExchange(this.progress, WAKE_AT, wakeAt, -1n) === wakeAt) return;
    this.held = true;
    for (const v of this.valves) v.hold("tape");
  }

  private release(): void {
    if (!this.held) return;
    this.held = false;
    for (const v of this.valves) v.release("tape");
  }

  private fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.log(`cannot write the tape ${this.path}: ${message}; the session goes on unrecorded`);
    this.release();
  }
}
