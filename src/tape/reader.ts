/**
 * Reading tapes streamed from a file (memory stays flat however long the tape; a tape already
 * in memory: parse-text.ts). Every line is checked against the schemas and a bad line reported
 * as an InputError with its file and line number (and column for JSON syntax errors); what a
 * crash leaves behind (a cut last line, no end line) is a warning, not an error.
 * See line-parser.ts for what is tolerated and why.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { InputError } from "../errors.js";
import { cannotRead } from "../files.js";
import { RefusedLine, TapeLineParser, type NumberedLine, type TapeWarning } from "./line-parser.js";

export { MAX_LINE_BYTES, type NumberedLine, type TapeWarning } from "./line-parser.js";

export interface ReadTapeOptions {
  /** Told about a BOM, a cut last line, a missing end line. Ignored when not given. */
  onWarning?: (w: TapeWarning) => void;
  /** Told the size of each chunk read from the file (progress bars). */
  onBytes?: (bytes: number) => void;
}

/** Bytes read at a time: the plain JSON.parse loop's (bench/scale.bench.ts); per-chunk work is noise at this size, and a batch of parsed lines stays small. */
const CHUNK_BYTES = 64 * 1024;
/**
 * Chunks read between two turns of the event loop (1 MiB), and one turn before a tape's first
 * chunk: the reads below are synchronous, and a signal (Ctrl-C), a timer (the progress bar) or
 * I/O that another part of the process started is only handled on such a turn.
 */
const CHUNKS_PER_TURN = 16;

/** The lines of the tape at `path`, in order, each checked. Throws InputError on a bad line. */
export async function* readTape(path: string, opts: ReadTapeOptions = {}): AsyncGenerator<NumberedLine> {
  for await (const batch of readTapeBatches(path, opts)) yield* batch;
}

/**
 * The same lines a chunk's worth at a time: one await per chunk instead of one per line,
 * for readers that go through millions of lines.
 *
 * Read with readSync into one reused buffer, not a read stream: the stream's machinery, a new
 * buffer and a thread-pool hop per chunk cost about a quarter of the CPU of reading and
 * parsing a tape (bench/scale-floor.mjs, its two loops). Tapes are regular files here (a pipe
 * or stdin is spooled to one first, cli/read-once.ts), so a read waits only on the disk.
 */
export async function* readTapeBatches(path: string, opts: ReadTapeOptions = {}): AsyncGenerator<NumberedLine[]> {
  const parser = new TapeLineParser(path, opts.onWarning);
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let chunks = 0; ; chunks++) {
      if (chunks % CHUNKS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
      const bytes = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (bytes === 0) break;
      opts.onBytes?.(bytes);
      const lines = parser.push(buffer.subarray(0, bytes));
      if (lines.length > 0) yield lines;
    }
    const rest = parser.end();
    if (rest.length > 0) yield rest;
  } catch (err) {
    if (err instanceof RefusedLine) throw err.explained((await import("./explain.js")).tapeLineProblem);
    throw tapeReadError(err, path);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** File system errors (missing file, a directory, no permission) are the user's to fix. */
function tapeReadError(err: unknown, path: string): unknown {
  if (err instanceof InputError) return err;
  return cannotRead(err, path, "tape", "check the path; a tape is the .jsonl file mcptape record -o writes") ?? err;
}
