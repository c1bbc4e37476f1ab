/**
 * Streaming output to stdout or a file, buffered, waiting for stdout to drain so a long replay
 * piped into a slow reader does not pile up in memory. A reader that goes away (`| head`)
 * is not an error: what it no longer reads is dropped and the run goes on (reports to files
 * and the exit code still need the whole run).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { InputError } from "../errors.js";

const FLUSH_AT = 64 * 1024;

export class Sink {
  private buffer = "";
  /** The reader closed the pipe: nothing more is written. */
  private gone = false;
  private failure: Error | undefined;
  private readonly onError = (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") this.gone = true;
    else this.failure ??= err;
  };

  private constructor(
    private readonly stream: NodeJS.WritableStream | null,
    private readonly fd: number | null,
  ) {
    stream?.on("error", this.onError);
  }

  static toStream(stream: NodeJS.WritableStream): Sink {
    return new Sink(stream, null);
  }

  static toFile(file: string): Sink {
    try {
      return new Sink(null, openSync(file, "w"));
    } catch (err) {
      throw new InputError(`cannot write ${file}: ${(err as Error).message}`, { file }, "check the path and its folder");
    }
  }

  /** Buffers text; call `drain()` now and then to pass it on and wait for a slow reader. */
  write(text: string): void {
    if (!this.gone) this.buffer += text;
  }

  async drain(): Promise<void> {
    if (this.buffer.length >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    const text = this.buffer;
    this.buffer = "";
    if (this.failure) throw this.failure;
    if (!text || this.gone) return;
    if (this.fd !== null) {
      writeSync(this.fd, text);
    } else if (this.stream && !this.stream.write(text)) {
      await this.drained(this.stream);
      if (this.failure) throw this.failure;
    }
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      // A stream keeps its listener: a write's EPIPE can still arrive after the last flush.
      if (this.fd !== null) closeSync(this.fd);
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
