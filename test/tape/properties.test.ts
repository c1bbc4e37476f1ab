import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { TapeLineParser, type NumberedLine, type TapeWarning } from "../../src/tape/line-parser.js";
import { parseTape } from "../../src/tape/parse-text.js";
import { tapeLine } from "../../src/tape/schema.js";
import { serializeLine } from "../../src/tape/serialize.js";
import { explainTapeLine } from "../../src/tape/explain.js";
import { isTapeLine } from "../../src/tape/validate.js";
import { anyLine, endLine, headerLine, json, middleLine } from "./arbitraries.js";

const HEADER = '{"kind":"header","tape":1,"id":"x","t":"2026-11-21T23:40:23.123Z","recorder":{"name":"a","version":"1"},"transport":"hand"}';

const validTape = fc
  .tuple(headerLine, fc.array(middleLine, { maxLength: 12 }), fc.option(endLine, { nil: undefined }))
  .map(([h, m, e]) => [h, ...m, ...(e ? [e] : [])].map((l) => serializeLine(l) + "\n").join(""));

/** Parses, returning the lines, or the InputError; anything else thrown fails the property. */
function parseOrInputError(input: string | Buffer): NumberedLine[] | InputError {
  try {
    return parseTape(input, "g.jsonl");
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
}

function expectOnlyInputErrorsWithLines(input: string | Buffer): void {
  const result = parseOrInputError(input);
  if (result instanceof InputError) {
    expect(result.file).toBe("g.jsonl");
    if (!result.message.startsWith("empty tape")) expect(result.line).toBeGreaterThan(0);
  } else {
    for (const { line } of result) expect(isTapeLine(line)).toBe(true);
  }
}

describe("garbage in gives lines or an InputError with a line number, nothing else", () => {
  it("random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => expectOnlyInputErrorsWithLines(Buffer.from(bytes))), { numRuns: 500 });
  });

  it("random strings as lines, after a good header", () => {
    fc.assert(
      fc.property(headerLine, fc.array(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)))), (h, lines) =>
        expectOnlyInputErrorsWithLines([serializeLine(h), ...lines].join("\n")),
      ),
      { numRuns: 300 },
    );
  });

  it("valid tapes with characters changed, inserted or deleted", () => {
    const edit = fc.tuple(fc.nat(), fc.constantFrom("set", "insert", "delete"), fc.string({ minLength: 1, maxLength: 3 }));
    fc.assert(
      fc.property(validTape, fc.array(edit, { minLength: 1, maxLength: 5 }), (tape, edits) => {
        let text = tape;
        for (const [at, op, s] of edits) {
          const i = text.length ? at % text.length : 0;
          text = text.slice(0, i) + (op === "delete" ? "" : s) + text.slice(op === "insert" ? i : i + 1);
        }
        expectOnlyInputErrorsWithLines(text);
      }),
      { numRuns: 500 },
    );
  });

  it("valid lines with one field replaced by any JSON value or removed", () => {
    fc.assert(
      fc.property(anyLine, fc.nat(), fc.option(json, { nil: undefined }), (line, pick, value) => {
        const obj: Record<string, unknown> = { ...line };
        const keys = Object.keys(obj);
        const key = keys[pick % keys.length] as string;
        if (value === undefined) delete obj[key];
        else obj[key] = value;
        const header = line.kind === "header" ? "" : `${HEADER}\n`;
        expectOnlyInputErrorsWithLines(`${header}${JSON.stringify(obj)}\n`);
      }),
      { numRuns: 500 },
    );
  });
});

describe("the fast line check agrees with the zod schema", () => {
  const nearlyValid = fc.tuple(anyLine, fc.nat(), fc.nat(), fc.option(json, { nil: undefined })).map(([line, pick, deep, value]) => {
    const obj = JSON.parse(JSON.stringify(line)) as Record<string, unknown>;
    const keys = Object.keys(obj);
    const key = keys[pick % keys.length] as string;
    const inner = obj[key];
    // Sometimes change a field of a nested object (recorder, client, recorded, upstream).
    if (deep % 2 === 0 && typeof inner === "object" && inner !== null && !Array.isArray(inner) && Object.keys(inner).length) {
      const innerKeys = Object.keys(inner);
      const k = innerKeys[deep % innerKeys.length] as string;
      if (value === undefined) delete (inner as Record<string, unknown>)[k];
      else (inner as Record<string, unknown>)[k] = value;
    } else if (value === undefined) delete obj[key];
    else obj[key] = value;
    return obj;
  });

  it("on valid lines, lines with a field changed, and any JSON value", () => {
    fc.assert(
      fc.property(fc.oneof(anyLine, nearlyValid, json), (value) => {
        expect(isTapeLine(value)).toBe(tapeLine.safeParse(value).success);
        // explainTapeLine throws when the two disagree.
        expect(explainTapeLine(value) === undefined).toBe(isTapeLine(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("on edge values zod treats specially", () => {
    const base = { kind: "end", t: "2026-11-21T23:40:23.123Z", reason: "closed" };
    for (const messages of [0, -1, 1.5, 2 ** 53, Infinity, NaN, "1", null]) {
      const v = { ...base, messages };
      expect(isTapeLine(v)).toBe(tapeLine.safeParse(v).success);
    }
  });
});

describe("how the bytes arrive does not matter", () => {
  it("any split into chunks, each passed in one reused buffer, gives the same lines and warnings as one piece", () => {
    const maybeCut = fc.tuple(validTape, fc.nat()).map(([tape, cut]) => Buffer.from(tape).subarray(0, Math.max(1, tape.length - (cut % 40))));
    const withBom = fc.tuple(maybeCut, fc.boolean()).map(([b, bom]) => (bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]) : b));
    fc.assert(
      fc.property(withBom, fc.array(fc.nat(), { maxLength: 30 }), (bytes, cuts) => {
        const whole = run([bytes], false);
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...points, bytes.length].slice(1).map((end, i, ends) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end));
        expect(run(pieces)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  /**
   * The parser's output for `chunks`. With `reuse`, as the file reader passes them: each copied
   * into one buffer that is scribbled over once push returns, so what the parser keeps of a
   * chunk must be its own copy.
   */
  function run(chunks: Buffer[], reuse = true): { lines: NumberedLine[]; warnings: TapeWarning[] } | string {
    const warnings: TapeWarning[] = [];
    const parser = new TapeLineParser("c.jsonl", (w) => warnings.push(w));
    const shared = Buffer.alloc(Math.max(1, ...chunks.map((c) => c.length)));
    const pushed = (c: Buffer): NumberedLine[] => {
      if (!reuse) return parser.push(c);
      c.copy(shared);
      const out = parser.push(shared.subarray(0, c.length));
      shared.fill("}");
      return out;
    };
    try {
      const lines = chunks.flatMap(pushed);
      lines.push(...parser.end());
      return { lines, warnings };
    } catch (err) {
      if (err instanceof InputError) return err.format();
      throw err;
    }
  }
});

describe("kill safety: a tape cut at any byte still yields every complete line", () => {
  it("cutting a valid tape anywhere after the header loses only the cut line", () => {
    fc.assert(
      fc.property(validTape, fc.nat(), (tape, at) => {
        const bytes = Buffer.from(tape);
        const headerEnd = bytes.indexOf(0x0a) + 1;
        const cut = headerEnd + (at % (bytes.length - headerEnd + 1));
        const kept = bytes.subarray(0, cut);
        const lastNl = kept.lastIndexOf(0x0a);
        const partial = kept.length - (lastNl + 1);
        const fullLength = bytes.indexOf(0x0a, lastNl + 1) - (lastNl + 1);
        const cutShort = partial > 0 && partial < fullLength;
        const newlines = kept.toString("latin1").split("\n").length - 1;
        const warnings: string[] = [];
        const lines = parseTape(kept, "k.jsonl", { onWarning: (w) => warnings.push(w.message) });
        // Every line wholly in `kept` (its newline may be cut off), and no other.
        expect(lines.length).toBe(newlines + (partial > 0 && !cutShort ? 1 : 0));
        expect(lines.map((l) => l.lineNo)).toEqual(lines.map((_, i) => i + 1));
        expect(warnings.includes("tape is truncated: last line cut short")).toBe(cutShort);
      }),
      { numRuns: 500 },
    );
  });
});
