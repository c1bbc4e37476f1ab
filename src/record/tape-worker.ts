/**
 * The taping thread of a recording (started by recording-tape.ts): takes the batches the
 * forwarding thread hands over, tapes each message (message-recorder.ts: redaction, the
 * received bytes or their re-serialised form), and counts what it taped in shared memory, so
 * the forwarder knows how full the queue is without being woken for it.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Redactor } from "../tape/redact.js";
import { nowIso, TapeWriter } from "../tape/writer.js";
import { MessageRecorder } from "./message-recorder.js";
import { TAPED, WAKE_AT, type TapeBatch, type TapeEntry, type TapeWorkerInit, type TapeWorkerReport } from "./recording-tape.js";

const init = workerData as TapeWorkerInit;
const port = parentPort!;
const writer = TapeWriter.adopt(init.path, init.fd);
const redactor = new Redactor(init.redact.options, init.redact.key);
const progress = new BigInt64Array(init.progress);
const sessions = new Map<string, MessageRecorder>();
let failed = false;

const report = (r: TapeWorkerReport): void => port.postMessage(r);

port.on("message", (batch: TapeBatch) => {
  const last = batch.entries.at(-1);
  const end = last?.op === "end" ? last : undefined;
  tapeSafely(() => writer.batch(() => tapeAll(batch)));
  Atomics.add(progress, TAPED, BigInt(batch.cost));
  const wakeAt = Atomics.load(progress, WAKE_AT);
  if (wakeAt >= 0n && Atomics.load(progress, TAPED) >= wakeAt && Atomics.compareExchange(progress, WAKE_AT, wakeAt, -1n) === wakeAt) {
    report({ op: "drained" });
  }
  if (end !== undefined) {
    tapeSafely(() => writer.close({ reason: end.reason, exitCode: end.exitCode, t: nowIso(end.t) }));
    port.close();
  }
});

/** A failed write is said once; after it nothing more is written, but the queue still drains. */
function tapeSafely(work: () => void): void {
  if (failed) return;
  try {
    work();
  } catch (err) {
    failed = true;
    report({ op: "failed", message: (err as Error).message });
  }
}

function tapeAll(batch: TapeBatch): void {
  let at = 0;
  let moved = 0;
  for (const entry of batch.entries) {
    if (entry.op === "line" && entry.moved) {
      const bytes = batch.moved[moved++]!;
      tapeLine(entry, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    } else if (entry.op === "line") {
      tapeLine(entry, Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset + at, entry.length));
      at += entry.length;
    } else if (entry.op === "session") {
      sessions.set(entry.info.session, new MessageRecorder(writer, redactor, entry.info));
    } else if (entry.op === "ensure-session") {
      sessions.get(entry.session)?.ensureSession(nowIso(entry.t));
    }
  }
}

function tapeLine(entry: Extract<TapeEntry, { op: "line" }>, bytes: Buffer): void {
  const recorder = sessions.get(entry.session);
  if (recorder === undefined) throw new Error(`a line for the unknown session ${entry.session}`);
  const t = nowIso(entry.t);
  if (entry.dir === "stderr") recorder.stderr(bytes, t);
  else recorder.line(entry.dir, bytes, t, entry.http, entry.answers);
}
