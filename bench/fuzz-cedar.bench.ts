/**
 * How long `mcptape fuzz` takes to find each classic Cedar-at-a-gateway bypass
 * (test/fuzz/cedar-bypasses.ts), from the command's start to the shrunk finding, on one core
 * (each in its own child process; the command's modules compiled beforehand, the Cedar engine not). Beside it, the same command on a policy without the hole,
 * stopped after one case: what loading the policy and the Cedar engine costs in the same run.
 * Over several seeds, since the time to a finding depends on the seed. Goal: < 5 s each.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli/main.js";
import { BYPASSES, type Bypass } from "../test/fuzz/cedar-bypasses.js";
import { inChild, serveChild } from "./child.js";

const HERE = fileURLToPath(import.meta.url);
const SEEDS = [1, 2, 3, 4, 5];
const GOAL_MS = 5000;
type Name = keyof typeof BYPASSES;

/** The load-only baseline: a ToolHive policy with nothing to find. */
const NOTHING: Bypass = {
  files: { "ok.cedar": 'permit(principal, action == Action::"call_tool", resource == Tool::"transfer") when { context has arg_to && context.arg_to == "savings" };' },
  args: (dir) => ["-p", join(dir, "ok.cedar"), "--profile", "toolhive", "--runs", "1"],
};

/** Runs one fuzz command in this process; returns ms from its start to its first finding (or to its end). */
async function timeToFinding(b: Bypass, seed: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "mcptape-bench-"));
  try {
    for (const [name, text] of Object.entries(b.files)) writeFileSync(join(dir, name), text);
    let out = "";
    const stdout = new Writable({ write(chunk, _e, done) { out += String(chunk); done(); } });
    const stderr = new Writable({ write(_c, _e, done) { done(); } });
    // Compiled before the clock starts (tsx transpiles on first import; the built CLI does not).
    await import("../src/cli/fuzz.js");
    const started = performance.now();
    const code = await main([process.execPath, "mcptape", "fuzz", "--format", "json", "--seed", String(seed), ...b.args(dir)], { stdout, stderr });
    const wall = performance.now() - started;
    const doc = JSON.parse(out) as { summary: { ms: number }; findings: { foundMs: number }[] };
    if (b === NOTHING) return wall;
    if (code !== 1 || doc.findings.length === 0) throw new Error(`seed ${seed}: no finding (exit ${code})`);
    // The command's time before fuzzing (loading), then the run's time to the shrunk finding.
    return wall - doc.summary.ms + doc.findings[0]!.foundMs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  console.log(`fuzz-cedar: time from command start to the shrunk finding, one core, seeds ${SEEDS.join(",")} (goal < ${GOAL_MS / 1000} s each)`);
  let load = Infinity;
  for (let i = 0; i < 3; i++) load = Math.min(load, (await inChild(HERE, "nothing", ["1"])).count);
  console.log(`  baseline: load policy + Cedar engine, 1 case, best of 3   ${(load / 1000).toFixed(2)} s`);
  for (const name of Object.keys(BYPASSES) as Name[]) {
    const times: number[] = [];
    for (const seed of SEEDS) times.push((await inChild(HERE, name, [String(seed)])).count);
    times.sort((a, b) => a - b);
    const worst = times.at(-1)!;
    const median = times[Math.floor(times.length / 2)]!;
    console.log(`  ${name.padEnd(8)} median ${(median / 1000).toFixed(2)} s, worst ${(worst / 1000).toFixed(2)} s = ${(worst / load).toFixed(1)}x the baseline, ${(worst / GOAL_MS * 100).toFixed(0)}% of the goal ${worst < GOAL_MS ? "(met)" : "(MISSED)"}`);
  }
}

// Each child's "count" is the milliseconds it measured.
serveChild(HERE, Object.fromEntries([
  ["nothing", ([seed]: string[]) => timeToFinding(NOTHING, Number(seed))],
  ...(Object.keys(BYPASSES) as Name[]).map((name) => [name, ([seed]: string[]) => timeToFinding(BYPASSES[name], Number(seed))]),
]));
