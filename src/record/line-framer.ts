/**
 * Splits a byte stream into `\n`-terminated lines for the tape, on a copy of what is forwarded.
 * Chunks are kept as received until a newline arrives, so a multi-megabyte line costs one
 * concatenation, not one per chunk.
 *
 * `own` tells `onLine` whether the line is that concatenation: a buffer of its own (never
 * Node's shared pool) that nothing else holds, which the tape may move to its thread without
 * copying. Otherwise the line is a view of a chunk that is still being forwarded.
 */
export class LineFramer {
  private pending: Buffer[] = [];

  constructor(private readonly onLine: (line: Buffer, own: boolean) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        if (start < chunk.length) this.pending.push(chunk.subarray(start));
        return;
      }
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (this.pending.length === 0) {
        this.onLine(piece, false);
        continue;
      }
      this.pending.push(piece);
      this.onLine(this.joinPending(), true);
    }
  }

  /** At end of stream: a last line without its `\n` is still a line (kept, never dropped). */
  end(): void {
    if (this.pending.length === 0) return;
    this.onLine(this.joinPending(), true);
  }

  private joinPending(): Buffer {
    let length = 0;
    for (const p of this.pending) length += p.length;
    const line = Buffer.allocUnsafeSlow(length);
    let at = 0;
    for (const p of this.pending) {
      line.set(p, at);
      at += p.length;
    }
    this.pending = [];
    return line;
  }
}

/** The line without the `\r` of a `\r\n` line end: the bytes of the message as sent. */
export function withoutCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, -1) : line;
}
