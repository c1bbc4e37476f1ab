/**
 * Streaming output to stdout or a file, buffered, waiting for stdout to drain so a long replay
 * piped into a slow reader does not pile up in memory.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { once } from "node:events";
import { InputError } from "../errors.js";

const FLUSH_AT = 64 * 1024;

export class Sink {
  private buffer = "";
  private constructor(
    private readonly stream: NodeJS.WritableStream | null,
    private readonly fd: number | null,
  ) {}

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
    this.buffer += text;
  }

  async drain(): Promise<void> {
    if (this.buffer.length >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    const text = this.buffer;
    this.buffer = "";
    if (!text) return;
    if (this.fd !== null) {
      writeSync(this.fd, text);
    } else if (this.stream && !this.stream.write(text)) {
      await once(this.stream, "drain");
    }
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.fd !== null) closeSync(this.fd);
  }
}
