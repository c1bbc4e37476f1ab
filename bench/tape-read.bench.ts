/**
 * How fast and how flat the tape reader is, against a bare "split lines + JSON.parse" loop
 * over the same file measured in the same run.
 *
 * Goals: readTape at least 0.5x the bare loop's lines/s, and peak RSS under 150 MB on a 1 GB
 * tape. Each measurement runs in its own child process so its peak RSS (maxRSS) is its own.
 * The tape size comes from MCPTAPE_BENCH_TAPE_MB (default 1024); the generated tape is kept
 * in bench/.data/ and reused. MCPTAPE_BENCH_ROUNDS (default 2) runs of each, best kept.
 */
import { fork } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, openSync, closeSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readTape } from "../src/tape/reader.js";
import { serializeLine } from "../src/tape/serialize.js";

const HERE = fileURLToPath(import.meta.url);
const DATA_DIR = join(dirname(HERE), ".data");
const CHILD_ENV = "MCPTAPE_BENCH_TAPE_CHILD";
/** Bumped when the generated lines change, so an old file is not reused. */
const GENERATOR_VERSION = 1;

type Mode = "bare" | "reader";
interface Measurement {
  lines: number;
  ms: number;
  /** Peak resident set of the whole child process, bytes. */
  maxRss: number;
  /** RSS before reading began (node + tsx + code), bytes. */
  startRss: number;
}

export async function run(): Promise<void> {
  const mb = Number(process.env.MCPTAPE_BENCH_TAPE_MB ?? 1024);
  if (!(mb > 0)) throw new Error(`MCPTAPE_BENCH_TAPE_MB must be a positive number, got ${process.env.MCPTAPE_BENCH_TAPE_MB}`);
  const file = ensureTape(mb);
  console.log(`tape-read: ${file} (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)`);
  // Once untimed so every run finds the file in the page cache. Then the two alternate and
  // each keeps its best run: the machine is shared, and a busy moment should not decide.
  await measureIn("bare", file);
  const rounds = Number(process.env.MCPTAPE_BENCH_ROUNDS ?? 2);
  let bare: Measurement | undefined;
  let reader: Measurement | undefined;
  for (let i = 0; i < rounds; i++) {
    bare = best(bare, await measureIn("bare", file));
    reader = best(reader, await measureIn("reader", file));
  }
  if (!bare || !reader) throw new Error("MCPTAPE_BENCH_ROUNDS must be at least 1");
  const rate = (m: Measurement): number => m.lines / (m.ms / 1000);
  const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;
  for (const [name, m] of [["bare JSON.parse loop", bare], ["readTape", reader]] as const) {
    console.log(
      `  ${name.padEnd(22)} ${m.lines} lines in ${(m.ms / 1000).toFixed(2)} s = ${Math.round(rate(m)).toLocaleString("en")} lines/s, ` +
      `peak RSS ${mib(m.maxRss)} (at start ${mib(m.startRss)})`,
    );
  }
  const ratio = rate(reader) / rate(bare);
  console.log(`  readTape / bare: ${ratio.toFixed(2)}x (goal >= 0.5x); readTape peak RSS ${mib(reader.maxRss)} (goal < 150 MB)`);
  if (reader.lines !== bare.lines) console.log(`  WARNING: line counts differ: ${reader.lines} vs ${bare.lines}`);
}

/** The faster run, with the higher peak RSS of the two (memory is judged at its worst). */
function best(a: Measurement | undefined, b: Measurement): Measurement {
  if (!a) return b;
  const fast = a.ms <= b.ms ? a : b;
  return { ...fast, maxRss: Math.max(a.maxRss, b.maxRss) };
}

function measureIn(mode: Mode, file: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(HERE, [file], {
      env: { ...process.env, [CHILD_ENV]: mode },
      execArgv: ["--import", "tsx"],
    });
    let result: Measurement | undefined;
    child.on("message", (m) => (result = m as Measurement));
    child.on("error", reject);
    child.on("exit", (code) => (result && code === 0 ? resolve(result) : reject(new Error(`${mode} child exited ${code}`))));
  });
}

async function measureHere(mode: Mode, file: string): Promise<Measurement> {
  const startRss = process.memoryUsage().rss;
  const started = performance.now();
  const lines = mode === "bare" ? await bareLoop(file) : await readerLoop(file);
  const ms = performance.now() - started;
  return { lines, ms, startRss, maxRss: process.resourceUsage().maxRSS * 1024 };
}

/** The baseline: same chunk size and line splitting as the reader, no checks at all. */
async function bareLoop(file: string): Promise<number> {
  let lines = 0;
  let rest: Buffer = Buffer.alloc(0);
  for await (const c of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    const chunk: Buffer = rest.length ? Buffer.concat([rest, c as Buffer]) : (c as Buffer);
    const last = chunk.lastIndexOf(10);
    if (last === -1) {
      rest = chunk;
      continue;
    }
    const text = chunk.toString("utf8", 0, last);
    let s = 0;
    for (;;) {
      const n = text.indexOf("\n", s);
      const v = JSON.parse(n === -1 ? text.slice(s) : text.slice(s, n)) as { kind: string };
      if (v.kind) lines++;
      if (n === -1) break;
      s = n + 1;
    }
    rest = chunk.subarray(last + 1);
  }
  return lines;
}

async function readerLoop(file: string): Promise<number> {
  let lines = 0;
  for await (const { line } of readTape(file)) if (line.kind) lines++;
  return lines;
}

// ---- generating the tape ----

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

function tapeLines(targetBytes: number, emit: (line: string) => void): void {
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
    put({
      kind: "msg", seq: ++seq, t: new Date(ms).toISOString(), session: "s1", dir: "c2s",
      msg: { jsonrpc: "2.0", id, method: "tools/call", params: { name: tool, arguments: { path: `/srv/data/${words(2).replace(/ /g, "/")}.txt`, query: words(3 + Math.floor(rnd() * 20)), limit: Math.floor(rnd() * 100), amount: Math.round(rnd() * 100000) / 100 }, _meta: { progressToken: id } } },
    });
    ms += Math.floor(rnd() * 300);
    const isError = rnd() < 0.1;
    put({
      kind: "msg", seq: ++seq, t: new Date(ms).toISOString(), session: "s1", dir: "s2c",
      msg: { jsonrpc: "2.0", id, result: { content: [{ type: "text", text: words(20 + Math.floor(rnd() * 280)) }], isError } },
    });
  }
  put({ kind: "end", t: new Date(ms).toISOString(), messages: seq, reason: "closed", exitCode: 0 });
}

/** The bench tape of about `mb` MiB, generated unless a complete one is already there. */
function ensureTape(mb: number): string {
  const file = join(DATA_DIR, `tape-v${GENERATOR_VERSION}-${mb}mb.jsonl`);
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
  });
  flush();
  closeSync(fd);
  // Renamed only when complete, so an interrupted run is never reused.
  renameSync(tmp, file);
  console.log(`tape-read: generated ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

const childMode = process.env[CHILD_ENV] as Mode | undefined;
if (childMode && process.argv[1] === HERE) {
  const file = process.argv[2] as string;
  measureHere(childMode, file).then(
    (m) => process.send?.(m, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
