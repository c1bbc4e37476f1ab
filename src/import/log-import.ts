/**
 * The one way a gateway's JSON-lines audit log becomes a tape, whichever gateway wrote it:
 * streamed line by line (memory does not grow with the log), written beside the output and
 * renamed over it once whole, so a log that turns out bad half-way leaves a tape already at
 * that path as it was. A bad line stops the import with its file, line and column, except a last line
 * cut short (no newline after it: the log was still being written), which is left out with a
 * note. The log may be a pipe, or `-` for standard input: it is read once, as it streams.
 * Each gateway's module says how one line reads and what it writes.
 */
import { createHash } from "node:crypto";
import { renameSync, rmSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import type { Readable } from "node:stream";
import { basename, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { InputError, type Position } from "../errors.js";
import { cannotRead } from "../files.js";
import { refusedJson } from "../json/syntax-offset.js";
import { columnOfField } from "../tape/line-parser.js";
import type { RedactionInfo } from "../tape/redact.js";
import { nowIso, TapeWriter } from "../tape/writer.js";
import { VERSION } from "../version.js";

export interface LogFormat<E extends { t: number }> {
  /** The tape id is `<idPrefix>-<hash of the log's first line>`: importing twice gives the same tape. */
  idPrefix: string;
  /** Where this gateway writes its log, for a "no such audit log" error. */
  whereLogsAre: string;
  /** Parses one non-empty line; throws InputError naming the file and line. */
  parse(text: string, file: string, line: number): E;
  /** Writes what the event means to the tape. */
  write(event: E, writer: TapeWriter, line: number): void;
  /** The header's `redaction`, for a log whose values are redacted on the way to the tape. */
  redaction?: RedactionInfo;
}

export interface LogImportOptions {
  /** Told about things worth knowing that do not stop the import (a cut last line, …). */
  onNote?: (note: string) => void;
}

const BOM = "\uFEFF";
const QUEUE_LINES = 512;

/** The log named `-` is standard input (`zcat audit.jsonl.gz | mcptape import ... -`). */
const STDIN = "-";

/** What messages call the log: `stdin` for `-`, else its path as given. */
export function logName(log: string): string {
  return log === STDIN ? "stdin" : log;
}

export async function importLog<E extends { t: number }>(log: string, tape: string, format: LogFormat<E>, options: LogImportOptions = {}): Promise<void> {
  const note = options.onNote ?? (() => {});
  const input = log === STDIN ? process.stdin.setEncoding("utf8") : await openLog(log, format.whereLogsAre);
  const name = logName(log);
  // Whether the log ends with a newline, seen as it streams by: a pipe or standard input has no size to look at the end of.
  let lastChar = "\n";
  input.on("data", (chunk: string) => {
    if (chunk.length > 0) lastChar = chunk[chunk.length - 1]!;
  });
  let writer: TapeWriter | undefined;
  let lastT: number | undefined;
  let lineNo = 0;
  // Events are written QUEUE_LINES at a time, in one writev: a syscall a line was half an import's time.
  let queued: { event: E; lineNo: number }[] = [];
  const flush = (): void => {
    const [w, q] = [writer, queued];
    queued = [];
    if (w && q.length > 0) w.batch(() => q.forEach(({ event, lineNo: at }) => format.write(event, w, at)));
  };
  /** A bad line is an error unless it is the last one and the file does not end in a newline (cut short). */
  let pending: InputError | undefined;

  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (let text of lines) {
      lineNo++;
      if (pending) {
        flush(); // what an earlier line's writing has to say comes first
        throw pending;
      }
      if (lineNo === 1 && text.startsWith(BOM)) {
        // Gateways write none, but an editor that saved the log may have; as the tape reader does.
        text = text.slice(1);
        note(`${name}:1: the log starts with a UTF-8 byte order mark; ignored`);
      }
      if (text.trim() === "") continue;
      let event: E;
      try {
        event = format.parse(text, name, lineNo);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        pending = err;
        continue;
      }
      writer ??= await openTape(tape, event.t, text, format);
      lastT = event.t;
      queued.push({ event, lineNo });
      if (queued.length >= QUEUE_LINES) flush();
    }
    flush();
    if (pending) {
      if (lastChar === "\n") throw pending;
      note(`${name}:${lineNo}: the last line is cut short (was the log still being written?); it is left out`);
    }
  } catch (err) {
    writer?.close({ reason: "error" });
    if (writer) rmSync(writer.path, { force: true });
    throw readError(err, name, format.whereLogsAre);
  } finally {
    lines.close();
    input.destroy();
  }
  writer ??= await openTape(tape, Date.now(), "", format);
  writer.close({ reason: "closed", t: nowIso(lastT ?? Date.now()) });
  try {
    renameSync(writer.path, tape);
  } catch (err) {
    rmSync(writer.path, { force: true });
    throw new InputError(`cannot write the tape: ${(err as Error).message}`, { file: tape }, "check the path given with -o/--output");
  }
}

async function openTape<E extends { t: number }>(tape: string, t: number, firstLine: string, format: LogFormat<E>): Promise<TapeWriter> {
  const id = `${format.idPrefix}-${createHash("sha256").update(firstLine).digest("hex").slice(0, 16)}`;
  const header = { id, t: nowIso(t), recorder: { name: "mcptape import", version: VERSION }, transport: "import" as const, ...(format.redaction ? { redaction: format.redaction } : {}) };
  try {
    return await TapeWriter.open(join(dirname(tape), `.${basename(tape)}.${process.pid}.importing`), header);
  } catch (err) {
    throw new InputError(`cannot write the tape: ${(err as Error).message}`, { file: tape }, "check the path given with -o/--output");
  }
}

/** The log as a stream of text, or bad input when there is none to read (no such file, a folder). */
async function openLog(path: string, whereLogsAre: string): Promise<Readable> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, "r");
    if ((await handle.stat()).isDirectory()) throw Object.assign(new Error(`EISDIR: ${path}`), { code: "EISDIR" });
    return handle.createReadStream({ encoding: "utf8" });
  } catch (err) {
    await handle?.close();
    throw readError(err, path, whereLogsAre);
  }
}

function readError(err: unknown, path: string, whereLogsAre: string): unknown {
  if (err instanceof InputError) return err;
  return cannotRead(err, path, "audit log", whereLogsAre) ?? err;
}

/** Where a line's problem is: at the value of a top-level key, else (a key missing) at the line's object. */
export type FieldAt = (key?: string) => Position;

/** The positions of one log line's fields, for errors that point at the value that is wrong. */
export function fieldsOf(text: string, file: string, line: number): FieldAt {
  const start = text.length - text.trimStart().length + 1;
  return (key) => ({ file, line, col: (key === undefined ? undefined : columnOfField(text, key)) ?? start });
}

/** One line of a JSON-lines log as an object, or bad input at its line; `format` names the log ("an Intercept audit log"). */
export function jsonObjectOfLine(text: string, where: Position, format: string): Record<string, unknown> {
  const hint = `${format} has one JSON object a line`;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const { message, col } = refusedJson(err, text);
    throw new InputError(`not a JSON line: ${message}`, { ...where, col }, hint);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new InputError("not a JSON object", where, hint);
  return raw as Record<string, unknown>;
}
