/**
 * The append-only tape writer (spec/tape.md).
 *
 * Each line goes to the file in one synchronous writev() on the fd (several lines in one
 * inside `batch`), so a crash or kill -9 leaves every complete line good and at most the last
 * one cut short. Nothing outlives a call in the process: what it returned from is in the
 * kernel. `sync()` also asks the kernel to put it on disk.
 */
import { randomUUID } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, writevSync } from "node:fs";
import { dirname } from "node:path";
import { TAPE_VERSION, type EndLine, type HeaderLine, type MsgLine, type TapeLine } from "./schema.js";
import { serializeLine } from "./serialize.js";
import { explainTapeLine } from "./explain.js";

/** A tape time: ISO-8601 UTC with milliseconds, for `ms` since the epoch (default: now). */
export function nowIso(ms: number = Date.now()): string {
  return new Date(ms).toISOString();
}

type SeqKind = Extract<TapeLine, { seq: number }>;
type OtherKind = Exclude<TapeLine, SeqKind | HeaderLine | EndLine>;
/** `t` defaults to now; `seq` is assigned by the writer when left out. */
export type SeqLineInput = SeqKind extends infer L
  ? L extends SeqKind ? Omit<L, "seq" | "t"> & { seq?: number; t?: string } : never
  : never;
export type OtherLineInput = OtherKind extends infer L
  ? L extends OtherKind ? Omit<L, "t"> & { t?: string } : never
  : never;
export type LineInput = SeqLineInput | OtherLineInput;

/** The header without `kind`; `tape` defaults to the current version, `id` to a UUID, `t` to now. */
export type HeaderInput = Omit<HeaderLine, "kind" | "tape" | "id" | "t"> & Partial<Pick<HeaderLine, "tape" | "id" | "t">>;
export type EndInput = Pick<EndLine, "reason"> & Partial<Pick<EndLine, "exitCode" | "t">>;
/** A msg line's fields other than the payload, for `writeMsgRaw`. */
export type MsgFields = Omit<MsgLine, "kind" | "msg" | "seq" | "t"> & { seq?: number; t?: string };

/** Stands for the message in a line serialised around it: JSON.stringify never writes a raw NUL. */
const MSG_MARK = "\u0000";
const NEWLINE = Buffer.from("\n");
/** writev takes at most this many pieces a call (IOV_MAX on Linux). */
const MAX_PIECES = 1024;

export class TapeWriter {
  private nextSeq = 1;
  private messages = 0;
  private closed = false;
  /** Inside `batch`: the pieces waiting for its one writev. */
  private pending: Buffer[] | undefined;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    /** Whether `close` closes the fd: not an adopted one, which its opener closes. */
    private readonly ownsFd = true,
  ) {}

  /** Creates (or truncates) the tape at `path`, and its directory, and writes the header line. */
  static async open(path: string, header: HeaderInput): Promise<TapeWriter> {
    mkdirSync(dirname(path), { recursive: true });
    const writer = new TapeWriter(path, openSync(path, "w"));
    const line = { kind: "header", tape: TAPE_VERSION, id: randomUUID(), t: nowIso(), ...header } as HeaderLine;
    writer.append(line);
    return writer;
  }

  /**
   * Takes over a tape whose header another TapeWriter wrote (on another thread: the fd is the
   * process's), to write its lines and end. `close` leaves the fd open for the thread that opened it.
   */
  static adopt(path: string, fd: number): TapeWriter {
    return new TapeWriter(path, fd, false);
  }

  /** Hands the open file over to `adopt` (on another thread); this writer writes no more. */
  detach(): number {
    this.assertOpen();
    this.closed = true;
    return this.fd;
  }

  /** Runs `work`, writing every line it appends in one writev at its end. */
  batch(work: () => void): void {
    if (this.pending !== undefined) return work();
    this.pending = [];
    try {
      work();
    } finally {
      const pieces = this.pending;
      this.pending = undefined;
      this.writeAll(pieces);
    }
  }

  /** Lines with a `seq` (msg, raw, call) so far: what the end line's `messages` will say. */
  get messageCount(): number {
    return this.messages;
  }

  /**
   * Appends one line. msg, raw and call lines get the next `seq` unless one is given; their
   * seq is returned. Throws (a bug in the caller, not bad input) on a line the reader would
   * reject.
   */
  write(line: SeqLineInput): number;
  write(line: OtherLineInput): undefined;
  write(line: LineInput): number | undefined;
  write(line: LineInput): number | undefined {
    const full = { ...line, t: line.t ?? nowIso() } as Record<string, unknown>;
    const hasSeq = line.kind === "msg" || line.kind === "raw" || line.kind === "call";
    if (!hasSeq) {
      this.append(full as TapeLine);
      return undefined;
    }
    const seq = this.seqFor(full.seq as number | undefined);
    full.seq = seq;
    this.append(full as TapeLine);
    this.usedSeq(seq);
    return seq;
  }

  /**
   * Appends a msg line whose payload is `text`, a message exactly as it came off the wire,
   * spliced in verbatim so the tape keeps the sender's bytes (line breaks inside it, which
   * can only be JSON whitespace, are dropped). Pass `parsed` when the caller has already
   * parsed `text`, to save parsing it again. Text that is not JSON becomes a `raw` line
   * (kept, never dropped). Returns the seq.
   */
  writeMsgRaw(fields: MsgFields, text: string, parsed?: unknown): number {
    let value = parsed;
    if (value === undefined) {
      try {
        value = JSON.parse(text);
      } catch {
        const { redacted: _redacted, ...rest } = fields;
        return this.write({ ...rest, kind: "raw", text });
      }
    }
    const t = fields.t ?? nowIso();
    const seq = this.seqFor(fields.seq);
    const line = { ...fields, kind: "msg", seq, t, msg: value } as MsgLine;
    this.check(line);
    const oneLine = text.includes("\n") || text.includes("\r") ? text.replace(/[\r\n]/g, "") : text;
    this.appendText(serializeLine(line, oneLine));
    this.messages++;
    this.usedSeq(seq);
    return seq;
  }

  /**
   * Appends a msg line whose payload is `bytes` as received: the line is a prefix, those very
   * bytes and a suffix, with no decoding or re-encoding. The caller vouches that `bytes` are
   * JSON it has parsed (`parsed`), valid UTF-8, with no CR or LF. Returns the seq.
   */
  writeMsgBytes(fields: MsgFields, bytes: Uint8Array, parsed: unknown): number {
    const t = fields.t ?? nowIso();
    const seq = this.seqFor(fields.seq);
    const line = { ...fields, kind: "msg", seq, t, msg: parsed } as MsgLine;
    this.check(line);
    const around = serializeLine(line, MSG_MARK);
    const mark = around.indexOf(MSG_MARK);
    this.appendPieces([Buffer.from(around.slice(0, mark), "utf8"), bytes as Buffer, Buffer.from(around.slice(mark + MSG_MARK.length) + "\n", "utf8")]);
    this.messages++;
    this.usedSeq(seq);
    return seq;
  }

  /** Flushes the tape to disk (fsync). */
  sync(): void {
    this.assertOpen();
    fsyncSync(this.fd);
  }

  /** Writes the end line (with the message count), flushes to disk and closes the file. */
  close(end: EndInput): void {
    this.assertOpen();
    this.append({ kind: "end", t: end.t ?? nowIso(), messages: this.messages, reason: end.reason, exitCode: end.exitCode });
    fsyncSync(this.fd);
    this.closed = true;
    if (this.ownsFd) closeSync(this.fd);
  }

  private seqFor(given: number | undefined): number {
    return given ?? this.nextSeq;
  }

  /** Called only once the line is written, so a refused line does not use up a seq. */
  private usedSeq(seq: number): void {
    if (seq >= this.nextSeq) this.nextSeq = seq + 1;
  }

  private append(line: TapeLine): void {
    this.check(line);
    this.appendText(serializeLine(line));
    if ("seq" in line) this.messages++;
  }

  private check(line: TapeLine): void {
    const problem = explainTapeLine(line);
    if (problem !== undefined) throw new Error(`TapeWriter: not a valid ${line.kind} line: ${problem}`);
  }

  private appendText(json: string): void {
    this.appendPieces([Buffer.from(json, "utf8"), NEWLINE]);
  }

  /** One writev for the whole line (or batch), so a reader never sees half of it unless we crash mid-call. */
  private appendPieces(pieces: Buffer[]): void {
    this.assertOpen();
    if (this.pending !== undefined) this.pending.push(...pieces);
    else this.writeAll(pieces);
  }

  private writeAll(pieces: Buffer[]): void {
    let at = 0;
    while (at < pieces.length) {
      const call = pieces.slice(at, at + MAX_PIECES);
      let want = 0;
      for (const p of call) want += p.length;
      const wrote = writevSync(this.fd, call);
      if (wrote === want) {
        at += call.length;
        continue;
      }
      // A short write (rare: a signal, a nearly full disk): go on from the first byte not written.
      let skip = wrote;
      while (skip >= pieces[at]!.length) skip -= pieces[at++]!.length;
      pieces[at] = pieces[at]!.subarray(skip);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`TapeWriter: ${this.path} is already closed`);
  }
}
