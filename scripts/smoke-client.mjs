#!/usr/bin/env node
/**
 * The smallest real MCP client, for scripts/smoke-packed.sh: runs `mcptape record -o TAPE --
 * SERVER...`, speaks newline-delimited JSON-RPC to it over stdin (initialize, tools/list and two
 * tools/call), closes stdin once every answer came, and exits with the recorder's exit code.
 * Usage: node smoke-client.mjs MCPTAPE TAPE SERVER_COMMAND...
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const [mcptape, tape, ...server] = process.argv.slice(2);
if (!mcptape || !tape || server.length === 0) {
  process.stderr.write("usage: node smoke-client.mjs MCPTAPE TAPE SERVER_COMMAND...\n");
  process.exit(2);
}

const recorder = spawn(mcptape, ["record", "-o", tape, "--", ...server], { stdio: ["pipe", "pipe", "inherit"] });
const deadline = setTimeout(() => {
  process.stderr.write("smoke client: no answer within 20 s\n");
  recorder.kill("SIGKILL");
  process.exit(1);
}, 20_000);

const requests = [
  { method: "tools/list", params: {} },
  { method: "tools/call", params: { name: "echo", arguments: { message: "hello from the smoke test" } } },
  { method: "tools/call", params: { name: "get-sum", arguments: { a: 2, b: 3 } } },
];
const send = (message) => recorder.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
let answered = 0;

createInterface({ input: recorder.stdout }).on("line", (line) => {
  const message = JSON.parse(line);
  if (message.id === undefined) return; // a notification from the server
  if (message.error) process.stderr.write(`smoke client: request ${message.id} failed: ${JSON.stringify(message.error)}\n`);
  if (message.id === 0) {
    send({ method: "notifications/initialized" });
    requests.forEach((r, i) => send({ id: i + 1, ...r }));
  } else if (++answered === requests.length) {
    recorder.stdin.end();
  }
});

recorder.on("exit", (code, signal) => {
  clearTimeout(deadline);
  if (answered < requests.length) process.stderr.write(`smoke client: the recorder ended after ${answered} of ${requests.length} answers\n`);
  process.exit(answered < requests.length ? 1 : (code ?? (signal ? 1 : 0)));
});

send({ id: 0, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "mcptape-smoke", version: "1" } } });
