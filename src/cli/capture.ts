/** A stream that keeps what is written to it, as text: a command's stdout or stderr taken in-process, not a terminal. */
import { Writable } from "node:stream";

export class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}
