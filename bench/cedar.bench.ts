/**
 * The Cedar engine (src/cedar) under the ToolHive profile with a 50-policy set, in one run:
 *  - unique requests: the engine's cost per call (build the request, key it, decide with the
 *    preparsed set, cache it) against a bare loop calling cedar-wasm on pre-built requests
 *    (statefulIsAuthorized on the same preparsed set; stateless isAuthorized shown too).
 *    Goal: ≤ 1.3×.
 *  - a tape where 90% of the calls repeat earlier ones (agents loop): the engine with its cache
 *    against building and deciding every call with the same preparsed set. Goal: ≥ 10×. With one
 *    call in ten new, 10× is also the ceiling (a repeat would have to cost nothing): printed beside
 *    the ratio, with the ratio the measured cost of a repeat (keying the raw call) allows.
 *  - decisions per second for the 50-policy set.
 * Reports the median over batches of the mean µs per call.
 */
import { loadCedar, type CedarCall, type CedarEngine } from "../src/cedar/index.js";
import { toolhiveProfile } from "../src/cedar/toolhive.js";
import { cedar } from "../src/cedar/wasm.js";
import type { CedarRequest } from "../src/cedar/engine.js";

const POLICIES = 50;
const tool = (i: number): string => `tool_${i}`;

function policySet(): string {
  const out: string[] = [];
  for (let i = 0; i < POLICIES; i++) {
    if (i % 10 === 9) out.push(`@id("block ${i}") forbid(principal, action == Action::"call_tool", resource == Tool::"${tool(i)}");`);
    else {
      out.push(`@id("tool ${i}") permit(principal in THVGroup::"eng", action == Action::"call_tool", resource == Tool::"${tool(i)}")
  when { context has arg_path && context.arg_path like "/safe/*" && context has arg_amount && context.arg_amount.lessThanOrEqual(decimal("1000.0")) };`);
    }
  }
  return out.join("\n");
}

/** Call i is unique (its path holds i); `distinct` bounds how many different calls there are. */
function callsOf(n: number, distinct: (i: number) => number): CedarCall[] {
  const tools = new Map([[tool(3), { name: tool(3), annotations: { readOnlyHint: true } }]]);
  return Array.from({ length: n }, (_, i) => {
    const k = distinct(i);
    return {
      tool: tool(k % POLICIES),
      args: { path: k % 7 === 0 ? `/etc/${k}` : `/safe/${k}`, amount: (k * 37) % 1500, recursive: k % 2 === 0 },
      claims: { sub: `user${k % 5}`, groups: k % 11 === 0 ? ["ops"] : ["eng"], email: `u${k % 5}@example.com` },
      identity: undefined,
      tools,
      t: 0,
    };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Two ops measured in alternating batches (the machine is shared: alternating keeps load swings
 * from landing on one side): the median µs per op of each, and the median of the per-batch ratios b/a.
 */
function compare(batches: number, size: number, a: (i: number) => void, b: (i: number) => void): { aUs: number; bUs: number; ratio: number } {
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let k = 0; k < batches; k++) {
    const base = k * size;
    const t0 = process.hrtime.bigint();
    for (let j = 0; j < size; j++) a(base + j);
    const t1 = process.hrtime.bigint();
    for (let j = 0; j < size; j++) b(base + j);
    const t2 = process.hrtime.bigint();
    as.push(Number(t1 - t0) / size / 1000);
    bs.push(Number(t2 - t1) / size / 1000);
    ratios.push(Number(t2 - t1) / Number(t1 - t0));
  }
  return { aUs: median(as), bUs: median(bs), ratio: median(ratios) };
}

function engineOf(text: string): CedarEngine {
  const loaded = loadCedar(text, "bench.cedar", "toolhive", {});
  if (!loaded.engine) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.engine;
}

export async function run(): Promise<void> {
  const t0 = performance.now();
  cedar();
  const wasmMs = performance.now() - t0;
  const text = policySet();
  const BATCHES = 21;
  const SIZE = 200;
  const total = BATCHES * SIZE + 400;
  let sink = 0;

  // Unique requests: the engine against cedar-wasm on requests built beforehand.
  const unique = callsOf(total, (i) => i);
  const engine = engineOf(text);
  const built = unique.map((c) => {
    const b = toolhiveProfile({}).build(c);
    if (!("request" in b)) throw new Error("not built");
    return b.request;
  });
  const setId = "cedar-bench-bare";
  const pre = cedar().preparsePolicySet(setId, { staticPolicies: text });
  if (pre.type !== "success") throw new Error(JSON.stringify(pre.errors));
  const bare = (r: CedarRequest): void => {
    const a = cedar().statefulIsAuthorized({ ...r, preparsedPolicySetId: setId });
    sink += a.type === "success" && a.response.decision === "allow" ? 1 : 0;
  };
  const stateless = (r: CedarRequest): void => {
    const a = cedar().isAuthorized({ ...r, policies: { staticPolicies: text } });
    sink += a.type === "success" && a.response.decision === "allow" ? 1 : 0;
  };
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < 400; i++) {
    const d = engine.decide(unique[total - 1 - i]!).decision; // warm up on calls the runs do not use
    outcomes[d] = (outcomes[d] ?? 0) + 1;
    bare(built[total - 1 - i]!);
  }
  const uniqueRun = compare(BATCHES, SIZE, (i) => bare(built[i]!), (i) => { sink += engine.decide(unique[i]!).errors.length; });
  const statelessUs = compare(3, 20, (i) => stateless(built[i]!), () => {}).aUs;

  // 90% repeats: 1 call in 10 is new, the others repeat one of 50 earlier calls.
  const looping = callsOf(total, (i) => (i % 10 === 0 ? 1_000_000 + i : i % 50));
  const cached = engineOf(text);
  const eachBuilt = (c: CedarCall): void => {
    const b = toolhiveProfile({}).build(c);
    if ("request" in b) bare(b.request);
  };
  for (let i = 0; i < 100; i++) eachBuilt(looping[i]!);
  const loopRun = compare(BATCHES, SIZE, (i) => eachBuilt(looping[i]!), (i) => { sink += cached.decide(looping[i]!).errors.length; });
  // A repeat alone: calls 1..9 (never new) were all decided above.
  const repeatUs = compare(BATCHES, SIZE, () => {}, (i) => { sink += cached.decide(looping[1 + (i % 9)]!).errors.length; }).bUs;
  const NEW = 0.1;
  const allowed = loopRun.aUs / (NEW * loopRun.aUs + (1 - NEW) * repeatUs);

  const fmt = (us: number): string => `${us.toFixed(1).padStart(7)} µs/call  ${Math.round(1e6 / us).toLocaleString("en-US").padStart(9)} decisions/s`;
  console.log(`cedar: ToolHive profile, ${POLICIES}-policy set; cedar-wasm loads in ${wasmMs.toFixed(0)} ms`);
  console.log(`  outcomes over the warm-up: ${JSON.stringify(outcomes)}`);
  console.log("  unique requests");
  console.log(`    bare statefulIsAuthorized, pre-built requests  ${fmt(uniqueRun.aUs)}`);
  console.log(`    bare isAuthorized (parses the set each call)    ${fmt(statelessUs)}`);
  console.log(`    engine.decide                                   ${fmt(uniqueRun.bUs)}   ${uniqueRun.ratio.toFixed(2)}× the bare loop (goal ≤ 1.3×: ${uniqueRun.ratio <= 1.3 ? "met" : "MISSED"})`);
  console.log("  90% of calls repeat");
  console.log(`    build + decide each call                        ${fmt(loopRun.aUs)}`);
  console.log(`    engine.decide with its cache                    ${fmt(loopRun.bUs)}   ${(1 / loopRun.ratio).toFixed(1)}× faster (goal ≥ 10×: ${1 / loopRun.ratio >= 10 ? "met" : "MISSED"})`);
  console.log(`    a repeat alone                                  ${fmt(repeatUs)}`);
  console.log(`    ceiling with one call in ten new: ${(1 / NEW).toFixed(1)}× (repeats free); ${allowed.toFixed(1)}× with repeats at the cost measured`);
  if (sink === -1) console.log(sink);
}
