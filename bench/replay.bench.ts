/**
 * Replay throughput and memory: decisions/s of `replay` over a tape of ~200k calls, next to a
 * bare "split lines + JSON.parse" loop over the same file, each in its own child process.
 * Goal: replay at least half the bare loop's lines/s counted as decisions/s, with peak RSS
 * flat: the same on a tape a quarter the size.
 * A recorded call is two lines (request and answer), so the same is also measured on a tape of
 * `call` lines, where one line is one decision.
 * MCPTAPE_BENCH_REPLAY_MB sets the tape size (default 290 MiB, about 200k calls).
 */
import { fileURLToPath } from "node:url";
import { loadPolicyText } from "../src/policy/load.js";
import { replayBatches } from "../src/replay/replay.js";
import { DEFAULT_REPLAY_OPTIONS } from "../src/replay/types.js";
import { gatewaysOf } from "../test/gateways.js";
import { best, inChild, mib, rate, serveChild, type Measurement } from "./child.js";
import { bareLoop } from "./tape-read.bench.js";
import { ensureTape } from "./tape-gen.js";

const HERE = fileURLToPath(import.meta.url);

/** A policy over the bench tape's tools: limits, argument conditions and a global counter. */
export const BENCH_POLICY = `
version: "1"
default: allow
tools:
  read_file:
    rules:
      - name: no parent paths
        conditions:
          - { path: args.path, op: regex, value: "^/srv/" }
  write_file:
    rules:
      - name: writes per minute
        rate_limit: 20/minute
  create_refund:
    rules:
      - name: refund cap
        conditions:
          - { path: args.amount, op: lte, value: 500 }
      - name: refunds per hour
        rate_limit: 30/hour
  query_db:
    rules:
      - name: bounded queries
        conditions:
          - { path: args.limit, op: lt, value: 90 }
  send_email:
    rules:
      - name: no email
        action: deny
  "*":
    rules:
      - name: global
        rate_limit: 600/minute
`;

async function replayLoop(file: string): Promise<number> {
  const { policy, diagnostics } = loadPolicyText(BENCH_POLICY, "bench.yaml");
  if (!policy) throw new Error(diagnostics.map((d) => d.message).join("\n"));
  let decisions = 0;
  for await (const batch of replayBatches(gatewaysOf(policy), { tapes: [file] }, DEFAULT_REPLAY_OPTIONS)) decisions += batch.length;
  return decisions;
}

export async function run(): Promise<void> {
  const mb = Number(process.env.MCPTAPE_BENCH_REPLAY_MB ?? 290);
  const file = ensureTape(mb);
  const small = ensureTape(Math.max(1, Math.round(mb / 4)));
  await inChild(HERE, "bare", [file]); // warm the page cache
  let bare: Measurement | undefined;
  let rep: Measurement | undefined;
  for (let i = 0; i < 2; i++) {
    bare = best(bare, await inChild(HERE, "bare", [file]));
    rep = best(rep, await inChild(HERE, "replay", [file]));
  }
  const quarter = await inChild(HERE, "replay", [small]);
  const callsFile = ensureTape(Math.round(mb / 2), "calls");
  let callsBare: Measurement | undefined;
  let callsRep: Measurement | undefined;
  for (let i = 0; i < 2; i++) {
    callsBare = best(callsBare, await inChild(HERE, "bare", [callsFile]));
    callsRep = best(callsRep, await inChild(HERE, "replay", [callsFile]));
  }
  console.log(`replay: ${file}`);
  console.log(`  bare JSON.parse loop  ${bare!.count} lines, ${Math.round(rate(bare!)).toLocaleString("en")} lines/s, peak RSS ${mib(bare!.maxRss)}`);
  console.log(`  replay                ${rep!.count} decisions, ${Math.round(rate(rep!)).toLocaleString("en")} decisions/s, peak RSS ${mib(rep!.maxRss)}`);
  console.log(`  replay decisions/s / bare lines/s: ${(rate(rep!) / rate(bare!)).toFixed(2)}x (goal >= 0.5x)`);
  console.log(`  on call lines (${callsFile}): bare ${Math.round(rate(callsBare!)).toLocaleString("en")} lines/s, replay ${Math.round(rate(callsRep!)).toLocaleString("en")} decisions/s: ${(rate(callsRep!) / rate(callsBare!)).toFixed(2)}x`);
  console.log(`  memory: peak RSS ${mib(rep!.maxRss)} for ${rep!.count} calls vs ${mib(quarter.maxRss)} for ${quarter.count} calls (flat: about equal)`);
}

serveChild(HERE, { bare: ([f]) => bareLoop(f!), replay: ([f]) => replayLoop(f!) });
