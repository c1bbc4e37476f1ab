import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MessageRecorder } from "../../src/record/message-recorder.js";
import { readTape } from "../../src/tape/reader.js";
import { Redactor } from "../../src/tape/redact.js";
import type { TapeLine } from "../../src/tape/schema.js";
import { TapeWriter } from "../../src/tape/writer.js";
import { tempDir } from "../helpers/temp-dir.js";

async function lines(path: string): Promise<TapeLine[]> {
  const out: TapeLine[] = [];
  for await (const { line } of readTape(path)) out.push(line);
  return out;
}

describe("MessageRecorder", () => {
  it("keeps a message nested deeper than redaction can walk, as a raw line", async () => {
    const path = join(tempDir("deep"), "t.jsonl");
    const writer = await TapeWriter.open(path, { recorder: { name: "t", version: "0" }, transport: "stdio" });
    const recorder = new MessageRecorder(writer, new Redactor({ enabled: true, hmacKey: "k" }), "s");
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    recorder.line("s2c", deep);
    recorder.line("s2c", '{"jsonrpc":"2.0","id":1,"result":{}}');
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
    const recorder = new MessageRecorder(writer, new Redactor({ enabled: true, hmacKey: "k" }), "s");
    const secret = "ghp_0123456789abcdefghij0123456789abcd";
    recorder.line("s2c", `{"jsonrpc":"2.0","id":1,"result":{"note":"${secret}","note":"fine"}}`);
    recorder.line("s2c", '{"jsonrpc":"2.0","id":2,"result":{"monkey":"bananas0123456789abc"}}');
    writer.close({ reason: "closed" });
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain(secret);
    const msgs = (await lines(path)).filter((l) => l.kind === "msg");
    expect(msgs).toHaveLength(2);
    // Without a repeated key the sender's text is kept as it was.
    expect(text).toContain('{"jsonrpc":"2.0","id":2,"result":{"monkey":"bananas0123456789abc"}}');
  });
});
