/**
 * The benchmarks' tape: realistic tools/call requests and answers (about 730 bytes a line),
 * the same every time (seeded), generated once into bench/.data/ (gitignored) and reused.
 * Shape "calls" writes each call and its answer as one `call` line instead (one line, one decision).
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serializeLine } from "../src/tape/serialize.js";

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), ".data");
/** Bumped when the generated lines change, so an old file is not reused. */
const GENERATOR_VERSION = 2;

/** A small fast PRNG (mulberry32) so the tape is the same every time. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = "the a file read write list search issue repo branch commit user order payment refund query table row index cache token limit".split(" ");
const TOOLS = ["read_file", "write_file", "search_issues", "create_refund", "query_db", "list_directory", "send_email"];

export type TapeShape = "messages" | "calls";

export function tapeLines(targetBytes: number, emit: (line: string) => void, shape: TapeShape = "messages"): void {
  const rnd = prng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  let bytes = 0;
  const put = (line: object): void => {
    const json = serializeLine(line as never);
    bytes += Buffer.byteLength(json) + 1;
    emit(json);
  };
  let ms = Date.UTC(2026, 10, 21, 23, 0, 0);
  put({ kind: "header", tape: 1, id: "bench", t: new Date(ms).toISOString(), recorder: { name: "mcptape-bench", version: "1" }, transport: "stdio", upstream: { command: ["node", "server.js"] } });
  put({ kind: "session", session: "s1", t: new Date(ms).toISOString(), identity: "bench", client: { name: "bench", version: "1" }, protocolVersion: "2025-06-18" });
  let seq = 0;
  let id = 0;
  while (bytes < targetBytes) {
    id++;
    ms += Math.floor(rnd() * 500);
    const tool = pick(TOOLS);
    const args = { path: `/srv/data/${words(2).replace(/ /g, "/")}.txt`, query: words(3 + Math.floor(rnd() * 20)), limit: Math.floor(rnd() * 100), amount: Math.round(rnd() * 100000) / 100 };
    const t = new Date(ms).toISOString();
    const latency = Math.floor(rnd() * 300);
    const isError = rnd() < 0.1;
    ms += latency;
    if (shape === "calls") {
      put({ kind: "call", seq: ++seq, t, session: "s1", tool, args, outcome: isError ? "isError" : "ok", latencyMs: latency });
      continue;
    }
    put({ kind: "msg", seq: ++seq, t, session: "s1", dir: "c2s", msg: { jsonrpc: "2.0", id, method: "tools/call", params: { name: tool, arguments: args, _meta: { progressToken: id } } } });
    put({
      kind: "msg", seq: ++seq, t: new Date(ms).toISOString(), session: "s1", dir: "s2c",
      msg: { jsonrpc: "2.0", id, result: { content: [{ type: "text", text: words(20 + Math.floor(rnd() * 280)) }], isError } },
    });
  }
  put({ kind: "end", t: new Date(ms).toISOString(), messages: seq, reason: "closed", exitCode: 0 });
}

/** The bench tape of about `mb` MiB, generated unless a complete one is already there. */
export function ensureTape(mb: number, shape: TapeShape = "messages"): string {
  const file = join(DATA_DIR, `tape-v${GENERATOR_VERSION}-${shape === "calls" ? "calls-" : ""}${mb}mb.jsonl`);
  if (existsSync(file)) return file;
  mkdirSync(DATA_DIR, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  const started = performance.now();
  let block: string[] = [];
  let blockChars = 0;
  const flush = (): void => {
    writeSync(fd, block.join(""));
    block = [];
    blockChars = 0;
  };
  tapeLines(mb * 2 ** 20, (line) => {
    block.push(line, "\n");
    blockChars += line.length + 1;
    if (blockChars > 4 * 2 ** 20) flush();
  }, shape);
  flush();
  closeSync(fd);
  // Renamed only when complete, so an interrupted run is never reused.
  renameSync(tmp, file);
  console.log(`generated ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

