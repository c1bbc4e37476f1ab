/**
 * The append-only tape writer (spec/tape.md).
 *
 * Each line goes to the file in one synchronous write() on the fd, so a crash or kill -9
 * leaves every complete line good and at most the last one cut short. Nothing is buffered in
 * the process: what write() returned from is in the kernel. `sync()` also asks the kernel to
 * put it on disk.
 */
import { randomUUID } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { TAPE_VERSION, type EndLine, type HeaderLine, type MsgLine, type TapeLine } from "./schema.js";
import { serializeLine } from "./serialize.js";
import { explainTapeLine } from "./validate.js";

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

export class TapeWriter {
  private nextSeq = 1;
  private messages = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  /** Creates (or truncates) the tape at `path`, and its directory, and writes the header line. */
  static async open(path: string, header: HeaderInput): Promise<TapeWriter> {
    mkdirSync(dirname(path), { recursive: true });
    const writer = new TapeWriter(path, openSync(path, "w"));
    const line = { kind: "header", tape: TAPE_VERSION, id: randomUUID(), t: nowIso(), ...header } as HeaderLine;
    writer.append(line);
    return writer;
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
    closeSync(this.fd);
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

  /** One write() for the whole line, so a reader never sees half of it unless we crash mid-call. */
  private appendText(json: string): void {
    this.assertOpen();
    const bytes = Buffer.from(json + "\n", "utf8");
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`TapeWriter: ${this.path} is already closed`);
  }
}
