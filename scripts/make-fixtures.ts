/**
 * `npm run fixtures`: records fixtures/tapes/*.jsonl from real MCP servers, through the stdio
 * recorder, with the SDK client. The calls are the same every run; only times, the tape id
 * (and so the session name) and the random redaction placeholders differ.
 *
 * The servers get a small fixed environment (not ours), so the tapes hold no machine details
 * beyond a temp path, and get-env shows a fake API key being redacted.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";

const ROOT = resolve(import.meta.dirname, "..");
const TAPES = join(ROOT, "fixtures/tapes");
const FAKE_API_KEY = "sk-live-DEMO0000000000000000000000000000";

/** The recorder: the built command line (`npm run fixtures` builds it first). */
const RECORDER = ["bin/mcptape.js", "record"];

/** What the servers see as their environment: small, fixed, and with one fake secret. */
const SERVER_ENV: Record<string, string> = {
  PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
  HOME: "/home/demo",
  LOGNAME: "demo",
  USER: "demo",
  SHELL: "/bin/sh",
  TERM: "dumb",
  LANG: "C.UTF-8",
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function session(tape: string, server: string[], env: Record<string, string>, identity: string): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...RECORDER, "-o", tape, "--overwrite", "--identity", identity, "--", "node", ...server],
    env,
    cwd: ROOT,
    stderr: "pipe",
  });
  const client = new Client({ name: "mcptape-fixtures", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

/** Calls a tool and keeps going when it fails: failures are what some fixtures are for. */
async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<void> {
  try {
    await client.callTool({ name, arguments: args });
  } catch {
    // Recorded on the tape as the JSON-RPC error it was.
  }
}

async function recordEverything(): Promise<string> {
  const tape = join(TAPES, "everything.jsonl");
  const client = await session(
    tape,
    ["node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio"],
    { ...SERVER_ENV, DEMO_API_KEY: FAKE_API_KEY },
    "demo-agent",
  );
  await client.listTools();
  // A burst: eight echo calls in about a second, for rate-limit rules.
  for (let i = 1; i <= 8; i++) {
    await call(client, "echo", { message: `hello ${i}` });
    await sleep(120);
  }
  await call(client, "get-sum", { a: 2, b: 3 });
  await call(client, "get-sum", { a: 5000, b: 1 });
  await call(client, "get-env");
  await client.callTool(
    { name: "trigger-long-running-operation", arguments: { duration: 1, steps: 3 } },
    undefined,
    { onprogress: () => undefined },
  );
  // An unknown tool: this SDK's servers answer with an isError result, not a JSON-RPC error.
  await call(client, "delete-everything", { confirm: true });
  // A malformed call (arguments not an object): answered with a JSON-RPC error (-32603).
  await client
    .request({ method: "tools/call", params: { name: "echo", arguments: "not an object" } } as never, CallToolResultSchema)
    .catch(() => undefined);
  await call(client, "get-tiny-image");
  await client.close();
  return tape;
}

async function recordFilesystem(): Promise<string> {
  const tape = join(TAPES, "filesystem.jsonl");
  // A fixed path, so the tape is the same on every Linux machine.
  const root = join(tmpdir(), "mcptape-fixtures", "files");
  rmSync(dirname(root), { recursive: true, force: true });
  mkdirSync(join(root, "notes"), { recursive: true });
  writeFileSync(join(root, "README.md"), "# Demo project\n\nFiles for the mcptape filesystem fixture.\n");
  writeFileSync(join(root, "notes", "todo.txt"), "- record a tape\n- replay it through a policy\n");
  writeFileSync(join(root, "notes", "ideas.md"), "Rate-limit writes to 5 per minute.\n");

  const client = await session(
    tape,
    ["node_modules/@modelcontextprotocol/server-filesystem/dist/index.js", root],
    SERVER_ENV,
    "demo-agent",
  );
  await client.listTools();
  await call(client, "list_allowed_directories");
  await call(client, "list_directory", { path: root });
  await call(client, "read_text_file", { path: join(root, "README.md") });
  await call(client, "write_file", { path: join(root, "notes", "done.txt"), content: "- recorded a tape\n" });
  // A parent path out of the allowed directory (not normalised away): the server refuses it.
  await call(client, "write_file", { path: `${root}/../escape.txt`, content: "should not be written\n" });
  await call(client, "search_files", { path: root, pattern: "**/*.md" });
  await call(client, "get_file_info", { path: join(root, "notes", "todo.txt") });
  await client.close();
  rmSync(dirname(root), { recursive: true, force: true });
  return tape;
}

mkdirSync(TAPES, { recursive: true });
for (const record of [recordEverything, recordFilesystem]) {
  const tape = await record();
  const size = statSync(tape).size;
  process.stderr.write(`wrote ${tape} (${(size / 1024).toFixed(1)} KB)\n`);
  if (size > 200 * 1024) throw new Error(`${tape} is over 200 KB: record fewer or smaller calls`);
}
