/**
 * Reads Server-Sent Events off a copy of a `text/event-stream` body, for the tape: each
 * event's `data` (its `data:` lines joined by `\n`) is one JSON-RPC message. Events with no
 * data (comments, keep-alives, the priming event resumable servers send) carry no message.
 * The forwarded bytes never pass through here.
 */
import { LineFramer, withoutCr } from "./line-framer.js";

const COLON = 0x3a;
const DATA = Buffer.from("data");
const LF = Buffer.from("\n");

export class SseReader {
  private readonly framer: LineFramer;
  private data: Buffer[] = [];

  /** `onData` gets each event's data as the bytes sent (one `data:` line's value, or their join). */
  constructor(private readonly onData: (data: Buffer) => void) {
    this.framer = new LineFramer((line) => this.field(withoutCr(line)));
  }

  push(chunk: Buffer): void {
    this.framer.push(chunk);
  }

  /**
   * At the end of the stream. An event cut off before its blank line is not dispatched by an
   * EventSource, but its data was on the wire: it is handed on rather than dropped.
   */
  end(): void {
    this.framer.end();
    this.dispatch();
  }

  private field(line: Buffer): void {
    if (line.length === 0) {
      this.dispatch();
      return;
    }
    if (line[0] === COLON) return; // a comment
    const colon = line.indexOf(COLON);
    const name = colon === -1 ? line : line.subarray(0, colon);
    if (!name.equals(DATA)) return; // event, id, retry: nothing the tape needs
    let value = colon === -1 ? line.subarray(line.length) : line.subarray(colon + 1);
    if (value[0] === 0x20) value = value.subarray(1);
    this.data.push(value);
  }

  private dispatch(): void {
    if (this.data.length === 0) return;
    const data = this.data.length === 1 ? this.data[0]! : Buffer.concat(this.data.flatMap((d, i) => (i === 0 ? [d] : [LF, d])));
    this.data = [];
    if (data.length > 0) this.onData(data);
  }
}
