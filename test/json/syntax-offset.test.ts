/**
 * syntaxErrorOffset finds where a line stops being JSON, for the column of a tape or audit-log
 * line JSON.parse refused. V8's own message is the reference: it names the unexpected token,
 * or gives its position, for every text it refuses.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { syntaxErrorOffset } from "../../src/json/syntax-offset.js";

function v8Error(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** JSON-ish text: fragments of JSON, spliced, so most texts are refused somewhere inside. */
const jsonish = fc.array(fc.constantFrom("{", "}", "[", "]", ",", ":", '"a"', '"b\\n"', "1", "-2.5e3", "01", "1.", "true", "tru", "null", " ", "x", "'s'", '"', "\\", "\t"), { maxLength: 12 }).map((parts) => parts.join(""));
const anyText = fc.oneof(jsonish, fc.json(), fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))));

describe("syntaxErrorOffset", () => {
  it("is undefined exactly for the texts JSON.parse accepts", () => {
    fc.assert(fc.property(anyText, (text) => {
      expect(syntaxErrorOffset(text) === undefined).toBe(v8Error(text) === undefined);
    }), { numRuns: 3000 });
  });

  it("points at the token V8 calls unexpected when V8 gives no position", () => {
    fc.assert(fc.property(anyText, (text) => {
      const m = /^Unexpected token '(.)'/.exec(v8Error(text) ?? "");
      fc.pre(m !== null && !/at position/.test(v8Error(text)!));
      expect(text[syntaxErrorOffset(text)!]).toBe(m![1]);
    }), { numRuns: 3000 });
  });

  it.each([
    ["hello", 0],
    ['{"kind":"msg","x":tru}', 21],
    ['{"a": 1,}', 8],
    ["[1, 2", 5],
    ['{"a" 1}', 5],
    ["{} x", 3],
  ])("%s: offset %i", (text, offset) => {
    expect(syntaxErrorOffset(text)).toBe(offset);
  });
});
