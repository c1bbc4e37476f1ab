import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TapeWriter, nowIso } from "../../src/tape/writer.js";
import { tempDir } from "../helpers/temp-dir.js";

const dir = tempDir("writer");
let n = 0;
const header = { recorder: { name: "mcptape", version: "0.1.0" }, transport: "stdio" as const };

async function open(): Promise<TapeWriter> {
  return TapeWriter.open(join(dir, `sub${++n}`, "w.jsonl"), header);
}
const linesOf = (w: TapeWriter): string[] => readFileSync(w.path, "utf8").split("\n");

describe("TapeWriter", () => {
  it("writes the header first, with version, id and time filled in, creating the directory", async () => {
    const w = await open();
    const first = JSON.parse(linesOf(w)[0] as string) as Record<string, unknown>;
    expect(first).toMatchObject({ kind: "header", tape: 1, transport: "stdio", recorder: header.recorder });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("each write is on the file at once, one complete line, before close", async () => {
    const w = await open();
    w.write({ kind: "stderr", session: "s", text: "a\nb" });
    expect(linesOf(w)).toHaveLength(3); // header, stderr, and the empty string after the last \n
    expect(JSON.parse(linesOf(w)[1] as string)).toMatchObject({ text: "a\nb" });
  });

  it("writeMsgRaw keeps the sender's bytes: spacing, key order, number spelling", async () => {
    const w = await open();
    const text = '{ "id":1.0, "jsonrpc":"2.0", "result":{"n":1e2,"s":"\\u00e9"} }';
    expect(w.writeMsgRaw({ session: "s", dir: "s2c", t: "2026-11-21T23:40:23.123Z" }, text)).toBe(1);
    expect(linesOf(w)[1]).toBe(`{"kind":"msg","seq":1,"t":"2026-11-21T23:40:23.123Z","session":"s","dir":"s2c","msg":${text}}`);
  });

  it("writeMsgRaw drops line breaks between JSON tokens so the line stays one line", async () => {
    const w = await open();
    w.writeMsgRaw({ session: "s", dir: "s2c" }, '{\r\n  "id": 1\r\n}\r\n');
    expect(JSON.parse(linesOf(w)[1] as string)).toMatchObject({ msg: { id: 1 } });
  });

  it("writeMsgRaw keeps text that is not JSON as a raw line", async () => {
    const w = await open();
    expect(w.writeMsgRaw({ session: "s", dir: "c2s", redacted: ["/x"] }, "Content-Length: 12")).toBe(1);
    expect(JSON.parse(linesOf(w)[1] as string)).toEqual({ kind: "raw", seq: 1, t: expect.any(String), session: "s", dir: "c2s", text: "Content-Length: 12" });
  });

  it("a given seq is kept and later lines continue after it", async () => {
    const w = await open();
    expect(w.write({ kind: "call", seq: 10, session: "s", tool: "t" })).toBe(10);
    expect(w.write({ kind: "call", session: "s", tool: "t" })).toBe(11);
    expect(w.write({ kind: "stderr", session: "s", text: "" })).toBeUndefined();
  });

  it("close writes the end line with the message count and stops further writes", async () => {
    const w = await open();
    w.write({ kind: "msg", session: "s", dir: "c2s", msg: {} });
    w.write({ kind: "raw", session: "s", dir: "c2s", text: "x" });
    w.write({ kind: "session", session: "s" });
    w.close({ reason: "server-exit", exitCode: 1 });
    expect(JSON.parse(linesOf(w)[4] as string)).toEqual({ kind: "end", t: expect.any(String), messages: 2, reason: "server-exit", exitCode: 1 });
    expect(() => w.write({ kind: "stderr", session: "s", text: "" })).toThrow(/already closed/);
  });

  it("refuses a line the reader would reject, naming the field", async () => {
    const w = await open();
    expect(() => w.write({ kind: "stderr", session: "s", text: "x", t: "now" })).toThrow(/field "t"/);
    expect(linesOf(w)).toHaveLength(2); // nothing written
  });

  it("nowIso writes ISO-8601 UTC with milliseconds", () => {
    expect(nowIso(Date.UTC(2026, 10, 21, 23, 40, 23, 123))).toBe("2026-11-21T23:40:23.123Z");
  });
});

it("a refused line does not use up a seq", async () => {
  const w = await open();
  expect(() => w.write({ kind: "msg", session: "s", dir: "up" as "c2s", msg: 1 })).toThrow(/field "dir"/);
  expect(w.write({ kind: "msg", session: "s", dir: "c2s", msg: 1 })).toBe(1);
});
