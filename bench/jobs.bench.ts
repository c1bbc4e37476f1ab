/**
 * `--jobs 2` against `--jobs 1` on the same 8 tapes (one gateway run each), in wall time, as a
 * user runs it: the built CLI (`npm run build` first), text to a pipe that drops it.
 * Alternating runs, medians. Goal (issue 19): at least 1.7x faster on an idle 2-core machine;
 * the load average is printed beside the ratio, since a shared machine is rarely idle.
 * MCPTAPE_BENCH_JOBS_MB sets each tape's size (default 4 MiB).
 */
import { spawnSync } from "node:child_process";
import { existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureTape } from "./tape-gen.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "bin", "mcptape.js");
const TAPES = 8;
const ROUNDS = 5;
const GOAL = 1.7;

const POLICY = `version: "1"
tools:
  search_issues:
    rules:
      - name: searches
        rate_limit: 30/minute
  create_refund:
    rules:
      - name: small-refunds
        conditions:
          - path: args.amount
            op: lte
            value: 500
  "*":
    rules:
      - name: global
        rate_limit: 400/minute
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<void> {
  if (!existsSync(join(ROOT, "dist", "parallel", "worker.js"))) throw new Error("jobs bench: run npm run build first (it measures the built CLI)");
  const mb = Number(process.env.MCPTAPE_BENCH_JOBS_MB ?? 4);
  const tape = ensureTape(mb);
  const dir = join(tmpdir(), `mcptape-bench-jobs-${process.pid}`);
  mkdirSync(join(dir, "tapes"), { recursive: true });
  try {
    for (let i = 0; i < TAPES; i++) linkSync(tape, join(dir, "tapes", `t${i}.jsonl`));
    writeFileSync(join(dir, "policy.yaml"), POLICY);
    const time = (jobs: number): number => {
      const started = performance.now();
      const r = spawnSync(process.execPath, [BIN, "replay", join(dir, "tapes"), "-p", join(dir, "policy.yaml"), "--format", "json", "--jobs", String(jobs)], { stdio: ["ignore", "ignore", "pipe"] });
      const ms = performance.now() - started;
      if (r.status !== 0) throw new Error(`jobs bench: replay --jobs ${jobs} exited ${r.status}: ${r.stderr.toString()}`);
      return ms;
    };
    time(1); // warm the page cache
    const one: number[] = [];
    const two: number[] = [];
    const loadBefore = loadavg()[0]!;
    for (let round = 0; round < ROUNDS; round++) {
      one.push(time(1));
      two.push(time(2));
    }
    const loadAfter = loadavg()[0]!;
    const ratio = median(one) / median(two);
    console.log(`${TAPES} tapes of ${mb} MiB, replay --format json, medians of ${ROUNDS} alternating runs:`);
    console.log(`  --jobs 1: ${median(one).toFixed(0)} ms wall`);
    console.log(`  --jobs 2: ${median(two).toFixed(0)} ms wall`);
    console.log(`  speed-up ${ratio.toFixed(2)}x (goal >= ${GOAL}x on an idle 2-core machine) ${ratio >= GOAL ? "met" : "NOT met"}`);
    console.log(`  machine: ${availableParallelism()} cores, 1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (a shared machine: other work competes for the cores)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
