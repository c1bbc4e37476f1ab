/**
 * Cases: sequences of calls of one tool with time gaps, starting near the edge of a counter
 * window, so rate limits and counters are fuzzed along with arguments. Most cases are one to
 * a few calls; when a limit is in play, some are bursts long enough to reach it.
 */
import fc from "fast-check";
import { windowMs } from "../engine/counters.js";
import type { Policy } from "../policy/model.js";
import { FIRST_CALL_AT } from "../scenario/call-time.js";
import { rulesFor } from "./policy-values.js";
import type { FuzzCall, FuzzCase, Property } from "./types.js";

/** Cases start from here: a UTC midnight, so every calendar window has an edge nearby. */
export const CASE_BASE = FIRST_CALL_AT;

const SHORT = 4;
const LONGEST = 200;

export function caseArb(tool: string, args: fc.Arbitrary<unknown>, policies: readonly Policy[], properties: readonly Property[]): fc.Arbitrary<FuzzCase> {
  const spans = new Set<number>();
  let burst = 0;
  for (const policy of policies) {
    for (const rule of rulesFor(policy, tool)) {
      if (!rule.counter) continue;
      spans.add(windowMs(rule.counter.window));
      if (rule.counter.limit !== undefined) burst = Math.max(burst, Math.min(rule.counter.limit, 50) + 1);
    }
  }
  for (const p of properties) {
    if (p.kind === "max_calls" && p.tool === tool) {
      spans.add(p.perMs);
      burst = Math.max(burst, p.max + 1);
    }
  }
  const gap = gapArb(spans);
  const call: fc.Arbitrary<FuzzCall> = fc.record({ gapMs: gap, args });
  const lengths: fc.WeightedArbitrary<FuzzCall[]>[] = [
    { arbitrary: call.map((c) => [c]), weight: 3 },
    { arbitrary: fc.array(call, { minLength: 2, maxLength: SHORT }), weight: 1 },
  ];
  if (burst > 0) {
    // A burst is about timing: a few argument sets taken in turn, so a long case stays cheap.
    const minLength = Math.min(burst, LONGEST);
    const gaps = fc.array(gap, { minLength, maxLength: Math.min(2 * burst + 4, LONGEST) });
    const burstCalls = fc.tuple(fc.array(args, { minLength: 1, maxLength: 3 }), gaps)
      .map(([argSets, gs]) => gs.map((gapMs, i): FuzzCall => ({ gapMs, args: argSets[i % argSets.length] })));
    lengths.push({ arbitrary: burstCalls, weight: 1 });
  }
  return fc.record({ tool: fc.constant(tool), start: startArb(spans), calls: fc.oneof(...lengths) });
}

/** Just before the end of some window (so a burst straddles its edge), or at the base. */
function startArb(spans: ReadonlySet<number>): fc.Arbitrary<number> {
  if (spans.size === 0) return fc.constant(CASE_BASE);
  const edges = [...spans].map((span) => fc.integer({ min: 0, max: span }).map((d) => CASE_BASE + span - d));
  return fc.oneof(fc.constant(CASE_BASE), ...edges);
}

/** Mostly a second or two apart; sometimes at once; sometimes most of a window. */
function gapArb(spans: ReadonlySet<number>): fc.Arbitrary<number> {
  const longest = Math.max(60_000, ...spans);
  return fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 2000 }), weight: 4 },
    { arbitrary: fc.constant(0), weight: 1 },
    { arbitrary: fc.integer({ min: 0, max: longest }), weight: 1 },
  );
}
