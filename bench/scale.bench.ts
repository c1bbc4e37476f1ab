/**
 * One core near the floor (issue 19): the CPU time of `mcptape replay` on a tape of about
 * 200k calls (`--format json -o /dev/null`, the built CLI as a child process) against two
 * plain Node loops that JSON.parse every line of the same file (bench/scale-floor.mjs): 64 KiB
 * chunks of a read stream decoded once and split (the floor), and readline; beside
 * them, without a goal, the first loop reading as replay reads (readSync into one buffer),
 * which is cheaper than the stream. Then start-up: `mcptape --help` and a one-policy
 * `validate`, as CPU time over `node -e 0`. Replay is measured with `-o /dev/null` as the issue
 * asks (as for a report file, nothing can be read cut short, so each tape is read once) and to
 * stdout (which can be: every tape is checked before any output, so read twice).
 *
 * Every process is timed by itself (bench/scale-usage.cjs reports its CPU time and peak RSS at
 * exit); the runs alternate and each figure is the median of its runs, so a busy moment on a
 * shared machine moves every column alike.
 *
 * MCPTAPE_BENCH_SCALE_CALLS (default 200000; 1000000 for the 1M-call variant, about 1.4 GiB
 * and several minutes) sizes the tape; MCPTAPE_BENCH_ROUNDS (default 5) the replay rounds,
 * MCPTAPE_BENCH_STARTUP_ROUNDS (default 31: a few ms are measured against a host whose speed moves by tens of percent) the start-up rounds.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH_POLICY } from "./replay.bench.js";
import { ensureTape } from "./tape-gen.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(HERE);
const BIN = join(ROOT, "bin", "mcptape.js");
const USAGE = join(HERE, "scale-usage.cjs");
const FLOOR = join(HERE, "scale-floor.mjs");
/** The generated tape holds about this many calls per MiB (200k calls in 290 MiB). */
const CALLS_PER_MB = 200_000 / 290;

interface Usage {
  cpuMs: number;
  /** The main thread's part of cpuMs (Linux only): the rest is V8's compiler and GC helper threads and libuv's reads. */
  mainCpuMs?: number;
  maxRss: number;
}

/** Medians of a case's runs (each its own median: main and other threads need not come from one run). */
interface Medians extends Usage {
  otherCpuMs?: number;
}

/** Runs `node -r scale-usage.cjs ...args` and returns its CPU time and peak RSS. */
function timed(work: string, args: string[], okCodes: number[] = [0]): Usage {
  const file = join(work, "usage.json");
  rmSync(file, { force: true });
  const r = spawnSync(process.execPath, ["-r", USAGE, ...args], {
    cwd: ROOT,
    env: { ...process.env, MCPTAPE_BENCH_USAGE: file, NO_COLOR: "1", CI: "true" },
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  if (r.status === null || !okCodes.includes(r.status)) throw new Error(`node ${args.join(" ")} exited ${r.status ?? r.signal}\n${r.stderr}`);
  return JSON.parse(readFileSync(file, "utf8")) as Usage;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs each of `cases` once per round, alternating; the median CPU time and the highest peak RSS of each. */
function alternate(work: string, rounds: number, cases: Record<string, { args: string[]; okCodes?: number[] }>): Record<string, Medians> {
  const runs: Record<string, Usage[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) {
    for (const [name, c] of Object.entries(cases)) runs[name]!.push(timed(work, c.args, c.okCodes));
  }
  return Object.fromEntries(Object.entries(runs).map(([k, us]) => {
    const cpuMs = median(us.map((u) => u.cpuMs));
    const maxRss = Math.max(...us.map((u) => u.maxRss));
    if (us.some((u) => u.mainCpuMs === undefined)) return [k, { cpuMs, maxRss }];
    return [k, { cpuMs, maxRss, mainCpuMs: median(us.map((u) => u.mainCpuMs!)), otherCpuMs: median(us.map((u) => u.cpuMs - u.mainCpuMs!)) }];
  }));
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
/** Where a run's CPU time went, when the platform tells: the main thread, and V8's and libuv's threads (compiling hot code, GC helpers, file reads). */
const threads = (m: Medians): string => (m.mainCpuMs === undefined || m.otherCpuMs === undefined ? "" : `  (main thread ${seconds(m.mainCpuMs)}, other threads ${seconds(m.otherCpuMs)})`);
const verdict = (ok: boolean): string => (ok ? "met" : "NOT MET");
/** The machine's 1-minute load average: on a shared machine, how far the figures can be trusted. */
const load = (): string => `load average ${loadavg()[0]!.toFixed(1)}`;

export async function run(): Promise<void> {
  const calls = Number(process.env.MCPTAPE_BENCH_SCALE_CALLS ?? 200_000);
  const rounds = Number(process.env.MCPTAPE_BENCH_ROUNDS ?? 5);
  const startupRounds = Number(process.env.MCPTAPE_BENCH_STARTUP_ROUNDS ?? 31);
  if (!(calls > 0 && rounds > 0 && startupRounds > 0)) throw new Error("MCPTAPE_BENCH_SCALE_CALLS, MCPTAPE_BENCH_ROUNDS and MCPTAPE_BENCH_STARTUP_ROUNDS must be positive");
  // The CLI runs dist/: build it so the figures are of the code as it is.
  const build = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);

  const tape = ensureTape(Math.max(1, Math.round(calls / CALLS_PER_MB)));
  const work = mkdtempSync(join(tmpdir(), "mcptape-bench-scale-"));
  try {
    const policy = join(work, "policy.yaml");
    writeFileSync(policy, BENCH_POLICY);
    timed(work, [FLOOR, "chunked", tape]); // warms the page cache
    console.log(`scale: ${tape} (${(statSync(tape).size / 2 ** 20).toFixed(0)} MiB), CPU time, medians of ${rounds} alternating runs; ${load()}`);
    const replayArgs = [BIN, "replay", tape, "-p", policy, "--format", "json"];
    const r = alternate(work, rounds, {
      chunked: { args: [FLOOR, "chunked", tape] },
      readline: { args: [FLOOR, "readline", tape] },
      sync: { args: [FLOOR, "sync", tape] },
      // Nothing written there can be read cut short: each tape is read once.
      replay: { args: [...replayArgs, "-o", "/dev/null"], okCodes: [0, 1] },
      // Stdout can be: every tape is checked before any output, so read twice.
      replayToStdout: { args: replayArgs, okCodes: [0, 1] },
    });
    const { chunked, readline, sync, replay, replayToStdout } = r as Record<"chunked" | "readline" | "sync" | "replay" | "replayToStdout", Medians>;
    console.log(`  chunked JSON.parse loop     ${seconds(chunked.cpuMs)}  peak RSS ${mb(chunked.maxRss)}${threads(chunked)}`);
    console.log(`  readline loop               ${seconds(readline.cpuMs)}  peak RSS ${mb(readline.maxRss)}${threads(readline)}`);
    // Not a goal of the issue: the chunked loop read as replay reads (readSync, one buffer), a stricter floor.
    console.log(`  readSync loop               ${seconds(sync.cpuMs)}  peak RSS ${mb(sync.maxRss)}${threads(sync)}`);
    for (const [name, m] of [["replay -o /dev/null", replay], ["replay > stdout", replayToStdout]] as const) {
      const toChunked = m.cpuMs / chunked.cpuMs;
      const toReadline = m.cpuMs / readline.cpuMs;
      const extraRss = m.maxRss - chunked.maxRss;
      console.log(`  mcptape ${name.padEnd(20)}${seconds(m.cpuMs)}  peak RSS ${mb(m.maxRss)}${threads(m)}`);
      console.log(`    / chunked loop:   ${toChunked.toFixed(2)}x  (goal <= 1.6x: ${verdict(toChunked <= 1.6)})`);
      console.log(`    / readline loop:  ${toReadline.toFixed(2)}x  (goal <= 1.1x: ${verdict(toReadline <= 1.1)})`);
      console.log(`    / readSync loop:  ${(m.cpuMs / sync.cpuMs).toFixed(2)}x  (no goal: the stricter floor)`);
      console.log(`    peak RSS over the chunked loop:  ${extraRss >= 0 ? "+" : ""}${mb(extraRss)}  (goal <= 100 MB: ${verdict(extraRss <= 100 * 2 ** 20)})`);
    }
    console.log(`  (${load()} at the end of the replay runs)`);

    const s = alternate(work, startupRounds, {
      node: { args: ["-e", "0"] },
      help: { args: [BIN, "--help"] },
      validate: { args: [BIN, "validate", policy] },
    });
    const help = s.help!.cpuMs - s.node!.cpuMs;
    const validate = s.validate!.cpuMs - s.node!.cpuMs;
    console.log(`start-up: CPU time over \`node -e 0\` (${s.node!.cpuMs.toFixed(0)} ms), medians of ${startupRounds} alternating runs`);
    console.log(`  mcptape --help           ${help.toFixed(0)} ms  (goal <= 10 ms: ${verdict(help <= 10)})`);
    console.log(`  mcptape validate (1)     ${validate.toFixed(0)} ms  (goal <= 60 ms: ${verdict(validate <= 60)})`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
