import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineFramer, withoutCr } from "../../src/record/line-framer.js";

function frame(chunks: Buffer[]): string[] {
  const lines: string[] = [];
  const framer = new LineFramer((l) => lines.push(l.toString("latin1")));
  for (const c of chunks) framer.push(c);
  framer.end();
  return lines;
}

describe("line framing", () => {
  it("however the bytes are chunked, the lines are the same: split on \\n, every byte kept", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(400), { maxLength: 12 }), (bytes, cuts) => {
        const buf = Buffer.from(bytes);
        const points = [...new Set(cuts.map((c) => Math.min(c, buf.length)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of [...points, buf.length]) {
          chunks.push(buf.subarray(prev, p));
          prev = p;
        }
        const expected = buf.toString("latin1").split("\n");
        if (expected.at(-1) === "") expected.pop();
        expect(frame(chunks)).toEqual(expected);
      }),
    );
  });

  it("a last line without \\n is still a line", () => {
    expect(frame([Buffer.from("a\nb")])).toEqual(["a", "b"]);
  });

  it("a CRLF line end loses its \\r, nothing else", () => {
    expect(withoutCr(Buffer.from("{}\r")).toString()).toBe("{}");
    expect(withoutCr(Buffer.from("a\rb")).toString()).toBe("a\rb");
    expect(withoutCr(Buffer.from("\r\r")).toString()).toBe("\r");
  });
});
