/** The HTTP recorder as a proxy: bytes, headers, statuses and compression, against a scripted upstream. */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { readFileSync } from "node:fs";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ROOT, ofKind, tapeLines, tempDir } from "./helpers.js";
import { freePort, recordHttpInProcess, startEverythingHttp } from "./http-helpers.js";

interface Seen {
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

/** Answers by the JSON-RPC method in the body; remembers what each request looked like. */
let upstream: Server;
let upstreamUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ headers: req.headers, rawHeaders: req.rawHeaders, body });
      const method = body === "" ? "" : (JSON.parse(body) as { method?: string }).method;
      switch (method) {
        case "throttle-text":
          res.writeHead(429, { "Content-Type": "text/plain", "Retry-After": "3" });
          return res.end("Too Many Requests");
        case "throttle-empty":
          res.writeHead(429);
          return res.end();
        case "gzip": {
          res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip" });
          return res.end(gzipSync(JSON.stringify({ jsonrpc: "2.0", id: 1, result: { packed: "é".repeat(1000) } })));
        }
        case "odd": {
          // Spacing, key order and a header name's case a re-serialising proxy would change.
          res.writeHead(200, "Fine Thanks", ["Content-Type", "application/json", "X-Custom-Case", "kept", "Set-Cookie", "a=1", "Set-Cookie", "b=2"]);
          return res.end('{ "result" : {"z":1,"a":2.50}, "id" : 1 ,"jsonrpc":"2.0"}');
        }
        default:
          res.writeHead(202);
          return res.end();
      }
    });
  });
  upstream.listen(0, "127.0.0.1");
  await once(upstream, "listening");
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}/rpc?v=1`;
});
afterAll(() => {
  upstream?.close();
});

interface Answer {
  status: number;
  statusMessage: string;
  rawHeaders: string[];
  body: Buffer;
}

/** A raw request through node:http, so nothing decodes or normalises the answer. */
function send(url: string, body: string, headers: Record<string, string> | string[] = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // Node adds no Host to a header array.
    const all = Array.isArray(headers) ? ["Host", new URL(url).host, "Content-Type", "application/json", ...headers] : { "Content-Type": "application/json", ...headers };
    const req = request(url, { method: "POST", headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, statusMessage: res.statusMessage!, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("HTTP recorder as a proxy", () => {
  it("passes request and response bytes and headers through, Authorization included, and never tapes them", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstreamUrl);
    const body = '{"jsonrpc":"2.0", "id":1,"method":"odd" ,"params":{"b":1,"a":2}}';
    seen.length = 0;
    const answer = await send(rec.recorder.url, body, ["Authorization", "Bearer tok-abcdef-123456", "X-Client-Case", "Yes", "Mcp-Session-Id", "s-1"]);
    await rec.recorder.close();

    expect(seen[0]!.body).toBe(body);
    expect(seen[0]!.headers).toMatchObject({ authorization: "Bearer tok-abcdef-123456", "mcp-session-id": "s-1" });
    expect(seen[0]!.rawHeaders).toContain("X-Client-Case");
    expect(seen[0]!.headers.host).toBe(new URL(upstreamUrl).host);
    expect(answer.status).toBe(200);
    expect(answer.statusMessage).toBe("Fine Thanks");
    expect(answer.body.toString("utf8")).toBe('{ "result" : {"z":1,"a":2.50}, "id" : 1 ,"jsonrpc":"2.0"}');
    expect(answer.rawHeaders).toContain("X-Custom-Case");
    expect(answer.rawHeaders.filter((h) => h === "a=1" || h === "b=2")).toEqual(["a=1", "b=2"]);

    const text = readFileSync(tape, "utf8");
    expect(text).not.toContain("tok-abcdef-123456");
    expect(text).not.toContain("a=1");
    expect(text).toContain(`"msg":${body}`);
    expect(text).toContain('"msg":{ "result" : {"z":1,"a":2.50}, "id" : 1 ,"jsonrpc":"2.0"}');
  });

  it("the query string of the upstream URL and of the request both reach the upstream", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstreamUrl);
    seen.length = 0;
    const captured: string[] = [];
    upstream.once("request", (req) => captured.push(req.url!));
    await send(`${rec.recorder.url}?x=2`, '{"jsonrpc":"2.0","method":"notifications/initialized"}', { "Mcp-Session-Id": "s-1" });
    await rec.recorder.close();
    expect(captured).toEqual(["/rpc?v=1&x=2"]);
  });

  it("a 429 with a text body is taped as a raw line with its status; an empty one too", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstreamUrl);
    const a = await send(rec.recorder.url, '{"jsonrpc":"2.0","id":1,"method":"throttle-text"}', { "Mcp-Session-Id": "s-1" });
    const b = await send(rec.recorder.url, '{"jsonrpc":"2.0","id":2,"method":"throttle-empty"}', { "Mcp-Session-Id": "s-1" });
    await send(rec.recorder.url, '{"jsonrpc":"2.0","method":"notifications/initialized"}', { "Mcp-Session-Id": "s-1" });
    await rec.recorder.close();

    expect([a.status, b.status]).toEqual([429, 429]);
    expect(a.rawHeaders).toContain("Retry-After");
    const lines = await tapeLines(tape);
    // Neither body names the request it answers: `answers` does, so replay can pair them.
    expect(ofKind(lines, "raw").map((r) => [r.dir, r.http, r.answers, r.text])).toEqual([
      ["s2c", 429, 1, "Too Many Requests"],
      ["s2c", 429, 2, ""],
    ]);
    // The 202 to the notification is not a message.
    expect(ofKind(lines, "msg").map((m) => m.dir)).toEqual(["c2s", "c2s", "c2s"]);
    expect(lines.filter((l) => l.kind === "msg" || l.kind === "raw").map((l) => (l as { seq: number }).seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it("a gzipped answer reaches the client compressed and is taped as its message", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstreamUrl);
    const answer = await send(rec.recorder.url, '{"jsonrpc":"2.0","id":1,"method":"gzip"}', { "Mcp-Session-Id": "s-1", "Accept-Encoding": "gzip" });
    await rec.recorder.close();
    expect(answer.body[0]).toBe(0x1f); // still gzip
    const msgs = ofKind(await tapeLines(tape), "msg");
    expect(msgs[1]!.msg).toEqual({ jsonrpc: "2.0", id: 1, result: { packed: "é".repeat(1000) } });
  });

  it("a request to a server that assigns no session id goes under the stateless session at once", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstreamUrl, { identity: "bob" });
    await send(rec.recorder.url, '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"clientInfo":{"name":"c","version":"1"},"protocolVersion":"2025-06-18"}}');
    await send(rec.recorder.url, '{"jsonrpc":"2.0","id":2,"method":"odd"}');
    await rec.recorder.close();
    const lines = await tapeLines(tape);
    expect(ofKind(lines, "session")).toMatchObject([{ session: "stateless bob", identity: "bob", client: { name: "c", version: "1" } }]);
    expect(ofKind(lines, "msg").map((m) => [m.session, m.dir])).toEqual([
      ["stateless bob", "c2s"],
      ["stateless bob", "c2s"],
      ["stateless bob", "s2c"],
    ]);
  });

  it("an unreachable upstream gets the client a 502 error for its request's id, and both are taped", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, `http://127.0.0.1:${await freePort()}/mcp`);
    const answer = await send(rec.recorder.url, '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}');
    await rec.recorder.close();
    expect(answer.status).toBe(502);
    // With the request's id, a client's pending call fails at once instead of waiting for its timeout.
    const error = JSON.parse(answer.body.toString("utf8")) as { id: unknown; error: { message: string } };
    expect(error.id).toBe(1);
    expect(error.error.message).toMatch(/^mcptape: cannot reach the upstream server: /);
    expect(rec.err()).toMatch(/cannot reach the upstream/);
    const lines = await tapeLines(tape);
    const msgs = ofKind(lines, "msg");
    expect(msgs.map((m) => [m.session, m.dir, m.http])).toEqual([["stateless", "c2s", undefined], ["stateless", "s2c", 502]]);
    // Nothing the client saw is left off the tape: the recorder's own answer is there as it was sent.
    expect(msgs[1]!.msg).toEqual(error);
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "closed" });
  });

  it("a client that hangs up half-way through a request body: the bytes that arrived are taped", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstreamUrl);
    const partial = '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"slow","arguments":{"text":"';
    const upstreamGotIt = new Promise<void>((resolve) => upstream.once("request", (req) => req.once("data", () => resolve())));
    const req = request(rec.recorder.url, { method: "POST", headers: { "Content-Type": "application/json", "Content-Length": "100000", "Mcp-Session-Id": "s-cut" } });
    req.on("error", () => undefined);
    req.write(partial);
    await upstreamGotIt;
    req.destroy();
    // Let the hang-up reach the recorder before it stops (stopping tapes open exchanges anyway).
    await new Promise((r) => setTimeout(r, 300));
    await rec.recorder.close();
    const lines = await tapeLines(tape);
    expect(ofKind(lines, "raw").map((r) => [r.session, r.dir, r.text])).toEqual([["s-cut", "c2s", partial]]);
    expect(lines.at(-1)).toMatchObject({ kind: "end", messages: 1 });
  });

  it("a request target that is not a URL gets a 400 and the recorder goes on", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstreamUrl);
    const statusLine = await new Promise<string>((resolve, reject) => {
      const socket = connect(rec.recorder.port, "127.0.0.1", () => socket.write("GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
      socket.once("data", (d: Buffer) => {
        resolve(d.toString("latin1").split("\r\n")[0]!);
        socket.destroy();
      });
      socket.on("error", reject);
    });
    expect(statusLine).toBe("HTTP/1.1 400 Bad Request");
    const after = await send(rec.recorder.url, '{"jsonrpc":"2.0","id":1,"method":"odd"}', { "Mcp-Session-Id": "s-1" });
    expect(after.status).toBe(200);
    await rec.recorder.close();
    expect((await tapeLines(tape)).at(-1)).toMatchObject({ kind: "end", messages: 2 });
  });

  it("paths other than /mcp are 404 and not forwarded", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = await recordHttpInProcess(tape, upstreamUrl);
    seen.length = 0;
    const answer = await send(rec.recorder.url.replace("/mcp", "/other"), "{}");
    await rec.recorder.close();
    expect(answer.status).toBe(404);
    expect(seen).toEqual([]);
  });
});

describe("mcptape record --upstream (the command line)", () => {
  it("prints the URL it listens on, proxies, and on SIGTERM writes the end line", async () => {
    const everything = await startEverythingHttp();
    const tape = join(tempDir(), "t.jsonl");
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, "record", "-o", tape, "--upstream", everything.url, "--port", String(port)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
    const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
    try {
      const deadline = Date.now() + 15_000;
      while (!err.includes("recording on") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(err).toContain(`recording on http://127.0.0.1:${port}/mcp`);
      const answer = await fetch(`http://127.0.0.1:${port}/mcp`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "cli", version: "1" } } }),
      });
      expect(answer.headers.get("mcp-session-id")).toBeTruthy();
      await answer.text();
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
      await everything.stop();
    }
    const lines = await tapeLines(tape);
    expect(ofKind(lines, "session")).toMatchObject([{ client: { name: "cli", version: "1" } }]);
    expect(ofKind(lines, "msg")).toHaveLength(2);
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "signal", messages: 2 });
  });
});
