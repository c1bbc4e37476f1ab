/**
 * Diff: the same event stream through two gateway runs, one per policy, in one pass. Each run
 * keeps its own counters; both release calls in the same order (release depends on answers
 * and time, never on decisions), so their outputs zip call by call.
 */
import type { Policy } from "../policy/model.js";
import { GatewayRun } from "../replay/gateway.js";
import { mergeByTime } from "../replay/merge.js";
import { tapeEvents, tapeStart, type ReplaySource } from "../replay/replay.js";
import type { DecidedCall, ReplayEvent, ReplayOptions } from "../replay/types.js";
import { Divergence } from "./divergence.js";
import { changeBetween } from "./change-kind.js";
import type { DiffedCall } from "./types.js";

export interface DiffPolicies {
  base: Policy;
  head: Policy;
}

/** Every call of the tapes, in replay order, decided by both policies. */
export async function* diffReplay(policies: DiffPolicies, source: ReplaySource, options: ReplayOptions): AsyncGenerator<DiffedCall> {
  const divergence = new Divergence();
  if (options.together) {
    const starts = await Promise.all(source.tapes.map((t) => tapeStart(t, source.onWarning)));
    const start = Math.min(...starts);
    const streams = source.tapes.map((t) => tapeEvents(t, start, options, source.onWarning));
    yield* diffGateways(policies, mergeByTime(streams), options, divergence);
    return;
  }
  for (const tape of source.tapes) {
    const start = await tapeStart(tape, source.onWarning);
    yield* diffGateways(policies, tapeEvents(tape, start, options, source.onWarning), options, divergence);
  }
}

/** Two gateways over one event stream already in time order. */
export async function* diffGateways(
  policies: DiffPolicies,
  events: AsyncIterable<ReplayEvent>,
  options: ReplayOptions,
  divergence = new Divergence(),
): AsyncGenerator<DiffedCall> {
  const durationOf = (ms: number) => ms / options.speed;
  const base = new GatewayRun(policies.base, options, durationOf);
  const head = new GatewayRun(policies.head, options, durationOf);
  for await (const event of events) {
    const fromBase = base.push(event);
    const fromHead = head.push(event);
    if (fromBase.length === 0 && fromHead.length === 0) continue;
    yield* zip(fromBase, fromHead, divergence);
  }
  yield* zip(base.finish(), head.finish(), divergence);
}

function* zip(fromBase: DecidedCall[], fromHead: DecidedCall[], divergence: Divergence): Generator<DiffedCall> {
  if (fromBase.length !== fromHead.length) {
    throw new Error(`diff: the two gateway runs released ${fromBase.length} and ${fromHead.length} calls for the same event`);
  }
  for (let i = 0; i < fromBase.length; i++) {
    const b = fromBase[i]!;
    const h = fromHead[i]!;
    if (b.session !== h.session || b.seq !== h.seq || b.tape !== h.tape || b.line !== h.line) {
      throw new Error(`diff: the two gateway runs released different calls (${b.tape}:${b.line} and ${h.tape}:${h.line})`);
    }
    const change = changeBetween(b.decision, h.decision);
    yield {
      session: b.session,
      seq: b.seq,
      t: b.t,
      tool: b.tool,
      args: b.args,
      base: b.decision,
      head: h.decision,
      change,
      counterfactual: divergence.mark(b.tape, b.session, change !== null),
      tape: b.tape,
      line: b.line,
    };
  }
}
