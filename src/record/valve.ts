import type { Readable, Writable } from "node:stream";

/**
 * Pauses a sender's stream while anything holds it back (the receiver is full, the tape queue
 * is full) and resumes it when the last of them lets go, so one letting go never reopens what
 * another still holds.
 */
export class Valve {
  private readonly holds = new Set<string>();

  constructor(private readonly source: Readable) {}

  hold(reason: string): void {
    if (this.holds.size === 0) this.source.pause();
    this.holds.add(reason);
  }

  release(reason: string): void {
    if (this.holds.delete(reason) && this.holds.size === 0) this.source.resume();
  }

  /**
   * Writes a chunk of the source on to `dest`, holding the source until `dest` drains if it
   * is full. A receiver that is gone gets nothing more (its end is handled where it ends).
   */
  pass(chunk: Buffer, dest: Writable): void {
    if (dest.destroyed || !dest.writable) return;
    if (dest.write(chunk) || this.holds.has("receiver")) return;
    this.hold("receiver");
    dest.once("drain", () => this.release("receiver"));
  }
}
