/**
 * How much a diff (two policies deciding the same calls in one pass) costs against a single
 * replay of the same tape, measured in the same run, both as the commands drive them (batches). Goal: diff at most 1.3x the replay's time.
 * The tape (~50k tools/call requests with their answers, several sessions, rate-limited and
 * conditioned tools) is generated once into bench/.data/ and reused.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { diffReplayBatches } from "../src/diff/diff-replay.js";
import { loadPolicyText } from "../src/policy/load.js";
import type { Policy } from "../src/policy/model.js";
import { replayBatches } from "../src/replay/replay.js";
import { DEFAULT_REPLAY_OPTIONS } from "../src/replay/types.js";

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), ".data");
const CALLS = 50_000;
/** Bumped when the generated lines change, so an old file is not reused. */
const GENERATOR_VERSION = 1;
const ROUNDS = 10;
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

export async function run(): Promise<void> {
  const tape = ensureTape();
  const base = load(BASE, "base.yaml");
  const head = load(HEAD, "head.yaml");
  const source = { tapes: [tape] };
  const options = DEFAULT_REPLAY_OPTIONS;

  const single = async (): Promise<number> => {
    let n = 0;
    for await (const batch of replayBatches(base, source, options)) n += batch.length;
    return n;
  };
  const twoPolicies = async (): Promise<number> => {
    let n = 0;
    for await (const batch of diffReplayBatches({ base, head }, source, options)) for (const call of batch) if (call.change !== null) n++;
    return n;
  };

  // Once untimed each, so both find the file cached and the code warmed up.
  const calls = await single();
  const changed = await twoPolicies();
  const replayMs: number[] = [];
  const diffMs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate so drift on a shared machine hits both alike.
    replayMs.push(await timed(single));
    diffMs.push(await timed(twoPolicies));
  }
  if (VERBOSE) console.log(`  rounds, ms CPU: replay ${replayMs.map((x) => x.toFixed(0)).join(" ")}; diff ${diffMs.map((x) => x.toFixed(0)).join(" ")}`);
  const best = (xs: number[]) => Math.min(...xs);
  const rate = (ms: number) => Math.round(calls / (ms / 1000)).toLocaleString("en");
  console.log(`diff: ${tape}: ${calls.toLocaleString("en")} calls, ${changed.toLocaleString("en")} changed`);
  console.log(`  replay (one policy)   best of ${ROUNDS}: ${best(replayMs).toFixed(0)} ms CPU = ${rate(best(replayMs))} calls/s`);
  console.log(`  diff (two policies)   best of ${ROUNDS}: ${best(diffMs).toFixed(0)} ms CPU = ${rate(best(diffMs))} calls/s`);
  console.log(`  diff / replay: ${(best(diffMs) / best(replayMs)).toFixed(2)}x (goal <= 1.3x)`);
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
