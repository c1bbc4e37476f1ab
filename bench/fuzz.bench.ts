/**
 * Fuzzing throughput: cases per second on one core of `runFuzz` over a policy with argument
 * conditions, a rate limit and forbidden expressions (most cases one call, some bursts),
 * next to a bare fast-check loop (a two-field record, a trivial check) in the same run.
 * Goal: at least 50,000 cases/s.
 */
import fc from "fast-check";
import { fileURLToPath } from "node:url";
import { parseForbid } from "../src/fuzz/expr.js";
import { runFuzz } from "../src/fuzz/run.js";
import type { Property } from "../src/fuzz/types.js";
import { loadPolicyText } from "../src/policy/load.js";
import { best, inChild, rate, serveChild, type Measurement } from "./child.js";
import { loadedModel } from "../test/gateways.js";

const HERE = fileURLToPath(import.meta.url);
const RUNS = 100_000;

const POLICY = `
version: "1"
tools:
  read_file:
    rules:
      - name: only under /srv
        conditions:
          - { path: args.path, op: regex, value: "^/srv/" }
  create_refund:
    rules:
      - name: refund cap
        conditions:
          - { path: args.amount, op: lte, value: 500 }
          - { path: args.currency, op: in, value: ["usd", "eur"] }
      - name: refunds per minute
        rate_limit: 30/minute
`;

const SCHEMAS: Record<string, Record<string, unknown>> = {
  read_file: { type: "object", properties: { path: { type: "string" }, encoding: { enum: ["utf8", "base64"] } }, required: ["path"] },
  create_refund: {
    type: "object",
    properties: { amount: { type: "number", minimum: 0 }, currency: { type: "string" }, reason: { type: "string", maxLength: 40 } },
    required: ["amount", "currency"],
  },
};

async function fuzzLoop(): Promise<number> {
  const { policy, diagnostics } = loadPolicyText(POLICY, "bench.yaml");
  if (!policy) throw new Error(diagnostics.map((d) => d.message).join("\n"));
  // Properties the policy keeps, so every case runs to the end (no early stop on a finding).
  const properties: Property[] = [
    { kind: "forbid", tool: "create_refund", expr: parseForbid("args.amount > 500") },
    // 30 a minute in fixed windows: at most 60 in any 60 s span (two windows' worth).
    { kind: "max_calls", tool: "create_refund", max: 60, perMs: 60_000, source: "create_refund 60/60s" },
    { kind: "forbid", tool: "read_file", expr: parseForbid('args.path regex "^/etc"') },
  ];
  const targets = Object.entries(SCHEMAS).map(([name, inputSchema]) => ({ name, inputSchema, recorded: [] }));
  const r = runFuzz({ policy: loadedModel(policy), targets, properties, runs: RUNS / targets.length, seed: 1 });
  // Not a bug in the bench: a finding here would stop a tool early and flatter the rate.
  if (r.findings.length > 0) console.error(`  (bench policy had ${r.findings.length} finding(s): ${r.findings.map((f) => f.violation.property).join("; ")})`);
  return r.cases;
}

async function bareLoop(): Promise<number> {
  let n = 0;
  fc.assert(fc.property(fc.record({ path: fc.string(), amount: fc.integer() }), (v) => (n++, v.amount !== 0.5)), { numRuns: RUNS, seed: 1 });
  return n;
}

export async function run(): Promise<void> {
  let bare: Measurement | undefined;
  let fuzz: Measurement | undefined;
  for (let i = 0; i < 2; i++) {
    bare = best(bare, await inChild(HERE, "bare", []));
    fuzz = best(fuzz, await inChild(HERE, "fuzz", []));
  }
  console.log("fuzz: cases per second on one core");
  console.log(`  bare fast-check loop  ${bare!.count} cases, ${Math.round(rate(bare!)).toLocaleString("en")} cases/s`);
  console.log(`  mcptape fuzz          ${fuzz!.count} cases, ${Math.round(rate(fuzz!)).toLocaleString("en")} cases/s (goal >= 50,000)`);
  console.log(`  fuzz / bare: ${(rate(fuzz!) / rate(bare!)).toFixed(2)}x`);
}

serveChild(HERE, { bare: () => bareLoop(), fuzz: () => fuzzLoop() });
