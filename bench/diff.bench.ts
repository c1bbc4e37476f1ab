/**
 * How much a diff (two policies deciding the same calls in one pass) costs against a single
 * replay of the same tape, measured in the same run, both as the commands drive them (batches). Goal: diff at most 1.3x the replay's time.
 * The tape (~50k tools/call requests with their answers, several sessions, rate-limited and
 * conditioned tools) is generated once into bench/.data/ and reused.
 */
import { fork } from "node:child_process";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { diffReplayBatches } from "../src/diff/diff-replay.js";
import { loadPolicyText } from "../src/policy/load.js";
import type { Policy } from "../src/policy/model.js";
import { replayBatches } from "../src/replay/replay.js";
import { DEFAULT_REPLAY_OPTIONS } from "../src/replay/types.js";
import { gatewaysOf } from "../test/gateways.js";

const HERE = fileURLToPath(import.meta.url);
const DATA_DIR = join(dirname(HERE), ".data");
const CALLS = 50_000;
/** Bumped when the generated lines change, so an old file is not reused. */
const GENERATOR_VERSION = 1;
const ROUNDS = 4;
const PROCESSES = 3;
const CHILD_ENV = "MCPTAPE_BENCH_DIFF_CHILD";
const VERBOSE = process.env.MCPTAPE_BENCH_VERBOSE === "1";

const BASE = `version: "1"
tools:
  search:
    rules:
      - name: searches
        rate_limit: 30/minute
  write:
    rules:
      - name: no-parent-paths
        conditions:
          - path: args.path
            op: regex
            value: "^([^.]|\\\\.[^.])*$"
  pay:
    rules:
      - name: small-payments
        conditions:
          - path: args.amount
            op: lte
            value: 500
  "*":
    rules:
      - name: global
        rate_limit: 400/minute
`;

/** BASE tightened: a lower search limit, a payment budget, deletes denied. */
const HEAD = BASE.replace("rate_limit: 30/minute", "rate_limit: 20/minute").replace(
  `  pay:
    rules:`,
  `  delete:
    rules:
      - name: no-deletes
        action: deny
  pay:
    rules:
      - name: budget
        conditions:
          - path: state.pay.spent
            op: lte
            value: 2000
        state:
          counter: spent
          window: hour
          increment_from: args.amount`,
);

type Mode = "replay" | "diff";
interface Measurement {
  calls: number;
  changed: number;
  /** CPU ms of each timed round. */
  rounds: number[];
}

export async function run(): Promise<void> {
  const tape = ensureTape();
  // Each side runs in its own processes, alternating, so neither inherits the other's JIT
  // state or garbage; the best round of each side is compared.
  const replays: Measurement[] = [];
  const diffs: Measurement[] = [];
  for (let i = 0; i < PROCESSES; i++) {
    replays.push(await measureIn("replay", tape));
    diffs.push(await measureIn("diff", tape));
  }
  const best = (ms: Measurement[]) => Math.min(...ms.flatMap((m) => m.rounds));
  const calls = replays[0]!.calls;
  const rate = (ms: number) => Math.round(calls / (ms / 1000)).toLocaleString("en");
  if (VERBOSE) {
    for (const [name, ms] of [["replay", replays], ["diff", diffs]] as const) {
      console.log(`  ${name} rounds, ms CPU: ${ms.map((m) => m.rounds.map((x) => x.toFixed(0)).join(" ")).join(" | ")}`);
    }
  }
  const rounds = `best of ${PROCESSES}x${ROUNDS}`;
  console.log(`diff: ${tape}: ${calls.toLocaleString("en")} calls, ${diffs[0]!.changed.toLocaleString("en")} changed`);
  console.log(`  replay (one policy)   ${rounds}: ${best(replays).toFixed(0)} ms CPU = ${rate(best(replays))} calls/s`);
  console.log(`  diff (two policies)   ${rounds}: ${best(diffs).toFixed(0)} ms CPU = ${rate(best(diffs))} calls/s`);
  console.log(`  diff / replay: ${(best(diffs) / best(replays)).toFixed(2)}x (goal <= 1.3x)`);
  if (diffs[0]!.calls !== calls) console.log(`  WARNING: call counts differ: ${calls} vs ${diffs[0]!.calls}`);
}

function measureIn(mode: Mode, tape: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(HERE, [tape], { env: { ...process.env, [CHILD_ENV]: mode }, execArgv: ["--import", "tsx"] });
    let result: Measurement | undefined;
    child.on("message", (m) => (result = m as Measurement));
    child.on("error", reject);
    child.on("exit", (code) => (result && code === 0 ? resolve(result) : reject(new Error(`${mode} child exited ${code}`))));
  });
}

async function measureHere(mode: Mode, tape: string): Promise<Measurement> {
  const base = load(BASE, "base.yaml");
  const head = load(HEAD, "head.yaml");
  const source = { tapes: [tape] };
  const options = DEFAULT_REPLAY_OPTIONS;
  let calls = 0;
  let changed = 0;
  const once = async (): Promise<void> => {
    calls = 0;
    changed = 0;
    if (mode === "replay") {
      for await (const batch of replayBatches(gatewaysOf(base), source, options)) calls += batch.length;
    } else {
      for await (const batch of diffReplayBatches({ base: gatewaysOf(base), head: gatewaysOf(head) }, source, options)) {
        calls += batch.length;
        for (const call of batch) if (call.change !== null) changed++;
      }
    }
  };
  await once(); // untimed: the file in the page cache, the code warmed up
  const rounds: number[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await timed(once));
  return { calls, changed, rounds };
}

if (process.env[CHILD_ENV]) {
  const mode = process.env[CHILD_ENV] as Mode;
  const result = await measureHere(mode, process.argv[2]!);
  process.send!(result);
}

/**
 * CPU time (user + system) of one run, ms: on a machine shared with other work, wall time
 * swings by half from run to run while the CPU time a run needs stays put.
 */
async function timed(f: () => Promise<unknown>): Promise<number> {
  const started = process.cpuUsage();
  await f();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

function load(text: string, file: string): Policy {
  const { policy, diagnostics } = loadPolicyText(text, file);
  if (!policy) throw new Error(`bench policy ${file} does not load: ${diagnostics.map((d) => d.message).join("; ")}`);
  return policy;
}

/** A stdio-style tape: each call a c2s request and an s2c answer 20-200 ms later. */
function ensureTape(): string {
  const file = join(DATA_DIR, `diff-${CALLS}-v${GENERATOR_VERSION}.jsonl`);
  if (existsSync(file)) return file;
  mkdirSync(DATA_DIR, { recursive: true });
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const t0 = Date.parse("2026-01-01T09:00:00.000Z");
  const iso = (ms: number) => new Date(ms).toISOString();
  const lines: string[] = [
    JSON.stringify({ kind: "header", tape: 1, id: "bench-diff", t: iso(t0), recorder: { name: "bench", version: "0" }, transport: "hand" }),
  ];
  const sessions = ["alpha", "beta", "gamma", "delta"];
  for (const s of sessions) lines.push(JSON.stringify({ kind: "session", session: s, t: iso(t0), identity: `agent-${s}` }));
  const tools = ["search", "search", "read", "write", "pay", "delete"];
  let seq = 0;
  let t = t0;
  for (let i = 0; i < CALLS; i++) {
    t += Math.floor(random() * 400);
    const session = sessions[i % sessions.length]!;
    const tool = tools[Math.floor(random() * tools.length)]!;
    const args =
      tool === "write" ? { path: random() < 0.05 ? "../etc/passwd" : `/work/file-${i}.txt`, content: "x".repeat(40) }
      : tool === "pay" ? { amount: Math.floor(random() * 800), currency: "EUR" }
      : { query: `q${i}`, limit: 10 };
    const id = i + 1;
    lines.push(JSON.stringify({ kind: "msg", seq: ++seq, t: iso(t), session, dir: "c2s", msg: { jsonrpc: "2.0", id, method: "tools/call", params: { name: tool, arguments: args } } }));
    const answer = random() < 0.03 ? { jsonrpc: "2.0", id, error: { code: -32000, message: "upstream failed" } } : { jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "ok" }] } };
    lines.push(JSON.stringify({ kind: "msg", seq: ++seq, t: iso(t + 20 + Math.floor(random() * 180)), session, dir: "s2c", msg: answer }));
  }
  // Answers may come after the next request: keep the file in time order as a recorder would.
  const header = lines.slice(0, 1 + sessions.length);
  const body = lines.slice(1 + sessions.length).map((l) => ({ l, t: Date.parse((JSON.parse(l) as { t: string }).t) }));
  body.sort((a, b) => a.t - b.t);
  let n = 0;
  const ordered = body.map(({ l }) => {
    const o = JSON.parse(l) as { seq: number };
    o.seq = ++n;
    return JSON.stringify(o);
  });
  ordered.push(JSON.stringify({ kind: "end", t: iso(t + 1000), messages: n, reason: "closed" }));
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, [...header, ...ordered].join("\n") + "\n");
  renameSync(tmp, file);
  return file;
}
