/**
 * How fast is one decision? A 50-tool policy with argument conditions and counters, decided
 * over varied calls, next to Cedar (`@cedar-policy/cedar-wasm`) deciding an equivalent
 * allow/deny-with-conditions policy (50 actions, `when` conditions on the context) in the
 * same run. Reports the median over batches of the mean ns per decision.
 * Goal: under 1 µs a decision and at least 10x faster than Cedar.
 */
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { createCounterStore } from "../src/engine/counters.js";
import { decide } from "../src/engine/decide.js";
import type { Call } from "../src/engine/types.js";
import { loadPolicyText } from "../src/policy/load.js";

const TOOLS = 50;
const tool = (i: number): string => `tool_${i}`;

/**
 * The policy as Intercept YAML, loaded as a user's file is. Tool i: every 10th is denied
 * outright; the others check amount, currency, path; all are rate limited.
 */
function interceptPolicy(): string {
  const lines = ['version: "1"', "default: deny", "hide: [secret_tool]", "tools:"];
  for (let i = 0; i < TOOLS; i++) {
    if (i % 10 === 9) {
      lines.push(`  ${tool(i)}: {rules: [{name: block ${i}, action: deny}]}`);
      continue;
    }
    lines.push(`  ${tool(i)}: {rules: [
    {name: max amount ${i}, conditions: [{path: args.amount, op: lte, value: 1000}]},
    {name: currency ${i}, conditions: [{path: args.currency, op: in, value: [usd, eur, gbp]}]},
    {name: safe path ${i}, conditions: [{path: args.path, op: regex, value: "^/safe/"}]},
    {name: rate ${i}, rate_limit: 1000000000/minute}]}`);
  }
  lines.push('  "*": {rules: [{name: global, conditions: [{path: state._global.calls, op: lte, value: 1000000000}], state: {counter: calls, window: minute}}]}');
  return `${lines.join("\n")}\n`;
}

function cedarPolicies(): string {
  const out: string[] = [];
  for (let i = 0; i < TOOLS; i++) {
    const action = `Action::"${tool(i)}"`;
    if (i % 10 === 9) {
      out.push(`forbid (principal, action == ${action}, resource);`);
      continue;
    }
    out.push(`permit (principal, action == ${action}, resource) when {
  context has amount && context.amount <= 1000 &&
  context has currency && ["usd", "eur", "gbp"].contains(context.currency) &&
  context has path && context.path like "/safe/*"
};`);
  }
  return out.join("\n");
}

interface Sample {
  call: Call;
  context: Record<string, string | number>;
}

/** Varied calls: mostly allowed, some over the amount, wrong currency, wrong path, denied tools, unlisted tools. */
function samples(n: number): Sample[] {
  const out: Sample[] = [];
  let seed = 0x2545f491;
  const rnd = (m: number): number => {
    // xorshift32: a fixed, varied sequence.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % m;
  };
  for (let k = 0; k < n; k++) {
    const name = rnd(20) === 0 ? `unlisted_${rnd(5)}` : tool(rnd(TOOLS));
    const args = {
      amount: rnd(8) === 0 ? 5000 + rnd(100) : rnd(1000),
      currency: ["usd", "eur", "gbp", "jpy"][rnd(4)]!,
      path: rnd(6) === 0 ? `/etc/${rnd(100)}` : `/safe/dir/${rnd(100)}`,
    };
    out.push({ call: { tool: name, args, session: `s${rnd(4)}` }, context: args });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median over `batches` of the mean ns per op in a batch of `size` ops. */
function measure(batches: number, size: number, op: (i: number) => void): number {
  const means: number[] = [];
  let i = 0;
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < size; k++) op(i++);
    means.push(Number(process.hrtime.bigint() - t0) / size);
  }
  return median(means);
}

const gc = (globalThis as { gc?: () => void }).gc;

export async function run(): Promise<void> {
  const { policy, diagnostics } = loadPolicyText(interceptPolicy(), "decide-bench.yaml");
  if (!policy) throw new Error(diagnostics.map((d) => d.message).join("\n"));
  const calls = samples(4096);
  const mask = calls.length - 1;
  const store = createCounterStore();
  const start = Date.parse("2026-03-04T10:00:00Z");
  const outcome: Record<string, number> = {};
  let sink = 0;

  const ours = (i: number): void => {
    const d = decide(policy, calls[i & mask]!.call, store, start + i);
    sink += d.reservations.length;
  };
  for (let i = 0; i < 200_000; i++) ours(i); // warm up
  for (let i = 0; i < calls.length; i++) {
    const d = decide(policy, calls[i]!.call, createCounterStore(), start);
    outcome[d.decision] = (outcome[d.decision] ?? 0) + 1;
  }
  gc?.();
  const oursNs = measure(300, 4096, ours);

  const policies = cedarPolicies();
  const request = (s: Sample): cedar.AuthorizationCall => ({
    principal: { type: "User", id: "agent" },
    action: { type: "Action", id: s.call.tool },
    resource: { type: "Server", id: "upstream" },
    context: s.context,
    policies: { staticPolicies: policies },
    entities: [],
  });
  const check = cedar.isAuthorized(request(calls[0]!));
  if (check.type !== "success") throw new Error(`cedar: ${JSON.stringify(check.errors)}`);
  const cedarOp = (i: number): void => {
    const a = cedar.isAuthorized(request(calls[i & mask]!));
    sink += a.type === "success" && a.response.decision === "allow" ? 1 : 0;
  };
  for (let i = 0; i < 200; i++) cedarOp(i);
  gc?.();
  const cedarNs = measure(40, 50, cedarOp);

  // Cedar with the policy set parsed once (statefulIsAuthorized): the fairer baseline.
  const pre = cedar.preparsePolicySet("bench", { staticPolicies: policies });
  if (pre.type !== "success") throw new Error(`cedar preparse: ${JSON.stringify(pre.errors)}`);
  const cedarPreOp = (i: number): void => {
    const s = calls[i & mask]!;
    const a = cedar.statefulIsAuthorized({
      principal: { type: "User", id: "agent" },
      action: { type: "Action", id: s.call.tool },
      resource: { type: "Server", id: "upstream" },
      context: s.context,
      preparsedPolicySetId: "bench",
      entities: [],
    });
    sink += a.type === "success" && a.response.decision === "allow" ? 1 : 0;
  };
  for (let i = 0; i < 2000; i++) cedarPreOp(i);
  gc?.();
  const cedarPreNs = measure(60, 200, cedarPreOp);

  const fmt = (ns: number): string => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
  console.log("decide: 50-tool policy, argument conditions + counters, varied calls");
  console.log(`  outcomes over the sample: ${JSON.stringify(outcome)}`);
  console.log(`  mcptape decide                 ${fmt(oursNs).padStart(10)} / decision`);
  console.log(`  cedar isAuthorized             ${fmt(cedarNs).padStart(10)} / decision   (${(cedarNs / oursNs).toFixed(0)}x slower)`);
  console.log(`  cedar statefulIsAuthorized     ${fmt(cedarPreNs).padStart(10)} / decision   (${(cedarPreNs / oursNs).toFixed(0)}x slower)`);
  console.log(`  goal: < 1 µs ${oursNs < 1000 ? "met" : "MISSED"}; >= 10x Cedar ${cedarPreNs / oursNs >= 10 ? "met" : "MISSED"} (against the preparsed policy set)`);
  if (sink === -1) console.log(sink); // keep the work observable
}
