/**
 * Warm-up: the same replay run again and again in one process (the built CLI's `main`,
 * `--format json -o /dev/null` on the 73 MiB generated tape), each pass's CPU time (all threads:
 * V8 compiles and collects on its own) beside the chunked JSON.parse loop's passes over the same
 * tape in a process of its own. A CLI run pays the first pass only; how far the later passes
 * fall says how much of replay's cost over the floor is warm-up (the compiler's work and the code
 * that runs before it is done) rather than the steady work per call (issue 19).
 * MCPTAPE_BENCH_WARMUP_PASSES (default 6) sets the passes.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BENCH_POLICY } from "./replay.bench.js";
import { ensureTape } from "./tape-gen.js";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Runs `node args` and returns the CPU ms of each pass it printed, one number a line. */
function passes(args: string[]): number[] {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status ?? r.signal}\n${r.stderr}`);
  return r.stdout.trim().split("\n").map(Number);
}

export async function run(): Promise<void> {
  const count = Number(process.env.MCPTAPE_BENCH_WARMUP_PASSES ?? 6);
  if (!(count > 0)) throw new Error("MCPTAPE_BENCH_WARMUP_PASSES must be positive");
  const build = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  const tape = ensureTape(73);
  const work = mkdtempSync(join(tmpdir(), "mcptape-bench-warmup-"));
  try {
    const policy = join(work, "policy.yaml");
    writeFileSync(policy, BENCH_POLICY);
    const main = pathToFileURL(join(ROOT, "dist", "cli", "main.js")).href;
    const argv = ["node", "mcptape", "replay", tape, "-p", policy, "--format", "json", "--jobs", "1", "-o", "/dev/null"];
    const script = `const { main } = await import(${JSON.stringify(main)});
for (let i = 0; i < ${count}; i++) {
  const before = process.cpuUsage();
  if ((await main(${JSON.stringify(argv)})) > 1) process.exit(1);
  const used = process.cpuUsage(before);
  console.log((used.user + used.system) / 1000);
}`;
    const floor = passes([join(ROOT, "bench", "scale-floor.mjs"), "chunked", tape, String(count)]);
    const replay = passes(["--input-type=module", "-e", script]);
    console.log(`warm-up: ${tape} (73 MiB), ${count} passes in one process each, CPU time of each pass`);
    console.log("  pass   chunked loop   replay   replay / loop");
    for (let i = 0; i < count; i++) {
      console.log(`  ${String(i + 1).padStart(4)}   ${floor[i]!.toFixed(0).padStart(9)} ms   ${replay[i]!.toFixed(0).padStart(6)} ms   ${(replay[i]! / floor[i]!).toFixed(2)}x`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
