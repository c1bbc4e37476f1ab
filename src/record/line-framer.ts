/**
 * Splits a byte stream into `\n`-terminated lines for the tape, on a copy of what is forwarded.
 * Chunks are kept as received until a newline arrives, so a multi-megabyte line costs one
 * concatenation, not one per chunk.
 */
export class LineFramer {
  private pending: Buffer[] = [];

  constructor(private readonly onLine: (line: Buffer) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        if (start < chunk.length) this.pending.push(chunk.subarray(start));
        return;
      }
      const piece = chunk.subarray(start, nl);
      const line = this.pending.length === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      start = nl + 1;
      this.onLine(line);
    }
  }

  /** At end of stream: a last line without its `\n` is still a line (kept, never dropped). */
  end(): void {
    if (this.pending.length === 0) return;
    const line = Buffer.concat(this.pending);
    this.pending = [];
    this.onLine(line);
  }
}

/** The line without the `\r` of a `\r\n` line end: the bytes of the message as sent. */
export function withoutCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, -1) : line;
}
