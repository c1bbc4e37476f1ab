/** Properties of the two-policy pass over generated call streams (fast-check). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffGateways } from "../../src/diff/diff-replay.js";
import type { DiffedCall } from "../../src/diff/types.js";
import type { Policy } from "../../src/policy/model.js";
import { runGateway } from "../../src/replay/replay.js";
import { DEFAULT_REPLAY_OPTIONS, type CallEvent, type ReplayEvent } from "../../src/replay/types.js";
import { gatewaysOf } from "../gateways.js";
import { policyOf } from "./helpers.js";

const POLICIES: Policy[] = [
  `version: "1"
tools:
  a:
    rules:
      - name: a-limit
        rate_limit: 3/minute
  b:
    rules:
      - name: small-n
        conditions:
          - path: args.n
            op: lt
            value: 10
`,
  `version: "1"
tools:
  a:
    rules:
      - name: a-limit
        rate_limit: 5/minute
  c:
    rules:
      - name: no-c
        action: deny
  "*":
    rules:
      - name: global
        rate_limit: 8/minute
`,
  `version: "1"
default: deny
tools:
  a:
    rules: []
  b:
    rules:
      - name: approve-big
        action: require_approval
        conditions:
          - path: args.n
            op: gt
            value: 15
  d:
    rules:
      - name: d-budget
        conditions:
          - path: state.d.spent
            op: lte
            value: 30
        state:
          counter: spent
          window: minute
          increment_from: args.n
`,
].map((text, i) => policyOf(text, `p${i}.yaml`));

const T0 = Date.parse("2026-01-01T10:00:00.000Z");

const callsArb = fc.array(
  fc.record({
    session: fc.constantFrom("s1", "s2", "s3"),
    tool: fc.constantFrom("a", "b", "c", "d"),
    n: fc.integer({ min: 0, max: 20 }),
    gap: fc.integer({ min: 0, max: 20_000 }),
    outcome: fc.constantFrom("ok", "ok", "ok", "error" as const),
  }),
  { maxLength: 60 },
);

type GenCall = { session: string; tool: string; n: number; gap: number; outcome: "ok" | "error" };

function events(calls: GenCall[]): ReplayEvent[] {
  let t = T0;
  return calls.map((c, i): CallEvent => {
    t += c.gap;
    return {
      type: "call", t, session: c.session, seq: i + 1, tool: c.tool, args: { n: c.n },
      answer: { outcome: c.outcome, latencyMs: 50, recorded: null }, tape: "gen.jsonl", line: i + 2,
    };
  });
}

async function* stream(list: ReplayEvent[]): AsyncGenerator<ReplayEvent> {
  yield* list;
}

async function diffOf(base: Policy, head: Policy, list: ReplayEvent[]): Promise<DiffedCall[]> {
  const out: DiffedCall[] = [];
  for await (const c of diffGateways({ base: gatewaysOf(base), head: gatewaysOf(head) }, stream(list), DEFAULT_REPLAY_OPTIONS)) out.push(c);
  return out;
}

async function replayOf(policy: Policy, list: ReplayEvent[]) {
  const out = [];
  for await (const c of runGateway(gatewaysOf(policy)(), stream(list), DEFAULT_REPLAY_OPTIONS)) out.push(c.decision);
  return out;
}

const policyIndex = fc.integer({ min: 0, max: POLICIES.length - 1 });

describe("diff properties", () => {
  it("each side decides every call exactly as a replay of that policy alone", async () => {
    await fc.assert(
      fc.asyncProperty(policyIndex, policyIndex, callsArb, async (b, h, calls) => {
        const list = events(calls);
        const diffed = await diffOf(POLICIES[b]!, POLICIES[h]!, list);
        expect(diffed.map((c) => c.base)).toEqual(await replayOf(POLICIES[b]!, list));
        expect(diffed.map((c) => c.head)).toEqual(await replayOf(POLICIES[h]!, list));
      }),
      { numRuns: 60 },
    );
  });

  it("a policy diffed against itself changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(policyIndex, callsArb, async (p, calls) => {
        const diffed = await diffOf(POLICIES[p]!, POLICIES[p]!, events(calls));
        expect(diffed).toHaveLength(calls.length);
        expect(diffed.every((c) => c.change === null && !c.counterfactual)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("swapping base and head reverses every decision change and keeps the same calls changed", async () => {
    await fc.assert(
      fc.asyncProperty(policyIndex, policyIndex, callsArb, async (b, h, calls) => {
        const list = events(calls);
        const forward = await diffOf(POLICIES[b]!, POLICIES[h]!, list);
        const back = await diffOf(POLICIES[h]!, POLICIES[b]!, list);
        const reverse = (k: string | null) => (k === null || !k.includes("->") ? k : k.split("->").reverse().join("->"));
        expect(back.map((c) => c.change)).toEqual(forward.map((c) => reverse(c.change)));
        expect(back.map((c) => c.counterfactual)).toEqual(forward.map((c) => c.counterfactual));
      }),
      { numRuns: 40 },
    );
  });

  it("a call is counterfactual exactly when an earlier call of its session changed", async () => {
    await fc.assert(
      fc.asyncProperty(policyIndex, policyIndex, callsArb, async (b, h, calls) => {
        const diffed = await diffOf(POLICIES[b]!, POLICIES[h]!, events(calls));
        const diverged = new Set<string>();
        for (const c of diffed) {
          expect(c.counterfactual).toBe(diverged.has(c.session));
          if (c.change !== null) diverged.add(c.session);
        }
      }),
      { numRuns: 60 },
    );
  });
});
