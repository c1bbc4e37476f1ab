/**
 * Reads Server-Sent Events off a copy of a `text/event-stream` body, for the tape: each
 * event's `data` (its `data:` lines joined by `\n`) is one JSON-RPC message. Events with no
 * data (comments, keep-alives, the priming event resumable servers send) carry no message.
 * The forwarded bytes never pass through here.
 */
import { LineFramer, lineText } from "./line-framer.js";

export class SseReader {
  private readonly framer: LineFramer;
  private data: string[] = [];

  constructor(private readonly onData: (data: string) => void) {
    this.framer = new LineFramer((line) => this.field(lineText(line)));
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

  private field(line: string): void {
    if (line === "") {
      this.dispatch();
      return;
    }
    if (line.startsWith(":")) return; // a comment
    const colon = line.indexOf(":");
    const name = colon === -1 ? line : line.slice(0, colon);
    if (name !== "data") return; // event, id, retry: nothing the tape needs
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    this.data.push(value);
  }

  private dispatch(): void {
    if (this.data.length === 0) return;
    const data = this.data.join("\n");
    this.data = [];
    if (data !== "") this.onData(data);
  }
}
