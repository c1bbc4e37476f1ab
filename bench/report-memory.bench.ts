/**
 * Report memory against tape length: `mcptape replay --format junit -o FILE` and `--format
 * json -o FILE` over the same generated tape of about a million `call` lines, each through
 * the command line's own `main()` in its own child process, so each peak RSS is its own.
 * Goal: junit's peak RSS within 1.2x of json's (junit spools its cases instead of holding them).
 * MCPTAPE_BENCH_REPORT_MB sets the tape size (default 270 MiB, about a million calls).
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli/main.js";
import { inChild, mib, serveChild } from "./child.js";
import { BENCH_POLICY } from "./replay.bench.js";
import { ensureTape } from "./tape-gen.js";

const HERE = fileURLToPath(import.meta.url);


/** One replay through the CLI writing `format` to `out` (the count of calls is read from the json report afterwards). */
async function replayTo(tape: string, policy: string, format: string, out: string): Promise<number> {
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  const code = await main(["node", "mcptape", "replay", tape, "-p", policy, "--format", format, "-o", out, "--fail-on", "deny"], { stdout: quiet, stderr: quiet });
  if (code !== 0 && code !== 1) throw new Error(`replay --format ${format} exited ${code}`);
  return 0;
}

export async function run(): Promise<void> {
  const mb = Number(process.env.MCPTAPE_BENCH_REPORT_MB ?? 270);
  const tape = ensureTape(mb, "calls");
  const dir = join(tape, "..");
  const policy = join(dir, "report-memory-policy.yaml");
  writeFileSync(policy, BENCH_POLICY);
  const outs = { json: join(dir, "report-memory.json"), junit: join(dir, "report-memory.xml") };
  try {
    const json = await inChild(HERE, "replay", [tape, policy, "json", outs.json]);
    const junit = await inChild(HERE, "replay", [tape, policy, "junit", outs.junit]);
    const calls = (JSON.parse(readFileSync(outs.json, "utf8")) as { summary: { calls: number } }).summary.calls;
    console.log(`report memory: ${tape}, ${calls.toLocaleString("en")} calls`);
    console.log(`  --format json   peak RSS ${mib(json.maxRss)} in ${(json.ms / 1000).toFixed(1)}s`);
    console.log(`  --format junit  peak RSS ${mib(junit.maxRss)} in ${(junit.ms / 1000).toFixed(1)}s`);
    console.log(`  junit / json peak RSS: ${(junit.maxRss / json.maxRss).toFixed(2)}x (goal <= 1.2x)`);
  } finally {
    for (const f of [policy, outs.json, outs.junit]) rmSync(f, { force: true });
  }
}

serveChild(HERE, { replay: ([tape, policy, format, out]) => replayTo(tape!, policy!, format!, out!) });
