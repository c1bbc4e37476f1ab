import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { recordStdio } from "../../src/record/stdio.js";
import {
  BIN, EVERYTHING, LINE_SERVER, ROOT, StreamClientTransport, ofKind, recordInProcess, tapeLines, tempDir,
} from "./helpers.js";

const FAKE_KEY = "sk-live-4f9a1c2e7b3d5f8a0c6e2b4d";

async function connect(rec: ReturnType<typeof recordInProcess>): Promise<Client> {
  const client = new Client({ name: "recorder-test", version: "1.2.3" });
  await client.connect(new StreamClientTransport(rec.stdin, rec.stdout));
  return client;
}

/** Sends raw lines to the recorder and waits until `count` lines came back (or the session ended). */
async function exchange(rec: ReturnType<typeof recordInProcess>, lines: string[], count: number): Promise<void> {
  for (const l of lines) rec.stdin.write(l);
  const deadline = Date.now() + 10_000;
  while (rec.out().toString("utf8").split("\n").length - 1 < count && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("stdio recorder with server-everything", () => {
  it("a client gets the same tools/list and echo results with and without the recorder", async () => {
    const direct = new Client({ name: "recorder-test", version: "1.2.3" });
    await direct.connect(new StdioClientTransport({ command: EVERYTHING[0]!, args: EVERYTHING.slice(1), stderr: "pipe" }));
    const directTools = await direct.listTools();
    const directEcho = await direct.callTool({ name: "echo", arguments: { message: "héllo\nworld" } });
    await direct.close();

    const tape = join(tempDir(), "t.jsonl");
    const rec = recordInProcess(tape, EVERYTHING);
    const client = await connect(rec);
    const tools = await client.listTools();
    const echo = await client.callTool({ name: "echo", arguments: { message: "héllo\nworld" } });
    await client.close();
    expect(await rec.done).toBe(0);

    expect(tools).toEqual(directTools);
    expect(echo).toEqual(directEcho);
    expect(echo).toEqual({ content: [{ type: "text", text: "Echo: héllo\nworld" }] });
  });

  it("every line the client and server exchanged is on the tape, in order, spliced verbatim", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = recordInProcess(tape, EVERYTHING, { identity: "alice" });
    const sent: Buffer[] = [];
    const write = rec.stdin.write.bind(rec.stdin);
    rec.stdin.write = ((chunk: Buffer | string, ...rest: never[]) => {
      sent.push(Buffer.from(chunk));
      return write(chunk, ...rest);
    }) as typeof rec.stdin.write;
    const client = await connect(rec);
    await client.listTools();
    for (let i = 0; i < 3; i++) await client.callTool({ name: "get-sum", arguments: { a: i, b: 5000 } });
    await client.callTool({ name: "no-such-tool", arguments: {} }).catch(() => undefined);
    await client.close();
    await rec.done;

    const text = readFileSync(tape, "utf8");
    const lines = await tapeLines(tape);
    const wire = (bytes: Buffer) => bytes.toString("utf8").split("\n").filter((l) => l !== "");
    const c2s = wire(Buffer.concat(sent));
    const s2c = wire(rec.out());
    const msgs = ofKind(lines, "msg");
    expect(msgs.filter((m) => m.dir === "c2s").map((m) => m.msg)).toEqual(c2s.map((l) => JSON.parse(l)));
    expect(msgs.filter((m) => m.dir === "s2c").map((m) => m.msg)).toEqual(s2c.map((l) => JSON.parse(l)));
    for (const l of [...c2s, ...s2c]) expect(text).toContain(`,"msg":${l}`);
    expect(msgs.map((m) => m.seq)).toEqual(msgs.map((_, i) => i + 1));

    // Each answer is taped after its request.
    const requestAt = new Map<unknown, number>();
    for (const m of msgs) {
      const msg = m.msg as { id?: unknown; method?: string };
      if (m.dir === "c2s" && msg.method !== undefined && msg.id !== undefined) requestAt.set(msg.id, m.seq);
      if (m.dir === "s2c" && msg.method === undefined && msg.id !== undefined) {
        expect(requestAt.get(msg.id)).toBeLessThan(m.seq);
      }
    }

    expect(lines[0]).toMatchObject({ kind: "header", transport: "stdio", upstream: { command: EVERYTHING } });
    const session = ofKind(lines, "session")[0]!;
    expect(session).toMatchObject({ identity: "alice", client: { name: "recorder-test", version: "1.2.3" } });
    expect(typeof session.protocolVersion).toBe("string");
    expect(lines.findIndex((l) => l.kind === "session")).toBeLessThan(lines.findIndex((l) => l.kind === "msg"));
    expect(ofKind(lines, "stderr").map((l) => l.text)).toContain("Starting default (STDIO) server...");
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "closed", exitCode: 0, messages: msgs.length });
  });

  it("get-env with a fake API key in the environment never shows the key in the tape", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = recordInProcess(tape, EVERYTHING, { env: { ...process.env, DEMO_API_KEY: FAKE_KEY } });
    const client = await connect(rec);
    const result = await client.callTool({ name: "get-env", arguments: {} });
    await client.callTool({ name: "echo", arguments: { message: `Authorization: Bearer ghp_${"a1".repeat(15)}` } });
    await client.close();
    await rec.done;

    // The client got the real bytes; only the tape is redacted.
    expect(JSON.stringify(result)).toContain(FAKE_KEY);
    const text = readFileSync(tape, "utf8");
    expect(text).not.toContain(FAKE_KEY);
    expect(text).not.toContain("ghp_a1a1");
    expect(text).toMatch(/\\"DEMO_API_KEY\\": \\"\[REDACTED:[0-9a-f]{8}\]\\"/);
    const redacted = ofKind(await tapeLines(tape), "msg").filter((m) => m.redacted);
    expect(redacted.map((m) => m.redacted)).toEqual([["/result/content/0/text"], ["/params/arguments/message"], ["/result/content/0/text"]]);
  });

  it("secrets on the server's command line stay off the tape; the server gets them as given", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const marker = join(tempDir(), "argv.json");
    const script = `require("fs").writeFileSync(${JSON.stringify(marker)}, JSON.stringify(process.argv.slice(1)))`;
    const rec = recordInProcess(tape, [process.execPath, "-e", script, "--", "--api-key", "k-PLANTED-1", "postgresql://u:PLANTEDpw@db/x"]);
    rec.stdin.end();
    await rec.done;
    expect(JSON.parse(readFileSync(marker, "utf8"))).toEqual(["--api-key", "k-PLANTED-1", "postgresql://u:PLANTEDpw@db/x"]);
    const text = readFileSync(tape, "utf8");
    expect(text).not.toContain("PLANTED");
    const command = ((await tapeLines(tape))[0] as { upstream: { command: string[] } }).upstream.command;
    expect(command.slice(0, 5)).toEqual([process.execPath, "-e", script, "--", "--api-key"]);
    expect(command[5]).toMatch(/^\[REDACTED:[0-9a-f]{8}\]$/);
    expect(command[6]).toMatch(/^postgresql:\/\/u:\[REDACTED:[0-9a-f]{8}\]@db\/x$/);
  });

  it("--no-redact keeps the key in the tape", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = recordInProcess(tape, EVERYTHING, { env: { ...process.env, DEMO_API_KEY: FAKE_KEY }, redact: { enabled: false } });
    const client = await connect(rec);
    await client.callTool({ name: "get-env", arguments: {} });
    await client.close();
    await rec.done;
    expect(readFileSync(tape, "utf8")).toContain(FAKE_KEY);
    expect(JSON.parse(readFileSync(tape, "utf8").split("\n")[0]!).redaction).toEqual({ enabled: false });
  });

  it("a 5 MiB echo message passes intact and is on the tape", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = recordInProcess(tape, EVERYTHING);
    const client = await connect(rec);
    const big = "0123456789abcdef".repeat(5 * 65536);
    const result = await client.callTool({ name: "echo", arguments: { message: big } });
    await client.close();
    await rec.done;
    expect((result as { content: { text: string }[] }).content[0]!.text).toBe(`Echo: ${big}`);
    const answers = ofKind(await tapeLines(tape), "msg").map((m) => m.msg as { result?: { content?: { text?: string }[] } });
    expect(answers.some((m) => m.result?.content?.[0]?.text === `Echo: ${big}`)).toBe(true);
  });
});

describe("stdio recorder with a misbehaving server", () => {
  it("a non-JSON line becomes a raw line and its bytes still reach the client", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = recordInProcess(tape, LINE_SERVER);
    await exchange(rec, ['{"jsonrpc":"2.0","id":1,"method":"noise"}\n'], 2);
    rec.stdin.end();
    expect(await rec.done).toBe(0);
    expect(rec.out().toString("utf8")).toBe('this is not JSON: ünïcødé\n{"jsonrpc":"2.0","id":1,"result":{"ok":true}}\n');
    const lines = await tapeLines(tape);
    expect(ofKind(lines, "raw")).toMatchObject([{ seq: 2, dir: "s2c", text: "this is not JSON: ünïcødé" }]);
    expect(ofKind(lines, "msg").map((m) => m.seq)).toEqual([1, 3]);
  });

  it("odd spacing, CRLF line ends, batch arrays and unknown keys pass byte for byte and are taped as msg", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = recordInProcess(tape, LINE_SERVER);
    const requests = [
      '{"jsonrpc":"2.0","id":"a","method":"echo","params":{"x":[1,2.50,"é"]}}\n',
      '{"jsonrpc":"2.0","id":2,"method":"batch"}\n',
      '{"jsonrpc":"2.0","id":3,"method":"extra"}\n',
      "[]\n",
      "not json from the client\n",
    ];
    await exchange(rec, requests, 3);
    rec.stdin.end();
    await rec.done;
    const expected =
      '{ "jsonrpc" : "2.0", "id" : "a", "result" : {"x":[1,2.5,"é"]} }\r\n' +
      '[{"jsonrpc":"2.0","id":2,"result":{"n":1}},{"jsonrpc":"2.0","method":"notifications/message","params":{"n":2}}]\n' +
      '{"jsonrpc":"2.0","id":3,"result":{},"x-unknown":1}\n' +
      "line-server: could not parse your line\n";
    expect(rec.out().equals(Buffer.from(expected, "utf8"))).toBe(true);

    const text = readFileSync(tape, "utf8");
    expect(text).toContain('"msg":{ "jsonrpc" : "2.0", "id" : "a", "result" : {"x":[1,2.5,"é"]} }}');
    expect(text).toContain('"msg":{"jsonrpc":"2.0","id":"a","method":"echo","params":{"x":[1,2.50,"é"]}}');
    const lines = await tapeLines(tape);
    const msgs = ofKind(lines, "msg");
    expect(msgs.find((m) => Array.isArray(m.msg) && m.dir === "s2c")?.msg).toHaveLength(2);
    expect(msgs.find((m) => m.dir === "c2s" && Array.isArray(m.msg))?.msg).toEqual([]);
    expect(msgs.some((m) => (m.msg as Record<string, unknown>)["x-unknown"] === 1)).toBe(true);
    expect(ofKind(lines, "raw").map((r) => [r.dir, r.text])).toEqual([
      ["c2s", "not json from the client"],
      ["s2c", "line-server: could not parse your line"],
    ]);
  });

  it("lines that are not UTF-8 (a Latin-1 server) are forwarded as they are and taped with their bytes beside the decoded text", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = recordInProcess(tape, LINE_SERVER);
    await exchange(rec, ['{"jsonrpc":"2.0","id":1,"method":"latin1"}\n'], 2);
    rec.stdin.end();
    expect(await rec.done).toBe(0);
    expect(rec.out().includes(Buffer.from("naïve output\n", "latin1"))).toBe(true);
    const lines = await tapeLines(tape);
    const stderr = ofKind(lines, "stderr").find((l) => l.text.startsWith("line-server: caf"));
    expect(stderr?.text).toBe("line-server: caf\uFFFD");
    expect(Buffer.from(stderr?.bytes ?? "", "base64")).toEqual(Buffer.from("line-server: café", "latin1"));
    const raw = ofKind(lines, "raw").find((l) => l.dir === "s2c");
    expect(raw?.text).toBe("na\uFFFDve output");
    expect(Buffer.from(raw?.bytes ?? "", "base64")).toEqual(Buffer.from("naïve output", "latin1"));
  });

  it("a server crash mid-call ends the tape with server-exit and its exit code", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = recordInProcess(tape, LINE_SERVER);
    rec.stdin.write('{"jsonrpc":"2.0","id":1,"method":"crash"}\n');
    expect(await rec.done).toBe(3);
    const lines = await tapeLines(tape);
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "server-exit", exitCode: 3, messages: 1 });
    expect(ofKind(lines, "stderr").map((l) => l.text)).toEqual(["line-server: started", "line-server: crashing"]);
  });

  it("client EOF closes the server's stdin and ends the tape with closed", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const rec = recordInProcess(tape, LINE_SERVER);
    await exchange(rec, ['{"jsonrpc":"2.0","id":1,"method":"echo"}\n'], 1);
    rec.stdin.end();
    expect(await rec.done).toBe(0);
    const lines = await tapeLines(tape);
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "closed", exitCode: 0, messages: 2 });
    // No initialize was sent: the session line is still there, before the first message.
    expect(lines[1]).toMatchObject({ kind: "session" });
  });

  it("SIGTERM to the recorder reaches the server and ends the tape with signal", async () => {
    const dir = tempDir();
    const tape = join(dir, "t.jsonl");
    const child = spawn(process.execPath, [BIN, "record", "-o", tape, "--", ...LINE_SERVER], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
    const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
    const deadline = Date.now() + 15_000;
    while (!err.includes("line-server: started") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    child.kill("SIGTERM");
    expect(await exited).toBe(42);
    expect(err).toContain("line-server: got SIGTERM");
    const lines = await tapeLines(tape);
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "signal", exitCode: 42 });
    expect(ofKind(lines, "stderr").map((l) => l.text)).toContain("line-server: got SIGTERM");
  });

  it("SIGHUP (the terminal closed) reaches the server and still ends the tape, with reason signal", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const child = spawn(process.execPath, [BIN, "record", "-o", tape, "--", ...LINE_SERVER], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
    const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
    const deadline = Date.now() + 15_000;
    while (!err.includes("line-server: started") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    child.kill("SIGHUP");
    // The line server does not catch SIGHUP: it dies of it, 128 + 1.
    expect(await exited).toBe(129);
    const lines = await tapeLines(tape);
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "signal", exitCode: 129 });
  });

  it("a tape that cannot be written is an InputError before the server starts", async () => {
    const dir = tempDir();
    const marker = join(dir, "server-ran");
    const blocker = join(dir, "file");
    writeFileSync(blocker, "");
    const attempt = recordStdio({
      tape: join(blocker, "tape.jsonl"), // a path under a file: cannot be created
      command: [process.execPath, "-e", `require("fs").writeFileSync(${JSON.stringify(marker)}, "x")`],
      redact: { enabled: true },
      forwardSignals: false,
    });
    await expect(attempt).rejects.toBeInstanceOf(InputError);
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(marker)).toBe(false);
  });

  it("a server command that cannot start is an InputError and leaves no tape: nothing was recorded", async () => {
    const tape = join(tempDir(), "t.jsonl");
    const attempt = recordStdio({ tape, command: ["/no/such/server"], redact: { enabled: true }, forwardSignals: false });
    await expect(attempt).rejects.toThrow(/cannot start the server/);
    expect(existsSync(tape)).toBe(false);
  });
});
