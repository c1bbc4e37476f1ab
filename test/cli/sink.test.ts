/**
 * The sink every report is written through takes text and UTF-8 bytes (json lines rendered on
 * worker threads come as bytes): whatever mix and order they come in, a stream and a file get
 * exactly those bytes, in that order, and a file appears only when closed.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { closeAll, Sink } from "../../src/cli/sink.js";
import { tempDir } from "../helpers/temp-dir.js";

const UTF8 = new TextEncoder();

/** Text of any characters, up to about 100 KB: past the 64 KiB the sink holds before it writes. */
const text = fc.tuple(fc.string({ unit: "grapheme", maxLength: 20 }), fc.nat(5000)).map(([s, times]) => s.repeat(times));
/** Pieces of text, each written as a string or as its UTF-8 bytes, with a drain() after some. */
const pieces = fc.array(fc.record({ text, asBytes: fc.boolean(), drain: fc.boolean() }), { maxLength: 12 });

/** Writes every piece, draining where it says; the caller closes the sink. */
async function writeAll(sink: Sink, given: { text: string; asBytes: boolean; drain: boolean }[]): Promise<void> {
  for (const p of given) {
    sink.write(p.asBytes ? UTF8.encode(p.text) : p.text);
    if (p.drain) await sink.drain();
  }
}

/** A stream that keeps what it is given and asks the writer to wait (returns false) every time. */
function slowStream(): { stream: Writable; got: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      setImmediate(done);
    },
  });
  return { stream, got: () => Buffer.concat(chunks) };
}

describe("a sink given text and bytes", () => {
  it("passes a stream every piece's bytes in the order written, waiting for it to drain", async () => {
    await fc.assert(
      fc.asyncProperty(pieces, async (given) => {
        const { stream, got } = slowStream();
        const sink = Sink.toStream(stream);
        await writeAll(sink, given);
        await closeAll([sink]);
        expect(got().toString("utf8")).toBe(given.map((p) => p.text).join(""));
      }),
      { numRuns: 60 },
    );
  });

  it("writes a file the same bytes, and the file appears only when the sink is closed", async () => {
    const dir = tempDir("sink");
    let run = 0;
    await fc.assert(
      fc.asyncProperty(pieces, async (given) => {
        const file = join(dir, `out${run++}.json`);
        const sink = Sink.toFile(file);
        await writeAll(sink, given);
        expect(existsSync(file)).toBe(false);
        await closeAll([sink]);
        expect(readFileSync(file, "utf8")).toBe(given.map((p) => p.text).join(""));
      }),
      { numRuns: 60 },
    );
  });
});
