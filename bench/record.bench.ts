/**
 * What the stdio recorder costs a session, against a bare pipe proxy (bench/pipe-proxy.mjs: a
 * process in the middle that does nothing but pass bytes, the ceiling for any recorder) and a
 * direct connection, all in the same run. A client talks to an echo server (bench/echo-server.mjs,
 * which sends each line straight back) directly, through the pipe and through the built
 * command line `mcptape record` (dist/, rebuilt first; redaction on, as users run it), in
 * rounds that alternate the three; each figure is the median over the rounds.
 *  - latency: small round trips one after another; p50 and p99, and the p50 added over direct
 *    (goal: at most 0.1 ms).
 *  - throughput: 2 MiB and 64 KiB messages, each sent once the previous one came back, in MB/s
 *    of message; recorded as a share of the pipe (goal: at least 90%).
 *  - CPU: user + system time of the process in the middle (the recorder: both its threads) per
 *    MiB that went through it during the throughput runs, beside the pipe's.
 * MCPTAPE_BENCH_RECORD_ROUNDS, _TRIPS, _BIG (2 MiB messages a run) and _MID (64 KiB ones) set the counts.
 * The machine's load (uptime) is printed: on shared cores every figure moves with it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const ECHO = join(HERE, "echo-server.mjs");
const PIPE = join(HERE, "pipe-proxy.mjs");
const BIN = join(ROOT, "bin/mcptape.js");
const MiB = 2 ** 20;
/** Clock ticks a second, for /proc/PID/stat (100 on every Linux Node runs on). */
const TICKS = 100;

/** A client on a child's stdin/stdout that waits for one answer line per request line. */
class LineClient {
  private waiting: (() => void) | undefined;
  private lines = 0;

  constructor(readonly child: ChildProcess) {
    child.stdout!.on("data", (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.lines++;
      if (this.lines > 0 && this.waiting) {
        this.lines--;
        const w = this.waiting;
        this.waiting = undefined;
        w();
      }
    });
  }

  roundTrip(line: Buffer): Promise<void> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.child.stdin!.write(line);
    });
  }

  /** Closes stdin and waits for the exit; returns the CPU seconds the process used (last look before it exited). */
  async close(): Promise<number> {
    let cpu = cpuSeconds(this.child.pid!);
    const poll = setInterval(() => (cpu = cpuSeconds(this.child.pid!) ?? cpu), 5);
    await new Promise<void>((resolve) => {
      this.child.once("close", () => resolve());
      this.child.stdin!.end();
    });
    clearInterval(poll);
    return cpu ?? NaN;
  }
}

/** User + system CPU seconds of a live process and all its threads (Linux). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

type Target = "direct" | "pipe" | "recorded";
const TARGETS: Target[] = ["direct", "pipe", "recorded"];

function start(target: Target, tape: string): ChildProcess {
  const args = {
    direct: [ECHO],
    pipe: [PIPE, process.execPath, ECHO],
    recorded: [BIN, "record", "-o", tape, "--", process.execPath, ECHO],
  }[target];
  return spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
}

const request = (id: number, message: string): Buffer =>
  Buffer.from(JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "echo", arguments: { message } } }) + "\n");

/** Round-trip times in ms, sorted, after a warm-up. */
async function latencies(target: Target, tape: string, trips: number): Promise<number[]> {
  const client = new LineClient(start(target, tape));
  for (let i = 0; i < 300; i++) await client.roundTrip(request(i, "warm-up"));
  const times: number[] = [];
  for (let i = 0; i < trips; i++) {
    const line = request(1000 + i, "hello, recorder");
    const t0 = performance.now();
    await client.roundTrip(line);
    times.push(performance.now() - t0);
  }
  await client.close();
  return times.sort((a, b) => a - b);
}

interface Throughput {
  /** MB/s of message, one way. */
  mbps: number;
  /** CPU ms of the process in the middle per MiB through it (both ways); NaN for direct. */
  cpuMsPerMib: number;
}

/** `count` messages of `size` bytes, each sent once the previous one came back. */
async function throughput(target: Target, tape: string, size: number, count: number): Promise<Throughput> {
  const payload = "0123456789abcdef".repeat(Math.floor((size - 100) / 16));
  const client = new LineClient(start(target, tape));
  for (let i = 0; i < 3; i++) await client.roundTrip(request(i, payload));
  const lines = Array.from({ length: count }, (_, i) => request(100 + i, payload));
  const cpu0 = cpuSeconds(client.child.pid!) ?? NaN;
  const t0 = performance.now();
  for (const line of lines) await client.roundTrip(line);
  const seconds = (performance.now() - t0) / 1000;
  // The tape may still be behind: its CPU counts until the recorder has written the end line.
  const cpu1 = await client.close();
  const mib = lines.reduce((n, l) => n + l.length, 0) / MiB;
  return { mbps: mib / seconds, cpuMsPerMib: target === "direct" ? NaN : ((cpu1 - cpu0) * 1000) / (2 * mib) };
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number): string => `${x.toFixed(3)} ms`;
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(", ");

export async function run(): Promise<void> {
  const rounds = Number(process.env.MCPTAPE_BENCH_RECORD_ROUNDS ?? 5);
  const trips = Number(process.env.MCPTAPE_BENCH_RECORD_TRIPS ?? 2000);
  const big = Number(process.env.MCPTAPE_BENCH_RECORD_BIG ?? 20);
  const mid = Number(process.env.MCPTAPE_BENCH_RECORD_MID ?? 300);
  const built = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}`);

  const dir = mkdtempSync(join(tmpdir(), "mcptape-bench-record-"));
  const tape = join(dir, "bench.jsonl");
  const loadBefore = load();
  const p50: Record<Target, number[]> = { direct: [], pipe: [], recorded: [] };
  const p99: Record<Target, number[]> = { direct: [], pipe: [], recorded: [] };
  const runs = { big: new Map<Target, Throughput[]>(), mid: new Map<Target, Throughput[]>() };
  try {
    for (let round = 0; round < rounds; round++) {
      // Each round in another order, so a target never always runs right after the same one.
      const order = TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length]!);
      for (const target of order) {
        const times = await latencies(target, tape, trips);
        p50[target].push(pct(times, 50));
        p99[target].push(pct(times, 99));
      }
      for (const target of order) {
        for (const [kind, size, count] of [["big", 2 * MiB, big], ["mid", 64 * 1024, mid]] as const) {
          const list = runs[kind].get(target) ?? [];
          list.push(await throughput(target, tape, size, count));
          runs[kind].set(target, list);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const m50 = (t: Target): number => median(p50[t]);
  const m99 = (t: Target): number => median(p99[t]);
  console.log(`record (stdio, built CLI, redaction on): echo server; ${rounds} rounds, medians; load average ${loadBefore} before, ${load()} after (${availableParallelism()} cores)`);
  console.log(`  latency, ${trips} small round trips:`);
  for (const t of TARGETS) console.log(`    ${t.padEnd(9)} p50 ${ms(m50(t))}  p99 ${ms(m99(t))}`);
  console.log(`    added p50 over direct: recorded ${ms(m50("recorded") - m50("direct"))} (goal <= 0.100 ms), pipe ${ms(m50("pipe") - m50("direct"))}; added p99: recorded ${ms(m99("recorded") - m99("direct"))}, pipe ${ms(m99("pipe") - m99("direct"))}`);
  for (const [kind, label] of [["big", `${big} x 2 MiB`], ["mid", `${mid} x 64 KiB`]] as const) {
    const mbps = (t: Target): number => median(runs[kind].get(t)!.map((r) => r.mbps));
    const cpu = (t: Target): number => median(runs[kind].get(t)!.map((r) => r.cpuMsPerMib));
    console.log(`  throughput, ${label} messages: direct ${mbps("direct").toFixed(0)} MB/s, pipe ${mbps("pipe").toFixed(0)} MB/s, recorded ${mbps("recorded").toFixed(0)} MB/s`);
    console.log(`    recorded / pipe: ${((100 * mbps("recorded")) / mbps("pipe")).toFixed(0)}% (goal >= 90%); recorded / direct ${((100 * mbps("recorded")) / mbps("direct")).toFixed(0)}%, pipe / direct ${((100 * mbps("pipe")) / mbps("direct")).toFixed(0)}%`);
    console.log(`    CPU per MiB through the middle: recorded ${cpu("recorded").toFixed(2)} ms, pipe ${cpu("pipe").toFixed(2)} ms`);
  }
}
