import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readTape, type TapeWarning } from "../../src/tape/reader.js";
import { KEY_ORDER, type TapeLine } from "../../src/tape/schema.js";
import { TapeWriter } from "../../src/tape/writer.js";
import { endLine, headerLine, middleLine } from "./arbitraries.js";
import { tempDir } from "../helpers/temp-dir.js";

const dir = tempDir("roundtrip");
let n = 0;
const tapePath = (): string => join(dir, `t${++n}.jsonl`);

async function readAll(path: string): Promise<{ lines: TapeLine[]; warnings: TapeWarning[] }> {
  const lines: TapeLine[] = [];
  const warnings: TapeWarning[] = [];
  for await (const { line } of readTape(path, { onWarning: (w) => warnings.push(w) })) lines.push(line);
  return { lines, warnings };
}

/** What JSON makes of a value: undefined fields gone, -0 is 0. */
const viaJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe("writer to reader round trip", () => {
  it("any sequence of valid lines reads back exactly as written", async () => {
    await fc.assert(
      fc.asyncProperty(
        headerLine,
        fc.array(fc.tuple(middleLine, fc.boolean()), { maxLength: 20 }),
        fc.option(endLine, { nil: undefined }),
        async (header, middle, end) => {
          const path = tapePath();
          const { kind: _k, ...headerFields } = header;
          const w = await TapeWriter.open(path, headerFields);
          const expected: TapeLine[] = [header];
          // Recorders number lines in order (the reader warns otherwise): keep the random seqs rising.
          let lastSeq = 0;
          for (const [line] of middle) if ("seq" in line) line.seq = lastSeq += 1 + (line.seq % 1000);
          for (const [line, asText] of middle) {
            if (line.kind === "msg" && asText) {
              // Pretty-printed, as a server might send it: line breaks must not split the line.
              const { kind: _m, msg, ...fields } = line;
              w.writeMsgRaw(fields, JSON.stringify(msg, null, 2));
            } else {
              w.write(line);
            }
            expected.push(line);
          }
          if (end) {
            w.close({ reason: end.reason, exitCode: end.exitCode, t: end.t });
            const messages = middle.filter(([l]) => "seq" in l).length;
            expected.push({ ...end, messages });
          }
          const { lines, warnings } = await readAll(path);
          expect(lines).toEqual(viaJson(expected));
          expect(warnings.map((x) => x.message)).toEqual(end ? [] : ["tape has no end line: the recording was cut short"]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("lines left without seq are numbered 1, 2, ... over the tape", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(middleLine, { maxLength: 15 }), async (middle) => {
        const path = tapePath();
        const w = await TapeWriter.open(path, { recorder: { name: "t", version: "1" }, transport: "hand" });
        const returned: (number | undefined)[] = [];
        for (const line of middle) {
          const { seq: _s, ...rest } = line as TapeLine & { seq?: number };
          returned.push(w.write(rest as Parameters<TapeWriter["write"]>[0]));
        }
        w.close({ reason: "closed" });
        const { lines } = await readAll(path);
        const seqs = lines.filter((l) => "seq" in l).map((l) => (l as { seq: number }).seq);
        expect(seqs).toEqual(seqs.map((_, i) => i + 1));
        expect(returned.filter((s) => s !== undefined)).toEqual(seqs);
        expect(lines.at(-1)).toMatchObject({ kind: "end", messages: seqs.length });
      }),
      { numRuns: 50 },
    );
  });

  it("keys are written in KEY_ORDER whatever order the caller built the line in", async () => {
    await fc.assert(
      fc.asyncProperty(headerLine, fc.array(middleLine, { maxLength: 10 }), endLine, async (header, middle, end) => {
        const path = tapePath();
        const reversed = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T;
        const { kind: _k, ...headerFields } = header;
        const w = await TapeWriter.open(path, reversed(headerFields));
        for (const line of middle) w.write(reversed(line));
        w.close(reversed({ reason: end.reason, exitCode: end.exitCode, t: end.t }));
        for (const text of readFileSync(path, "utf8").split("\n").filter(Boolean)) {
          const parsed = JSON.parse(text) as TapeLine;
          const order = KEY_ORDER[parsed.kind];
          expect(Object.keys(parsed)).toEqual(order.filter((k) => k in parsed));
        }
      }),
      { numRuns: 50 },
    );
  });
});
