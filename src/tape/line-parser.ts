/**
 * Turns the bytes of a tape, fed in chunks of any size, into checked tape lines with their
 * line numbers. Synchronous and I/O-free: `readTape` feeds it from a file stream, `parseTape`
 * from a string. Memory holds one chunk plus at most one unfinished line.
 *
 * Decisions (spec/tape.md says UTF-8, `\n` line ends):
 * - `\r\n` is tolerated: the `\r` is JSON whitespace, so the line parses the same.
 * - Blank lines (only whitespace) are skipped: hand-written tapes end with them.
 * - A UTF-8 byte order mark at the start is skipped with a warning (editors add one).
 * - Invalid UTF-8 is an error naming the line, except in a cut last line (a kill can cut a
 *   character in half).
 * - The last line without `\n` is a complete line when it parses; otherwise it was cut short
 *   by a crash: a warning, not an error.
 * - The first line must be the header; no line may follow `end`; a tape without `end` was
 *   cut short: a warning.
 */
import { isUtf8 } from "node:buffer";
import { InputError } from "../errors.js";
import { CLOSE_BRACE, CLOSE_BRACKET, COLON, JsonScanner, OPEN_BRACE, OPEN_BRACKET, QUOTE } from "../json/scanner.js";
import { refusedJson } from "../json/syntax-offset.js";
import type { LineProblem } from "./explain.js";
import { unpackerOf } from "./compressed.js";
import type { TapeLine } from "./schema.js";
import { validLineTime } from "./validate.js";

export interface TapeWarning {
  file: string;
  line: number;
  message: string;
}

export interface NumberedLine {
  line: TapeLine;
  /** 1-based line number in the file. */
  lineNo: number;
  /** The line's `t` in ms since the epoch. */
  t: number;
}

/** The longest line we accept; past that the file is not a tape (or a runaway one). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

const NL = 0x0a;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const TAPE_HINT = "each line of a tape is one JSON object with a \"kind\" (see docs/spec/tape.md)";

/** Says what is wrong with a value the fast checks refused (explain.ts's tapeLineProblem). */
export type Explain = (value: unknown) => LineProblem | undefined;

/**
 * Parses one line of text (without its `\n`) into a tape line, or throws InputError saying
 * where and what is wrong. Checks the line alone, not its place in the tape.
 */
export function parseLine(text: string, file: string, lineNo: number, explain: Explain): TapeLine {
  return checkedLine(text, file, lineNo, explain).line;
}

function checkedLine(text: string, file: string, lineNo: number, explain: Explain | undefined): NumberedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw notJson(err, text, file, lineNo);
  }
  return checkValue(value, text, file, lineNo, explain);
}

function checkValue(value: unknown, text: string, file: string, lineNo: number, explain: Explain | undefined): NumberedLine {
  const t = validLineTime(value);
  if (Number.isNaN(t)) {
    const refused = new RefusedLine(value, text, file, lineNo);
    throw explain ? refused.explained(explain) : refused;
  }
  // The parsed object itself, not a copy: fields we do not know yet are kept.
  return { line: value as TapeLine, lineNo, t };
}

/**
 * A line the fast checks refused, thrown by a parser given no `explain` so that zod is loaded
 * only when a tape has a bad line: its reader loads explain.ts and throws `explained()`.
 */
export class RefusedLine extends Error {
  constructor(
    readonly value: unknown,
    readonly text: string,
    readonly file: string,
    readonly lineNo: number,
  ) {
    super(`${file}:${lineNo}: not a valid tape line`);
  }

  /** The InputError that says what is wrong and where. */
  explained(explain: Explain): InputError {
    const problem = explain(this.value);
    if (problem === undefined) throw new Error("the fast tape line check refused a line the schema takes");
    // A field error says enough; a line that is not a tape line at all gets the hint.
    const hint = problem.hint ?? (problem.field === undefined || problem.field === "kind" ? TAPE_HINT : undefined);
    const col = problem.field === undefined ? undefined : columnOfField(this.text, problem.field);
    return new InputError(problem.message, { file: this.file, line: this.lineNo, col }, hint);
  }
}

/**
 * The 1-based column of the value of top-level key `key` in the JSON object `text` (the last
 * one, as JSON.parse keeps the last of repeated keys), or undefined when it is not there.
 * Only runs on a line JSON.parse took and the checks refused.
 */
export function columnOfField(text: string, key: string): number | undefined {
  const s = new JsonScanner(text);
  let depth = 0;
  let found: number | undefined;
  for (let c = s.skipSpace(); c !== -1; c = s.skipSpace()) {
    if (c === QUOTE) {
      const name = s.readString();
      if (depth === 1 && s.eat(COLON) && name === key) {
        s.skipSpace();
        found = s.pos + 1;
      }
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    s.pos++;
  }
  return found;
}

function notJson(err: unknown, text: string, file: string, lineNo: number): InputError {
  const { message, col } = refusedJson(err, text);
  return new InputError(`not JSON: ${message}`, { file, line: lineNo, col }, TAPE_HINT);
}

export class TapeLineParser {
  /** Bytes of the line not finished by the last chunk. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private lineNo = 0;
  private started = false;
  private sawHeader = false;
  private lastKind: TapeLine["kind"] | undefined;
  private cut = false;
  private lastSeq = 0;
  private warnedSeq = false;

  /** Without `explain`, a line the checks refuse is thrown as a RefusedLine. */
  constructor(
    readonly file: string,
    private readonly onWarning: (w: TapeWarning) => void = () => {},
    private readonly explain?: Explain,
  ) {}

  /**
   * The complete lines in `chunk` (plus what came before it), checked. The caller may reuse
   * `chunk`'s memory once this returns: what is kept of it for the next chunk is copied.
   */
  push(chunk: Buffer): NumberedLine[] {
    const out: NumberedLine[] = [];
    if (!this.started) {
      const head = this.pendingBytes > 0 ? Buffer.concat([...this.pending, chunk]) : chunk;
      this.pending = [];
      this.pendingBytes = 0;
      if (head.length < BOM.length && BOM.subarray(0, head.length).equals(head)) {
        // Too short to tell whether this is a byte order mark; wait for more.
        this.keep(head);
        return out;
      }
      this.started = true;
      chunk = head;
      if (chunk.subarray(0, BOM.length).equals(BOM)) {
        this.onWarning({ file: this.file, line: 1, message: "tape starts with a UTF-8 byte order mark; ignored" });
        chunk = chunk.subarray(BOM.length);
      }
    }
    let start = 0;
    let nl = chunk.indexOf(NL);
    if (nl === -1) {
      this.keep(chunk);
      return out;
    }
    if (this.pendingBytes > 0) {
      // The line begun in earlier chunks ends here.
      this.checkLength(this.pendingBytes + nl);
      const line = Buffer.concat([...this.pending, chunk.subarray(0, nl)]);
      this.pending = [];
      this.pendingBytes = 0;
      this.takeLines(line, 0, line.length + 1, out);
      start = nl + 1;
      nl = chunk.lastIndexOf(NL);
      if (nl < start) {
        this.keep(chunk.subarray(start));
        return out;
      }
    } else {
      nl = chunk.lastIndexOf(NL);
    }
    this.takeLines(chunk, start, nl + 1, out);
    if (nl + 1 < chunk.length) this.keep(chunk.subarray(nl + 1));
    return out;
  }

  /** The last line (if the tape does not end with `\n`) and the checks on the tape as a whole. */
  end(): NumberedLine[] {
    const out: NumberedLine[] = [];
    if (this.pendingBytes > 0) {
      const bytes = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      // Unless the file holds only (part of) a byte order mark.
      if (this.started) this.takeLastLine(bytes, out);
    }
    if (!this.sawHeader) {
      const message = this.cut ? "empty tape: its only line is cut short" : "empty tape";
      throw new InputError(message, { file: this.file }, "a tape starts with a header line");
    }
    if (this.lastKind !== "end") {
      this.onWarning({ file: this.file, line: this.lineNo, message: "tape has no end line: the recording was cut short" });
    }
    return out;
  }

  private keep(bytes: Buffer): void {
    this.checkLength(this.pendingBytes + bytes.length);
    this.pending.push(Buffer.from(bytes)); // a copy: the chunk's memory may be reused
    this.pendingBytes += bytes.length;
  }

  private checkLength(bytes: number): void {
    if (bytes > MAX_LINE_BYTES) {
      throw new InputError(
        `line is longer than ${MAX_LINE_BYTES / (1024 * 1024)} MiB`,
        { file: this.file, line: this.lineNo + 1 },
        "is this a tape? tape lines are single JSON objects ending in \\n",
      );
    }
  }

  /** Lines in buf[from, to), where to - 1 is a `\n` (or one past the end). */
  private takeLines(buf: Buffer, from: number, to: number, out: NumberedLine[]): void {
    const end = Math.min(to - 1, buf.length);
    if (end - from > MAX_LINE_BYTES) {
      // Only the longest line matters, but a chunk can hold one only when chunks are huge.
      let s = from;
      while (s < end) {
        const n = buf.indexOf(NL, s);
        const e = n === -1 || n > end ? end : n;
        this.checkLengthAt(e - s, s, buf, from);
        s = e + 1;
      }
    }
    const region = buf.subarray(from, end);
    if (!isUtf8(region)) this.failUtf8(buf, from, end);
    // One decode per chunk, then split the string: cheaper than decoding line by line.
    const text = region.toString("utf8");
    let s = 0;
    for (;;) {
      const n = text.indexOf("\n", s);
      this.takeLine(n === -1 ? text.slice(s) : text.slice(s, n), out);
      if (n === -1) break;
      s = n + 1;
    }
  }

  private checkLengthAt(len: number, at: number, buf: Buffer, from: number): void {
    if (len > MAX_LINE_BYTES) {
      this.lineNo += countNewlines(buf, from, at);
      this.checkLength(len);
    }
  }

  private takeLine(text: string, out: NumberedLine[]): void {
    const lineNo = ++this.lineNo;
    // A line that starts with `{` is not blank: one test spares most lines the regex.
    if (text.charCodeAt(0) !== OPEN_BRACE && isBlank(text)) return;
    const numbered = checkedLine(text, this.file, lineNo, this.explain);
    this.place(numbered.line, lineNo);
    out.push(numbered);
  }

  private takeLastLine(bytes: Buffer, out: NumberedLine[]): void {
    const lineNo = this.lineNo + 1;
    let value: unknown;
    try {
      if (!isUtf8(bytes)) throw new Error("invalid UTF-8");
      value = JSON.parse(bytes.toString("utf8"));
    } catch {
      if (isBlank(bytes.toString("utf8"))) {
        this.lineNo = lineNo;
        return;
      }
      this.cut = true;
      this.onWarning({ file: this.file, line: lineNo, message: "tape is truncated: last line cut short" });
      return;
    }
    this.lineNo = lineNo;
    const numbered = checkValue(value, bytes.toString("utf8"), this.file, lineNo, this.explain);
    this.place(numbered.line, lineNo);
    out.push(numbered);
  }

  /** Checks a line's place in the tape: header first and once, nothing after end. */
  private place(line: TapeLine, lineNo: number): void {
    const where = { file: this.file, line: lineNo };
    if (!this.sawHeader) {
      if (line.kind !== "header") {
        throw new InputError(`the first line must be a header, got a ${line.kind} line`, where, TAPE_HINT);
      }
      this.sawHeader = true;
    } else if (line.kind === "header") {
      throw new InputError("a second header line: a tape has one header, on its first line", where);
    } else if (this.lastKind === "end") {
      throw new InputError(`a ${line.kind} line after the end line: end must be the last line`, where);
    }
    this.lastKind = line.kind;
    if ("seq" in line) this.checkSeq(line.seq, lineNo);
  }

  /**
   * Recorders number msg, raw and call lines 1, 2, … in order; a duplicate or a step back
   * means lines were pasted together or edited. Replay still works (it pairs by id, not seq),
   * so this is a warning, given once per tape.
   */
  private checkSeq(seq: number, lineNo: number): void {
    if (seq <= this.lastSeq && !this.warnedSeq) {
      this.warnedSeq = true;
      const what = seq === this.lastSeq ? "repeats" : "goes back from";
      this.onWarning({ file: this.file, line: lineNo, message: `seq ${seq} ${what} seq ${this.lastSeq} of an earlier line: lines were reordered or pasted together (further ones not reported)` });
    }
    this.lastSeq = Math.max(this.lastSeq, seq);
  }

  private failUtf8(buf: Buffer, from: number, end: number): never {
    // The first line, from the file's first byte: a compressed tape through a pipe or standard input.
    const unpacker = this.lineNo === 0 && this.pendingBytes === 0 ? unpackerOf(buf.subarray(from)) : undefined;
    if (unpacker) throw new InputError(`the tape is compressed (${unpacker} unpacks it); mcptape reads tapes as text`, { file: this.file }, `unpack it on the way in: ${unpacker} FILE | mcptape replay - …, or name <(${unpacker} FILE)`);
    let s = from;
    let lineNo = this.lineNo;
    while (s < end) {
      const n = buf.indexOf(NL, s);
      const e = n === -1 || n > end ? end : n;
      lineNo++;
      if (!isUtf8(buf.subarray(s, e))) {
        throw new InputError("line is not valid UTF-8", { file: this.file, line: lineNo }, "tapes are UTF-8 text");
      }
      s = e + 1;
    }
    throw new Error("isUtf8 failed on a region but on none of its lines");
  }
}

function isBlank(text: string): boolean {
  return text.length === 0 || /^[ \t\r]*$/.test(text);
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = buf.indexOf(NL, from); i !== -1 && i < to; i = buf.indexOf(NL, i + 1)) count++;
  return count;
}
