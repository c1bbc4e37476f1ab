/**
 * `--jobs 2` against `--jobs 1` on the same 8 tapes (one gateway run each), in wall time, as a
 * user runs it: the built CLI (`npm run build` first), `replay` (or `diff`) to /dev/null.
 * Alternating runs, medians. Goal (issue 19): at least 1.7x faster on an idle 2-core machine;
 * the load average is printed beside the ratio, since a shared machine is rarely idle.
 * Beside it, an estimate of what an idle machine would give, from each thread's CPU time
 * (Linux /proc, sampled every 20 ms): a run's wall time on 2 idle cores is about
 * max(its busiest thread, all its threads' CPU / 2); and where the CPU went: the main
 * thread, the worker threads (the --jobs busiest threads after it) and the rest (V8's
 * garbage collector and compiler threads, libuv's). And the ceiling: two processes, each
 * `--jobs 1` on half the tapes, run at once, share no thread, heap or message; on a machine
 * whose two cores slow each other down (memory, caches, a busy host), they are not 2x either.
 * MCPTAPE_BENCH_JOBS_MB sets each tape's size (default 16 MiB; 73 reuses the replay bench's
 * tape), MCPTAPE_BENCH_JOBS_COMMAND the command (replay, the default, or diff: the replay
 * bench's policy against one whose query limit is 80 instead of 90, which changes about 2% of
 * the calls), MCPTAPE_BENCH_JOBS_FORMAT the format (default json for replay, markdown for diff).
 */
import { spawn } from "node:child_process";
import { existsSync, linkSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH_POLICY } from "./replay.bench.js";
import { ensureTape } from "./tape-gen.js";
import { threadCpuMs } from "./proc-cpu.cjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "bin", "mcptape.js");
const TAPES = 8;
const ROUNDS = 5;
const GOAL = 1.7;

interface Timed {
  wallMs: number;
  /** CPU ms of each thread (main first), when /proc could be read. */
  threads: number[];
}

/** CPU ms of each of the process's threads, read from /proc (main thread first). */
function threadCpu(pid: number, into: Map<number, number>): void {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) into.set(Number(tid), threadCpuMs(pid, Number(tid)));
  } catch {
    // The process or a thread ended between listing and reading.
  }
}

/** Wall time on 2 idle cores, estimated from the threads' CPU. */
function idleWall(threads: number[]): number {
  const total = threads.reduce((a, b) => a + b, 0);
  return Math.max(Math.max(...threads), total / 2);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<void> {
  if (!existsSync(join(ROOT, "dist", "parallel", "worker.js"))) throw new Error("jobs bench: run npm run build first (it measures the built CLI)");
  const mb = Number(process.env.MCPTAPE_BENCH_JOBS_MB ?? 16);
  const command = process.env.MCPTAPE_BENCH_JOBS_COMMAND ?? "replay";
  if (command !== "replay" && command !== "diff") throw new Error("MCPTAPE_BENCH_JOBS_COMMAND: replay or diff");
  const format = process.env.MCPTAPE_BENCH_JOBS_FORMAT ?? (command === "diff" ? "markdown" : "json");
  const tape = ensureTape(mb);
  const dir = join(tmpdir(), `mcptape-bench-jobs-${process.pid}`);
  mkdirSync(join(dir, "tapes"), { recursive: true });
  try {
    for (let i = 0; i < TAPES; i++) linkSync(tape, join(dir, "tapes", `t${i}.jsonl`));
    writeFileSync(join(dir, "policy.yaml"), BENCH_POLICY);
    const head = BENCH_POLICY.replace("op: lt, value: 90", "op: lt, value: 80");
    if (head === BENCH_POLICY) throw new Error("jobs bench: the diff's head policy is the base policy");
    writeFileSync(join(dir, "head.yaml"), head);
    const policies = command === "diff" ? ["--base", join(dir, "policy.yaml"), "--head", join(dir, "head.yaml")] : ["-p", join(dir, "policy.yaml")];
    const tapes = Array.from({ length: TAPES }, (_, i) => join(dir, "tapes", `t${i}.jsonl`));
    /** One run of `given` with `--jobs N`, timed; its threads' CPU read from /proc as it runs. */
    const runOn = (given: string[], jobs: number): Promise<Timed> =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const child = spawn(process.execPath, [BIN, command, ...given, ...policies, "--format", format, "--jobs", String(jobs)], { stdio: ["ignore", "ignore", "pipe"] });
        const cpu = new Map<number, number>();
        const poll = setInterval(() => threadCpu(child.pid!, cpu), 20);
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("exit", (code) => {
          clearInterval(poll);
          const wallMs = performance.now() - started;
          if (code !== 0) return reject(new Error(`jobs bench: ${command} --jobs ${jobs} exited ${code}: ${stderr}`));
          const main = cpu.get(child.pid!) ?? 0;
          cpu.delete(child.pid!);
          resolve({ wallMs, threads: cpu.size > 0 || main > 0 ? [main, ...cpu.values()] : [] });
        });
      });
    const time = (jobs: number) => runOn(tapes, jobs);
    /**
     * The ceiling for `--jobs 2` on this machine: two processes that share nothing, each
     * `--jobs 1` on half the tapes, started at once; the wall time until both end.
     */
    const twoProcesses = async (): Promise<Timed> => {
      const started = performance.now();
      const both = await Promise.all([runOn(tapes.slice(0, TAPES / 2), 1), runOn(tapes.slice(TAPES / 2), 1)]);
      return { wallMs: performance.now() - started, threads: both.flatMap((r) => r.threads) };
    };
    await time(1); // warm the page cache
    const one: Timed[] = [];
    const two: Timed[] = [];
    const pair: Timed[] = [];
    const loadBefore = loadavg()[0]!;
    for (let round = 0; round < ROUNDS; round++) {
      one.push(await time(1));
      two.push(await time(2));
      pair.push(await twoProcesses());
    }
    const loadAfter = loadavg()[0]!;
    const wall = (runs: Timed[]) => median(runs.map((r) => r.wallMs));
    const ratio = wall(one) / wall(two);
    const ceiling = wall(one) / wall(pair);
    console.log(`${TAPES} tapes of ${mb} MiB, ${command} --format ${format}, medians of ${ROUNDS} alternating runs:`);
    console.log(`  --jobs 1: ${wall(one).toFixed(0)} ms wall`);
    console.log(`  --jobs 2: ${wall(two).toFixed(0)} ms wall`);
    console.log(`  speed-up ${ratio.toFixed(2)}x wall (goal >= ${GOAL}x on an idle 2-core machine) ${ratio >= GOAL ? "met" : "NOT met"}`);
    console.log(`  two processes at once, each --jobs 1 on half the tapes: ${wall(pair).toFixed(0)} ms wall, ${ceiling.toFixed(2)}x (what this machine gives two runs that share nothing: the ceiling for --jobs 2; --jobs 2 reaches ${((ratio / ceiling) * 100).toFixed(0)}% of it)`);
    console.log(`  machine: ${availableParallelism()} cores, 1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (a shared machine: other work competes for the cores)`);
    if ([one, two, pair].every((runs) => runs.every((r) => r.threads.length > 0))) {
      const cpu = (runs: Timed[]) => median(runs.map((r) => r.threads.reduce((a, b) => a + b, 0)));
      const busiest = (runs: Timed[]) => median(runs.map((r) => Math.max(...r.threads)));
      const estimate = median(one.map((r) => idleWall(r.threads))) / median(two.map((r) => idleWall(r.threads)));
      console.log(`  CPU, all threads: --jobs 1 ${cpu(one).toFixed(0)} ms, --jobs 2 ${cpu(two).toFixed(0)} ms (${(cpu(two) / cpu(one)).toFixed(2)}x: the cost of threads and of handing calls between them), the two processes ${cpu(pair).toFixed(0)} ms`);
      console.log(`  busiest thread: --jobs 1 ${busiest(one).toFixed(0)} ms, --jobs 2 ${busiest(two).toFixed(0)} ms`);
      const split = (runs: Timed[], workers: number) => {
        const parts = runs.map((r) => {
          const others = r.threads.slice(1).sort((a, b) => b - a);
          return { main: r.threads[0]!, workers: others.slice(0, workers).reduce((a, b) => a + b, 0), rest: others.slice(workers).reduce((a, b) => a + b, 0) };
        });
        const m = (key: keyof (typeof parts)[number]) => median(parts.map((p) => p[key])).toFixed(0);
        return `main ${m("main")} ms${workers > 0 ? `, workers ${m("workers")} ms` : ""}, GC/compiler/libuv threads ${m("rest")} ms`;
      };
      console.log(`  CPU by thread, --jobs 1: ${split(one, 0)}`);
      console.log(`  CPU by thread, --jobs 2: ${split(two, 2)}`);
      console.log(`  idle 2-core estimate from per-thread CPU: ${estimate.toFixed(2)}x (goal >= ${GOAL}x)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
