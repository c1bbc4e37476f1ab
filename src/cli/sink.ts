/**
 * Streaming output to stdout or a file, buffered, waiting for stdout to drain so a long replay
 * piped into a slow reader does not pile up in memory. A reader that goes away (`| head`)
 * is not an error: what it no longer reads is dropped and the run goes on (reports to files
 * and the exit code still need the whole run).
 * A file is written whole or not at all: into a temporary file beside it, renamed over it when
 * the run finishes; a failed or interrupted run removes the temporary file (temp-files.ts) and
 * leaves the previous report as it was.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { isSpecialFile, unreadable } from "../files.js";
import { trackTempFile, untrackTempFile } from "../temp-files.js";

const FLUSH_AT = 64 * 1024;

export class Sink {
  /** Text written since the last bytes (most writes are text: one string, appended to). */
  private text = "";
  /** What came before `text` and is not yet passed on, in order: text, and bytes as they came. */
  private pieces: (string | Uint8Array)[] = [];
  private buffered = 0;
  /** The reader closed the pipe: nothing more is written. */
  private gone = false;
  private failure: Error | undefined;
  private fdClosed = false;
  private readonly onError = (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") this.gone = true;
    else this.failure ??= err;
  };

  private constructor(
    private readonly stream: NodeJS.WritableStream | null,
    private readonly fd: number | null,
    /** What a failed write names: the file given, or standard output. */
    private readonly name: string,
    /** For a file: the temporary file written and the report it becomes. */
    private readonly file?: { temp: string; target: string },
  ) {
    stream?.on("error", this.onError);
  }

  static toStream(stream: NodeJS.WritableStream): Sink {
    return new Sink(stream, null, "standard output");
  }

  /**
   * Whether nobody can read what `toFile(file)` writes cut short by a failed run: a file appears
   * only whole (a temporary file takes its place when the run finishes), and the null device keeps nothing.
   */
  static cannotBeCut(file: string): boolean {
    return !isSpecialFile(file) || isNullDevice(file);
  }

  static toFile(file: string): Sink {
    // A device or a pipe (`-o /dev/null`) is written as it is: renaming a file over it would replace it.
    if (isSpecialFile(file)) return new Sink(null, openTarget(file, "w", file), file);
    // `-o reports/junit.xml` in a fresh CI checkout: the folder is made, as the recorder makes a tape's.
    const made = makeFolder(dirname(file), file);
    // Unique enough with the pid, and created exclusively ("wx"); not node:crypto, which costs every start-up 3 ms.
    const temp = join(dirname(file), `.${basename(file)}.${process.pid}-${Math.random().toString(16).slice(2, 10)}.tmp`);
    let sink: Sink | undefined;
    // Noted before it exists: a signal between its creation and the noting would leave it behind.
    trackTempFile(temp, () => {
      sink?.closeFd();
      rmSync(temp, { force: true });
      // A run that wrote no report leaves no folder made for it.
      removeMadeFolders(dirname(file), made);
    });
    try {
      sink = new Sink(null, openTarget(temp, "wx", file), file, { temp, target: file });
    } catch (err) {
      untrackTempFile(temp);
      removeMadeFolders(dirname(file), made);
      throw err;
    }
    return sink;
  }

  /** Buffers text or UTF-8 bytes; call `drain()` now and then to pass it on and wait for a slow reader. */
  write(data: string | Uint8Array): void {
    if (this.gone) return;
    this.buffered += data.length;
    if (typeof data === "string") {
      this.text += data;
      return;
    }
    if (this.text !== "") this.pieces.push(this.text);
    this.text = "";
    this.pieces.push(data);
  }

  async drain(): Promise<void> {
    if (this.buffered >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    const pieces = this.pieces;
    if (this.text !== "") pieces.push(this.text);
    this.pieces = [];
    this.text = "";
    this.buffered = 0;
    this.throwIfFailed();
    if (pieces.length === 0 || this.gone) return;
    if (this.fd !== null) {
      try {
        for (const piece of pieces) {
          // One call each way: writeSync's text and bytes forms are two overloads.
          if (typeof piece === "string") writeSync(this.fd, piece);
          else writeSync(this.fd, piece);
        }
      } catch (err) {
        this.failure = err as Error;
        this.throwIfFailed();
      }
      return;
    }
    let full = false;
    for (const piece of pieces) full = this.stream?.write(piece) === false || full;
    if (full) {
      await this.drained(this.stream!);
      this.throwIfFailed();
    }
  }

  /**
   * A write that failed (a full disk, `> /dev/full`) is the user's to fix, as an unwritable
   * path is: said with the output's name, exit 2, never an internal error.
   */
  private throwIfFailed(): void {
    if (!this.failure) return;
    const where = this.stream ? undefined : { file: this.name };
    throw new InputError(`cannot write ${this.name}: ${unreadable(this.failure)}`, where, "free some space, or write the report elsewhere");
  }

  /** Writes what is left and closes; a file takes its report's place only at `commit`. */
  async finish(): Promise<void> {
    // A stream keeps its listener: a write's EPIPE can still arrive after the last flush.
    await this.flush();
    if (this.stream && !this.gone) {
      // A stream reports a failed write later (a file's SyncWriteStream on the next tick): wait for the last one.
      await new Promise<void>((resolve) => this.stream!.write("", () => resolve()));
      if (!this.gone) this.throwIfFailed();
    }
    this.closeFd();
  }

  private closeFd(): void {
    if (this.fd !== null && !this.fdClosed) closeSync(this.fd);
    this.fdClosed = true;
  }

  /** A finished file takes its report's place. */
  commit(): void {
    if (!this.file) return;
    try {
      renameSync(this.file.temp, this.file.target);
    } catch (err) {
      unlinkSync(this.file.temp);
      throw new InputError(`cannot write ${this.file.target}: ${unreadable(err)}`, { file: this.file.target }, "check the path and its folder");
    } finally {
      untrackTempFile(this.file.temp);
    }
  }

  /** Resolves when the stream takes more, or fails (then `onError` has noted why). */
  private drained(stream: NodeJS.WritableStream): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        stream.off("drain", done);
        stream.off("error", done);
        resolve();
      };
      stream.on("drain", done);
      stream.on("error", done);
    });
  }
}

function isNullDevice(file: string): boolean {
  const stat = statSync(file, { throwIfNoEntry: false });
  const devNull = statSync("/dev/null", { throwIfNoEntry: false });
  return stat !== undefined && devNull !== undefined && stat.isCharacterDevice() && stat.rdev === devNull.rdev;
}

/** Makes `folder` and any missing folder above it; the first one made, if any. */
function makeFolder(folder: string, file: string): string | undefined {
  try {
    return mkdirSync(folder, { recursive: true });
  } catch (err) {
    // mkdir says EEXIST where a file stands in the way of a folder.
    const why = (err as NodeJS.ErrnoException).code === "EEXIST" ? "a folder on its path is a file" : unreadable(err);
    throw new InputError(`cannot write ${file}: ${why}`, { file }, "check the path and its folder");
  }
}

/** Removes the folders makeFolder made, from `folder` up to `made`, each only if still empty. */
function removeMadeFolders(folder: string, made: string | undefined): void {
  if (made === undefined) return;
  // Both absolute: mkdir gives the first folder it made in the form it was given (`-o ./a/../b/r.json`).
  const last = resolve(made);
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty: something else was put there
    }
    if (dir === last || dir === dirname(dir)) return;
  }
}

function openTarget(path: string, flags: string, file: string): number {
  try {
    return openSync(path, flags);
  } catch (err) {
    throw new InputError(`cannot write ${file}: ${unreadable(err)}`, { file }, "check the path and its folder");
  }
}

/**
 * Finishes every sink of a run before any file takes its report's place: a write that fails
 * (a full disk) leaves every report as it was, not the ones closed before it new.
 */
export async function closeAll(sinks: readonly Sink[]): Promise<void> {
  for (const sink of sinks) await sink.finish();
  for (const sink of sinks) sink.commit();
}
