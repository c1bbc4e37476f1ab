import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MsgLine } from "../../src/tape/schema.js";
import { ofKind, tapeLines, tempDir } from "./helpers.js";
import { endSession, httpClient, recordHttpInProcess, startEverythingHttp, type Upstream } from "./http-helpers.js";

type Rpc = { id?: unknown; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown> };
const rpc = (m: MsgLine): Rpc => m.msg as Rpc;

let upstream: Upstream;
beforeAll(async () => {
  upstream = await startEverythingHttp();
});
afterAll(async () => {
  await upstream?.stop();
});

describe("HTTP recorder in front of server-everything (streamableHttp)", () => {
  it("a client gets the same tools/list and echo results through the recorder as direct", async () => {
    const direct = await httpClient(upstream.url);
    const directTools = await direct.client.listTools();
    const directEcho = await direct.client.callTool({ name: "echo", arguments: { message: "héllo\nworld" } });
    await endSession(direct);

    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstream.url);
    const viaRecorder = await httpClient(rec.recorder.url);
    const tools = await viaRecorder.client.listTools();
    const echo = await viaRecorder.client.callTool({ name: "echo", arguments: { message: "héllo\nworld" } });
    await endSession(viaRecorder);
    await rec.recorder.close();

    expect(tools).toEqual(directTools);
    expect(echo).toEqual(directEcho);
    expect(echo).toEqual({ content: [{ type: "text", text: "Echo: héllo\nworld" }] });

    const lines = await tapeLines(tape);
    expect(lines[0]).toMatchObject({ kind: "header", transport: "http", upstream: { url: upstream.url } });
    const msgs = ofKind(lines, "msg");
    const echoCall = msgs.find((m) => m.dir === "c2s" && rpc(m).method === "tools/call")!;
    const echoAnswer = msgs.find((m) => m.dir === "s2c" && rpc(m).id === rpc(echoCall).id && rpc(m).result !== undefined)!;
    expect(rpc(echoAnswer).result).toEqual(echo);
    expect(echoAnswer.seq).toBeGreaterThan(echoCall.seq);
    expect(msgs.map((m) => m.seq)).toEqual(msgs.map((_, i) => i + 1));
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "closed", messages: msgs.length });
  });

  it("two client sessions land in one tape, each under its Mcp-Session-Id, initialize first", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstream.url);
    const a = await httpClient(rec.recorder.url);
    const b = await httpClient(rec.recorder.url);
    await a.client.callTool({ name: "get-sum", arguments: { a: 1, b: 2 } });
    await b.client.callTool({ name: "get-sum", arguments: { a: 3, b: 4 } });
    await a.client.callTool({ name: "echo", arguments: { message: "from a" } });
    const ids = [a.transport.sessionId!, b.transport.sessionId!];
    await endSession(a);
    await endSession(b);
    await rec.recorder.close();

    expect(ids[0]).not.toBe(ids[1]);
    const lines = await tapeLines(tape);
    const sessions = ofKind(lines, "session");
    expect(sessions.map((s) => s.session).sort()).toEqual([...ids].sort());
    for (const s of sessions) {
      expect(s).toMatchObject({ client: { name: "http-recorder-test", version: "2.0.0" } });
      expect(typeof s.protocolVersion).toBe("string");
    }
    const msgs = ofKind(lines, "msg");
    expect(new Set(msgs.map((m) => m.session))).toEqual(new Set(ids));
    for (const id of ids) {
      const mine = msgs.filter((m) => m.session === id);
      // The session's first line is its initialize, taped before its answer.
      expect(rpc(mine[0]!)).toMatchObject({ method: "initialize" });
      expect(mine[1]).toMatchObject({ dir: "s2c" });
      expect(rpc(mine[1]!).result).toHaveProperty("serverInfo");
      const sessionLine = lines.findIndex((l) => l.kind === "session" && l.session === id);
      expect(sessionLine).toBeLessThan(lines.indexOf(mine[0]!));
    }
    const sums = msgs.filter((m) => m.dir === "c2s" && rpc(m).method === "tools/call");
    expect(sums.map((m) => [m.session, (rpc(m).params as { arguments: unknown }).arguments])).toEqual([
      [ids[0], { a: 1, b: 2 }],
      [ids[1], { a: 3, b: 4 }],
      [ids[0], { message: "from a" }],
    ]);
  });

  it("the identity is the hash of the bearer token, and no secret header reaches the tape", async () => {
    const token = "s3cr3t-bearer-token-0123456789";
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstream.url);
    const c = await httpClient(rec.recorder.url, {
      headers: { Authorization: `Bearer ${token}`, Cookie: "sid=cookie-value-42xyz", "X-Api-Key": "api-key-value-77abc" },
    });
    await c.client.callTool({ name: "echo", arguments: { message: "hi" } });
    await endSession(c);
    await rec.recorder.close();

    const text = readFileSync(tape, "utf8");
    for (const secret of [token, "cookie-value-42xyz", "api-key-value-77abc"]) expect(text).not.toContain(secret);
    const expected = `sha256:${createHash("sha256").update(token).digest("hex").slice(0, 16)}`;
    expect(ofKind(await tapeLines(tape), "session").map((s) => s.identity)).toEqual([expected]);
  });

  it("--identity names the caller instead of the token", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstream.url, { identity: "alice" });
    const c = await httpClient(rec.recorder.url, { headers: { Authorization: "Bearer abcdefgh12345678" } });
    await endSession(c);
    await rec.recorder.close();
    expect(ofKind(await tapeLines(tape), "session").map((s) => s.identity)).toEqual(["alice"]);
  });

  it("a non-local Origin is refused with 403 and nothing of it is taped; a local one passes", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstream.url);
    const body = JSON.stringify({
      jsonrpc: "2.0", id: 1, method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "evil", version: "1" } },
    });
    const post = (origin: string) =>
      fetch(rec.recorder.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", Origin: origin },
        body,
      });
    const refused = await post("http://evil.example");
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("not local");
    // DNS rebinding without an Origin: a page's own name resolving to 127.0.0.1.
    const rebound = await new Promise<number>((resolve, reject) => {
      const r = request(rec.recorder.url, { method: "DELETE", headers: { Host: "evil.example:80" } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      r.on("error", reject);
      r.end();
    });
    expect(rebound).toBe(403);
    const local = await post("http://localhost:6274");
    expect(local.status).toBe(200);
    await local.text();
    await rec.recorder.close();

    const lines = await tapeLines(tape);
    const msgs = ofKind(lines, "msg");
    expect(msgs.filter((m) => m.dir === "c2s")).toHaveLength(1);
    expect(rec.err()).toContain("refused a request from Origin http://evil.example");
  });

  it("progress notifications stream through as they happen and are taped before the result", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstream.url);
    const c = await httpClient(rec.recorder.url);
    const started = Date.now();
    const seenAt: number[] = [];
    const result = await c.client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 1.2, steps: 3 } },
      undefined,
      { onprogress: () => seenAt.push(Date.now() - started) },
    );
    const doneAt = Date.now() - started;
    await endSession(c);
    await rec.recorder.close();

    expect(JSON.stringify(result)).toContain("Long running operation completed");
    // Each arrived on its own, about 0.4 s apart, not all at the end. (The SDK client may drop
    // the last one when it comes together with the result: it runs responses first.)
    expect(seenAt.length).toBeGreaterThanOrEqual(2);
    expect(seenAt[0]!).toBeLessThan(doneAt - 500);

    const msgs = ofKind(await tapeLines(tape), "msg");
    const progress = msgs.filter((m) => rpc(m).method === "notifications/progress");
    expect(progress.map((m) => [m.dir, (rpc(m).params as { progress: number }).progress])).toEqual([["s2c", 1], ["s2c", 2], ["s2c", 3]]);
    const call = msgs.find((m) => rpc(m).method === "tools/call")!;
    const answer = msgs.find((m) => m.dir === "s2c" && rpc(m).id === rpc(call).id && rpc(m).result)!;
    expect(progress.every((p) => p.seq > call.seq && p.seq < answer.seq)).toBe(true);
    const times = progress.map((p) => Date.parse(p.t));
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(500);
  });

  it("the server's sampling request and the client's answer are taped in both directions", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstream.url);
    const c = await httpClient(rec.recorder.url, { capabilities: { capabilities: { sampling: {} } } });
    c.client.setRequestHandler(CreateMessageRequestSchema, async () => ({
      model: "test-model",
      role: "assistant",
      content: { type: "text", text: "sampled answer 42" },
    }));
    const result = await c.client.callTool({ name: "trigger-sampling-request", arguments: { prompt: "say 42", maxTokens: 5 } });
    await endSession(c);
    await rec.recorder.close();

    expect(JSON.stringify(result)).toContain("sampled answer 42");
    const msgs = ofKind(await tapeLines(tape), "msg");
    const ask = msgs.find((m) => m.dir === "s2c" && rpc(m).method === "sampling/createMessage")!;
    expect(ask).toBeDefined();
    expect(JSON.stringify(ask.msg)).toContain("say 42");
    const reply = msgs.find((m) => m.dir === "c2s" && rpc(m).id === rpc(ask).id && rpc(m).result !== undefined)!;
    expect(rpc(reply).result).toMatchObject({ model: "test-model", content: { text: "sampled answer 42" } });
    expect(reply.seq).toBeGreaterThan(ask.seq);
    const call = msgs.find((m) => rpc(m).method === "tools/call")!;
    const answer = msgs.find((m) => m.dir === "s2c" && rpc(m).id === rpc(call).id && rpc(m).result)!;
    expect(call.seq).toBeLessThan(ask.seq);
    expect(answer.seq).toBeGreaterThan(reply.seq);
  });

  it("an upstream error answer is taped with its HTTP status", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstream.url);
    const res = await fetch(rec.recorder.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", "Mcp-Session-Id": "no-such-session" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/list" }),
    });
    expect(res.status).toBe(400);
    const body = await res.text();
    await rec.recorder.close();
    const msgs = ofKind(await tapeLines(tape), "msg");
    expect(msgs.map((m) => [m.session, m.dir, m.http])).toEqual([
      ["no-such-session", "c2s", undefined],
      ["no-such-session", "s2c", 400],
    ]);
    expect(msgs[1]!.msg).toEqual(JSON.parse(body));
  });
});
