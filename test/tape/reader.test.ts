import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { columnOfField, TapeLineParser } from "../../src/tape/line-parser.js";
import { parseTape, parseTapeLine } from "../../src/tape/parse-text.js";
import { MAX_LINE_BYTES, readTape, readTapeBatches, type TapeWarning } from "../../src/tape/reader.js";
import { tempDir } from "../helpers/temp-dir.js";
import { inputErrorOf } from "../helpers/input-error.js";

const HEADER = '{"kind":"header","tape":1,"id":"x","t":"2026-11-21T23:40:23.123Z","recorder":{"name":"a","version":"1"},"transport":"hand"}';
const STDERR = '{"kind":"stderr","t":"2026-11-21T23:40:24.000Z","session":"s","text":"hi"}';
const MSG = '{"kind":"msg","seq":1,"t":"2026-11-21T23:40:24.000Z","session":"s","dir":"c2s","msg":{"jsonrpc":"2.0","id":1,"method":"tools/call"}}';
const END = '{"kind":"end","t":"2026-11-21T23:40:25.000Z","messages":1,"reason":"closed","exitCode":0}';

function parse(text: string | Buffer): { kinds: string[]; lineNos: number[]; warnings: string[] } {
  const warnings: TapeWarning[] = [];
  const lines = parseTape(text, "t.jsonl", { onWarning: (w) => warnings.push(w) });
  return {
    kinds: lines.map((l) => l.line.kind),
    lineNos: lines.map((l) => l.lineNo),
    warnings: warnings.map((w) => `${w.line}: ${w.message}`),
  };
}

function errorOf(text: string | Buffer): InputError {
  return inputErrorOf(() => parseTape(text, "t.jsonl"));
}

describe("reading a good tape", () => {
  it("yields every line with its line number and no warnings", () => {
    expect(parse([HEADER, STDERR, MSG, END].join("\n") + "\n")).toEqual({
      kinds: ["header", "stderr", "msg", "end"], lineNos: [1, 2, 3, 4], warnings: [],
    });
  });

  it("accepts a last line without a newline when it is complete", () => {
    expect(parse([HEADER, END].join("\n")).kinds).toEqual(["header", "end"]);
  });

  it("reads CRLF line ends like LF", () => {
    expect(parse([HEADER, MSG, END].join("\r\n") + "\r\n")).toMatchObject({ kinds: ["header", "msg", "end"], warnings: [] });
  });

  it("skips blank lines but keeps counting them", () => {
    expect(parse(`${HEADER}\n\n  \n${MSG}\n${END}\n\n`)).toMatchObject({ kinds: ["header", "msg", "end"], lineNos: [1, 4, 5] });
  });

  it("ignores a UTF-8 byte order mark with a warning", () => {
    expect(parse(`\ufeff${HEADER}\n${END}\n`)).toEqual({
      kinds: ["header", "end"], lineNos: [1, 2], warnings: ["1: tape starts with a UTF-8 byte order mark; ignored"],
    });
  });

  it("keeps fields it does not know (a newer tape)", () => {
    const lines = parseTape(`${HEADER}\n${STDERR.replace("{", '{"future":[1],')}\n${END}\n`);
    expect(lines[1]?.line).toMatchObject({ kind: "stderr", future: [1] });
  });
});

describe("what a crash leaves behind is a warning", () => {
  it("a cut last line warns 'tape is truncated' and every complete line is still read", () => {
    expect(parse(`${HEADER}\n${MSG}\n${STDERR.slice(0, 30)}`)).toEqual({
      kinds: ["header", "msg"],
      lineNos: [1, 2],
      warnings: ["3: tape is truncated: last line cut short", "2: tape has no end line: the recording was cut short"],
    });
  });

  it("a last line cut inside a multi-byte character is a truncation, not bad UTF-8", () => {
    const cut = Buffer.from(`${HEADER}\n{"kind":"stderr","text":"é`).subarray(0, -1);
    expect(parse(cut).warnings[0]).toBe("2: tape is truncated: last line cut short");
  });

  it("a tape without an end line warns that the recording was cut short", () => {
    expect(parse(`${HEADER}\n${MSG}\n`).warnings).toEqual(["2: tape has no end line: the recording was cut short"]);
  });
});

describe("bad tapes are InputErrors naming the line", () => {
  it("an empty file is 'empty tape'", () => {
    expect(errorOf("").message).toBe("empty tape");
    expect(errorOf("\n\n").message).toBe("empty tape");
  });

  it("a file whose only line is cut short is an empty tape", () => {
    expect(errorOf(HEADER.slice(0, 20)).message).toBe("empty tape: its only line is cut short");
  });

  it("a line that is not JSON gives line and column", () => {
    const err = errorOf(`${HEADER}\n{"kind":"msg",}\n${END}\n`);
    expect([err.line, err.col]).toEqual([2, 15]);
    expect(err.message).toMatch(/^not JSON: /);
    expect(err.format()).toMatch(/^t\.jsonl:2:15: error: not JSON: /);
  });

  it("a line V8 refuses without a position (an unexpected token) still gives its column", () => {
    expect([errorOf(`${HEADER}\nhello\n`).line, errorOf(`${HEADER}\nhello\n`).col]).toEqual([2, 1]);
    const err = errorOf(`${HEADER}\n{"kind":"msg","seq":tru}\n`);
    expect(err.format()).toMatch(/^t\.jsonl:2:24: error: not JSON: Unexpected token '\}'/);
  });

  it("an unknown kind lists the kinds there are", () => {
    const err = errorOf(`${HEADER}\n{"kind":"x"}\n`);
    expect(err.line).toBe(2);
    expect(err.message).toBe('unknown kind "x" (expected one of header, session, msg, raw, stderr, call, end)');
  });

  it("a bad field names the field and what it should be", () => {
    const err = errorOf(`${HEADER}\n${STDERR.replace("2026-11-21T23:40:24.000Z", "yesterday")}\n`);
    expect(err.line).toBe(2);
    expect(err.message).toBe('field "t": expected an ISO-8601 UTC time like 2026-11-21T23:40:23.123Z');
  });

  it("a missing field says it is missing and which fields the kind needs", () => {
    const err = errorOf(`${HEADER}\n{"kind":"stderr","t":"2026-11-21T23:40:24.000Z","text":"x"}\n`);
    expect(err.message).toBe('field "session" is missing');
    expect(err.hint).toBe("a stderr line needs kind, t, session, text (see docs/spec/tape.md)");
  });

  it("a bad field points at its value's column", () => {
    const line = '{"kind":"msg","seq":1,"t":"2026-11-21T23:40:24.000Z","session":"s","dir": "up","msg":{}}';
    const err = errorOf(`${HEADER}\n${line}\n`);
    expect(err.format()).toMatch(/^t\.jsonl:2:\d+: error: field "dir": /);
    expect(line.slice(err.col! - 1)).toMatch(/^"up"/);
  });

  it("a nested field error points at the top-level field holding it", () => {
    const line = '{"kind":"call","seq":1,"t":"2026-11-21T23:40:24.000Z","session":"s","tool":"x","recorded":{"decision":"block"}}';
    const err = errorOf(`${HEADER}\n${line}\n`);
    expect(err.message).toMatch(/^field "recorded.decision": expected one of "allow"/);
    expect(line.slice(err.col! - 1)).toMatch(/^\{"decision"/);
  });

  it("a day past the month's end or hour 24 is not a real time (Date.parse would roll it over)", () => {
    for (const t of ["2026-02-30T10:00:00.000Z", "2026-04-31T10:00:00.000Z", "2026-02-29T10:00:00.000Z", "2026-11-21T24:00:00.000Z"]) {
      const err = errorOf(`${HEADER}\n${STDERR.replace("2026-11-21T23:40:24.000Z", t)}\n`);
      expect([err.line, err.message], t).toEqual([2, 'field "t": not a real date and time; check the month, day, hour, minute and second']);
    }
    for (const t of ["2024-02-29T10:00:00.000Z", "2026-01-31T23:59:59.999Z", "2026-12-30T00:00:00Z"]) {
      expect(parse(`${HEADER}\n${STDERR.replace("2026-11-21T23:40:24.000Z", t)}\n${END}\n`).kinds, t).toEqual(["header", "stderr", "end"]);
    }
  });

  it("a tape from a newer format version says to upgrade", () => {
    const err = errorOf(`${HEADER.replace('"tape":1', '"tape":2')}\n${END}\n`);
    expect([err.line, err.message, err.hint]).toEqual([1, "tape format version 2 is newer than this mcptape reads (version 1)", "upgrade mcptape to read it"]);
  });

  it("a line that is JSON but not an object says so", () => {
    expect(errorOf(`${HEADER}\n[1,2]\n`).message).toBe("a tape line must be a JSON object, got an array");
  });

  it("the first line must be a header", () => {
    const err = errorOf(`${STDERR}\n${END}\n`);
    expect([err.line, err.message]).toEqual([1, "the first line must be a header, got a stderr line"]);
  });

  it("a second header is an error", () => {
    expect(errorOf(`${HEADER}\n${HEADER}\n`).line).toBe(2);
  });

  it("a line after the end line is an error", () => {
    const err = errorOf(`${HEADER}\n${END}\n${STDERR}\n`);
    expect([err.line, err.message]).toEqual([3, "a stderr line after the end line: end must be the last line"]);
  });

  it("invalid UTF-8 names the line", () => {
    const bad = Buffer.concat([Buffer.from(`${HEADER}\n${STDERR.slice(0, -3)}`), Buffer.from([0xff, 0xfe]), Buffer.from(`"}\n${END}\n`)]);
    const err = errorOf(bad);
    expect([err.line, err.message]).toEqual([2, "line is not valid UTF-8"]);
  });

  it("a line longer than the limit is an error, not a memory blow-up", () => {
    const parser = new TapeLineParser("big.jsonl");
    parser.push(Buffer.from(`${HEADER}\n`));
    const chunk = Buffer.alloc(16 * 1024 * 1024, 0x20);
    let thrown: unknown;
    try {
      for (let i = 0; i <= MAX_LINE_BYTES / chunk.length; i++) parser.push(chunk);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).line).toBe(2);
  });

  it("columnOfField finds a top-level key's value, past strings, escapes and nested objects", () => {
    const text = '{"a":{"t":1},"s":"\\"t\\":2", "t" :  "x","t":"last"}';
    expect(text.slice(columnOfField(text, "t")! - 1)).toBe('"last"}');
    expect(text.slice(columnOfField(text, "a")! - 1)).toMatch(/^\{"t":1\}/);
    expect(columnOfField(text, "nope")).toBeUndefined();
  });

  it("parseTapeLine checks one line alone", () => {
    expect(parseTapeLine(STDERR, "f", 7)).toMatchObject({ kind: "stderr", text: "hi" });
    expect(() => parseTapeLine("{", "f", 7)).toThrow(InputError);
  });
});

describe("reading from a file", () => {
  const dir = tempDir("reader");

  it("streams a tape larger than one read chunk with the right line numbers", async () => {
    const path = join(dir, "big.jsonl");
    const count = 20_000; // ~2.5 MB: forty 64 KiB read chunks, lines split across them
    const body = Array.from({ length: count }, (_, i) => MSG.replace('"seq":1', `"seq":${i + 1}`));
    writeFileSync(path, [HEADER, ...body, END].join("\n") + "\n");
    let n = 0;
    let lastSeq = 0;
    for await (const { line, lineNo } of readTape(path)) {
      expect(lineNo).toBe(++n);
      if (line.kind === "msg") {
        expect(line.seq).toBe(lastSeq + 1);
        lastSeq = line.seq;
      }
    }
    expect(n).toBe(count + 2);
  });

  it("carries each line's time in ms, as Date.parse reads its t", async () => {
    const path = join(dir, "times.jsonl");
    const times = ["2026-11-21T23:40:24Z", "2026-11-21T23:40:24.5Z", "2024-02-29T00:00:00.123456789Z", "0001-01-01T00:00:00.000Z"];
    const body = times.map((t, i) => MSG.replace('"seq":1', `"seq":${i + 1}`).replace("2026-11-21T23:40:24.000Z", t));
    writeFileSync(path, [HEADER, ...body, END].join("\n") + "\n");
    const read: [string, number][] = [];
    for await (const { line, t } of readTape(path)) read.push([line.t, t]);
    expect(read.slice(1, -1).map(([text]) => text)).toEqual(times);
    for (const [text, t] of read) expect(t).toBe(Date.parse(text));
  });

  it.each([
    ["a date that does not exist", STDERR.replace("2026-11-21T23:40:24.000Z", "2026-02-30T10:00:00.000Z")],
    ["a field of the wrong type", MSG.replace('"seq":1', '"seq":"1"')],
    ["an unknown kind", '{"kind":"nope","t":"2026-11-21T23:40:24.000Z"}'],
    ["a missing field", '{"kind":"stderr","t":"2026-11-21T23:40:24.000Z"}'],
  ])("a bad line streamed from a file is explained as in memory: %s", async (_, bad) => {
    const text = [HEADER, STDERR, bad, END].join("\n") + "\n";
    const path = join(dir, "bad.jsonl");
    writeFileSync(path, text);
    const inMemory = errorOf(text);
    expect(inMemory.line).toBe(3);
    await expect(async () => {
      for await (const _ of readTape(path)) { /* nothing */ }
    }).rejects.toMatchObject({ name: "InputError", message: inMemory.message, file: path, line: 3, col: inMemory.col, hint: inMemory.hint });
  });

  it("a missing file is an InputError naming it, with what to give instead", async () => {
    const path = join(dir, "nope.jsonl");
    await expect(async () => {
      for await (const _ of readTape(path)) { /* nothing */ }
    }).rejects.toMatchObject({ name: "InputError", file: path, message: "cannot read tape: no such file", hint: "check the path; a tape is the .jsonl file mcptape record -o writes" });
  });

});

describe("reading a long tape from a file", () => {
  // The file is read synchronously; Ctrl-C, the progress bar's timer and I/O started elsewhere
  // in the process are handled only when the event loop turns.
  it("lets the event loop turn before the first chunk and again every MiB", async () => {
    const tape = join(tempDir("reader-turns"), "long.jsonl");
    const line = STDERR.replace('"hi"', JSON.stringify("x".repeat(1000)));
    writeFileSync(tape, [HEADER, ...Array<string>(3000).fill(line), END].join("\n") + "\n"); // about 3 MiB
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const turnsAtBatch: number[] = [];
    let lines = 0;
    for await (const batch of readTapeBatches(tape)) {
      turnsAtBatch.push(turns);
      lines += batch.length;
    }
    counting = false;
    expect(lines).toBe(3002);
    expect(turnsAtBatch[0]).toBeGreaterThanOrEqual(1);
    expect(turnsAtBatch.at(-1)! - turnsAtBatch[0]!).toBeGreaterThanOrEqual(2);
  });
});
