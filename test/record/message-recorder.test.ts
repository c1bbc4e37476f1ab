import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MessageRecorder } from "../../src/record/message-recorder.js";
import { readTape } from "../../src/tape/reader.js";
import { Redactor } from "../../src/tape/redact.js";
import type { TapeLine } from "../../src/tape/schema.js";
import { TapeWriter } from "../../src/tape/writer.js";
import { tempDir } from "../helpers/temp-dir.js";

const T = "2026-11-21T23:40:23.123Z";

async function lines(path: string): Promise<TapeLine[]> {
  const out: TapeLine[] = [];
  for await (const { line } of readTape(path)) out.push(line);
  return out;
}

describe("MessageRecorder", () => {
  it("keeps a message nested deeper than redaction can walk, as a raw line", async () => {
    const path = join(tempDir("deep"), "t.jsonl");
    const writer = await TapeWriter.open(path, { recorder: { name: "t", version: "0" }, transport: "stdio" });
    const recorder = new MessageRecorder(writer, new Redactor({ enabled: true, hmacKey: "k" }), { session: "s" });
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    recorder.line("s2c", Buffer.from(deep), T);
    recorder.line("s2c", Buffer.from('{"jsonrpc":"2.0","id":1,"result":{}}'), T);
    writer.close({ reason: "closed" });
    const taped = await lines(path);
    const raw = taped.find((l) => l.kind === "raw");
    expect(raw && raw.kind === "raw" ? raw.text : undefined).toBe(deep);
    expect(taped.filter((l) => l.kind === "msg")).toHaveLength(1);
  });
});

describe("MessageRecorder and repeated keys", () => {
  it("never tapes a credential hidden in a copy of a key that parsing drops", async () => {
    const path = join(tempDir("dup"), "t.jsonl");
    const writer = await TapeWriter.open(path, { recorder: { name: "t", version: "0" }, transport: "stdio" });
    const recorder = new MessageRecorder(writer, new Redactor({ enabled: true, hmacKey: "k" }), { session: "s" });
    const secret = "ghp_0123456789abcdefghij0123456789abcd";
    recorder.line("s2c", Buffer.from(`{"jsonrpc":"2.0","id":1,"result":{"note":"${secret}","note":"fine"}}`), T);
    recorder.line("s2c", Buffer.from('{"jsonrpc":"2.0","id":2,"result":{"monkey":"bananas0123456789abc"}}'), T);
    writer.close({ reason: "closed" });
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain(secret);
    const msgs = (await lines(path)).filter((l) => l.kind === "msg");
    expect(msgs).toHaveLength(2);
    // Without a repeated key the sender's text is kept as it was.
    expect(text).toContain('{"jsonrpc":"2.0","id":2,"result":{"monkey":"bananas0123456789abc"}}');
  });
});

describe("MessageRecorder keeps the bytes received", () => {
  /** Tapes each of `wire` as one s2c message with redaction on; returns the tape's text and lines. */
  async function tape(...wire: Buffer[]): Promise<{ text: Buffer; lines: TapeLine[] }> {
    const path = join(tempDir("bytes"), "t.jsonl");
    const writer = await TapeWriter.open(path, { recorder: { name: "t", version: "0" }, transport: "stdio" });
    const recorder = new MessageRecorder(writer, new Redactor({ enabled: true, hmacKey: "k" }), { session: "s" });
    for (const bytes of wire) recorder.line("s2c", bytes, T);
    writer.close({ reason: "closed" });
    return { text: readFileSync(path), lines: (await lines(path)).filter((l) => l.kind === "msg" || l.kind === "raw") };
  }

  it("a message without a secret is the very bytes on the tape: spacing, number spelling, escapes", async () => {
    const wire = Buffer.from('{ "jsonrpc":"2.0", "id":7, "result":{"x":2.50, "s":"\\u00e9 é"} }');
    const { text, lines: taped } = await tape(wire);
    expect(text.includes(Buffer.concat([Buffer.from(',"msg":'), wire, Buffer.from("}\n")]))).toBe(true);
    expect(taped).toEqual([expect.objectContaining({ kind: "msg", msg: JSON.parse(wire.toString()) })]);
  });

  it("line breaks between the tokens of a message (an HTTP body, say) are dropped, so the tape line stays one line", async () => {
    const { text, lines: taped } = await tape(Buffer.from('{\r\n  "id": 1,\n  "result": {}\r\n}\r\n'));
    expect(text.toString()).toContain('"msg":{  "id": 1,  "result": {}}}');
    expect(taped).toEqual([expect.objectContaining({ msg: { id: 1, result: {} } })]);
  });

  it("a message that is not UTF-8 is taped as decoded (U+FFFD), so the tape stays UTF-8, and its bytes as received beside it in base64", async () => {
    const wire = Buffer.concat([Buffer.from('{"id":1,"result":"caf'), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from('"}')]);
    const { text, lines: taped } = await tape(wire);
    expect(isUtf8(text)).toBe(true);
    expect(taped).toEqual([expect.objectContaining({ kind: "msg", msg: { id: 1, result: "caf\uFFFD\uFFFD\uFFFD" } })]);
    expect(Buffer.from((taped[0] as { bytes: string }).bytes, "base64")).toEqual(wire);
  });

  it("a raw line that is not UTF-8 (Latin-1 text) keeps its bytes, a credential in them redacted as in its text", async () => {
    const secret = "ghp_0123456789abcdefghij0123456789abcdef";
    const wire = Buffer.from(`caf\u00e9 token ${secret} fin`, "latin1");
    const { text, lines: taped } = await tape(wire);
    expect(text.toString("latin1")).not.toContain(secret);
    const raw = taped[0] as { kind: string; text: string; bytes: string };
    expect(raw.kind).toBe("raw");
    expect(raw.text).toMatch(/^caf\uFFFD token \[REDACTED:[0-9a-f]{8}\] fin$/);
    const kept = Buffer.from(raw.bytes, "base64");
    expect(kept.toString("latin1")).toBe(raw.text.replace("\uFFFD", "\u00e9"));
  });

  it("UTF-8 lines carry no bytes field: the text is the line", async () => {
    const { lines: taped } = await tape(Buffer.from('{"id":1,"result":"café"}'), Buffer.from("plain é text"));
    expect(taped.map((l) => "bytes" in l)).toEqual([false, false]);
  });

  it("a line that starts with a byte-order mark is not JSON to a JSON-RPC peer: a raw line that keeps the mark", async () => {
    const { lines: taped } = await tape(Buffer.from('\uFEFF{"id":1,"result":{}}'));
    expect(taped).toEqual([expect.objectContaining({ kind: "raw", text: '\uFEFF{"id":1,"result":{}}' })]);
  });
});
