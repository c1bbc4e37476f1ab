/** The stdio recorder in front of more real servers: memory, filesystem, progress and sampling on everything. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import type { MsgLine } from "../../src/tape/schema.js";
import { EVERYTHING, ROOT, StreamClientTransport, ofKind, recordInProcess, tapeLines, tempDir } from "./helpers.js";

const MEMORY = [process.execPath, join(ROOT, "node_modules/@modelcontextprotocol/server-memory/dist/index.js")];
const FILESYSTEM = [process.execPath, join(ROOT, "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js")];

type Rpc = { id?: unknown; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown> };
const rpc = (m: MsgLine): Rpc => m.msg as Rpc;

async function connect(rec: ReturnType<typeof recordInProcess>, capabilities?: ConstructorParameters<typeof Client>[1]): Promise<Client> {
  const client = new Client({ name: "recorder-test", version: "1.2.3" }, capabilities);
  await client.connect(new StreamClientTransport(rec.stdin, rec.stdout));
  return client;
}

/** The answer to the request taped as `request`, in the same session. */
function answerTo(msgs: MsgLine[], request: MsgLine): MsgLine | undefined {
  const other = request.dir === "c2s" ? "s2c" : "c2s";
  return msgs.find((m) => m.dir === other && m.session === request.session && rpc(m).id === rpc(request).id && rpc(m).method === undefined);
}

describe("stdio recorder with more servers", () => {
  it("server-memory: entities created through the recorder are in its memory file and on the tape", async () => {
    const dir = tempDir();
    const memoryFile = join(dir, "memory.jsonl");
    const tape = join(dir, "t.jsonl");
    const rec = recordInProcess(tape, MEMORY, { env: { ...process.env, MEMORY_FILE_PATH: memoryFile } });
    const client = await connect(rec);
    await client.callTool({
      name: "create_entities",
      arguments: { entities: [{ name: "Ada", entityType: "person", observations: ["wrote the first program"] }] },
    });
    const graph = await client.callTool({ name: "read_graph", arguments: {} });
    await client.close();
    expect(await rec.done).toBe(0);

    expect(JSON.stringify(graph)).toContain("wrote the first program");
    expect(readFileSync(memoryFile, "utf8")).toContain('"name":"Ada"');
    const msgs = ofKind(await tapeLines(tape), "msg");
    const calls = msgs.filter((m) => rpc(m).method === "tools/call");
    expect(calls.map((m) => (rpc(m).params as { name: string }).name)).toEqual(["create_entities", "read_graph"]);
    for (const call of calls) expect(answerTo(msgs, call)!.seq).toBeGreaterThan(call.seq);
    expect(JSON.stringify(answerTo(msgs, calls[1]!)!.msg)).toContain("wrote the first program");
  });

  it("server-filesystem: a read, a write and a refused path outside the root are all taped", async () => {
    const dir = tempDir();
    const root = join(dir, "root");
    const tape = join(dir, "t.jsonl");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(root);
    writeFileSync(join(root, "hello.txt"), "hello from the disk");
    const rec = recordInProcess(tape, [...FILESYSTEM, root]);
    const client = await connect(rec);
    const read = await client.callTool({ name: "read_text_file", arguments: { path: join(root, "hello.txt") } });
    await client.callTool({ name: "write_file", arguments: { path: join(root, "new.txt"), content: "written through the recorder" } });
    const outside = await client.callTool({ name: "read_text_file", arguments: { path: "/etc/hostname" } });
    await client.close();
    await rec.done;

    expect(JSON.stringify(read)).toContain("hello from the disk");
    expect(readFileSync(join(root, "new.txt"), "utf8")).toBe("written through the recorder");
    expect(outside.isError).toBe(true);
    const msgs = ofKind(await tapeLines(tape), "msg");
    const calls = msgs.filter((m) => rpc(m).method === "tools/call");
    expect(calls.map((m) => (rpc(m).params as { name: string }).name)).toEqual(["read_text_file", "write_file", "read_text_file"]);
    expect((answerTo(msgs, calls[2]!)!.msg as { result: { isError?: boolean } }).result.isError).toBe(true);
    expect(ofKind(await tapeLines(tape), "stderr").length).toBeGreaterThan(0);
  });

  it("progress notifications pass through and are taped between the call and its result", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = recordInProcess(tape, EVERYTHING);
    const client = await connect(rec);
    const progress: number[] = [];
    await client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 0.6, steps: 3 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    await client.close();
    await rec.done;

    // The last notification and the result arrive together, and the SDK client runs
    // responses before notifications: it may drop the last one. The tape has all three.
    expect(progress.slice(0, 2)).toEqual([1, 2]);
    const msgs = ofKind(await tapeLines(tape), "msg");
    const call = msgs.find((m) => rpc(m).method === "tools/call")!;
    const notes = msgs.filter((m) => rpc(m).method === "notifications/progress");
    expect(notes.map((m) => [m.dir, (rpc(m).params as { progress: number }).progress])).toEqual([["s2c", 1], ["s2c", 2], ["s2c", 3]]);
    const answer = answerTo(msgs, call)!;
    expect(notes.every((n) => n.seq > call.seq && n.seq < answer.seq)).toBe(true);
  });

  it("a sampling request from the server and the client's answer are taped in both directions", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = recordInProcess(tape, EVERYTHING);
    const client = await connect(rec, { capabilities: { sampling: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({
      model: "stdio-model",
      role: "assistant",
      content: { type: "text", text: "sampled over stdio" },
    }));
    const result = await client.callTool({ name: "trigger-sampling-request", arguments: { prompt: "ping", maxTokens: 5 } });
    await client.close();
    await rec.done;

    expect(JSON.stringify(result)).toContain("sampled over stdio");
    const msgs = ofKind(await tapeLines(tape), "msg");
    const ask = msgs.find((m) => m.dir === "s2c" && rpc(m).method === "sampling/createMessage")!;
    const reply = answerTo(msgs, ask)!;
    expect(reply.dir).toBe("c2s");
    expect(rpc(reply).result).toMatchObject({ model: "stdio-model", content: { text: "sampled over stdio" } });
    const call = msgs.find((m) => rpc(m).method === "tools/call")!;
    expect(call.seq).toBeLessThan(ask.seq);
    expect(ask.seq).toBeLessThan(reply.seq);
    expect(reply.seq).toBeLessThan(answerTo(msgs, call)!.seq);
  });
});
