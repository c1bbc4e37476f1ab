/**
 * Diff: the same event stream through two gateway runs, one per policy, in one pass. Each run
 * keeps its own counters; both release calls in the same order (release depends on answers
 * and time, never on decisions), so their outputs zip call by call.
 */
import type { GatewayFactory } from "../gateway/create.js";
import { GatewayRun } from "../replay/gateway.js";
import { gatewayRunEvents, type ReplaySource } from "../replay/replay.js";
import type { DecidedCall, ReplayEvent, ReplayOptions } from "../replay/types.js";
import { Divergence } from "./divergence.js";
import { changeBetween } from "./change-kind.js";
import type { DiffedCall } from "./types.js";

/** The two sides of a diff: each makes a fresh gateway per gateway run. */
export interface DiffPolicies {
  base: GatewayFactory;
  head: GatewayFactory;
}

/** Every call of the tapes, in replay order, decided by both policies, a batch at a time. */
export async function* diffReplayBatches(policies: DiffPolicies, source: ReplaySource, options: ReplayOptions): AsyncGenerator<DiffedCall[]> {
  const divergence = new Divergence();
  const warned = new Set<string>();
  for await (const events of gatewayRunEvents(source, options)) {
    for await (const batch of diffGatewayBatches(policies, events, options, divergence)) {
      warnUndecided(batch, warned, source.onWarning);
      yield batch;
    }
  }
}

/**
 * A diff lists changed decisions, and an undecided call has none to compare: without a word,
 * a diff of calls no policy could decide (AgentCore without --target, an audit log without
 * arguments) would read "no decision changed". So the first undecided call of each tape is a
 * tape warning, with why.
 */
function warnUndecided(batch: readonly DiffedCall[], warned: Set<string>, onWarning: ReplaySource["onWarning"]): void {
  for (const call of batch) {
    const side = call.base.decision === "undecided" ? call.base : call.head.decision === "undecided" ? call.head : undefined;
    if (side === undefined || warned.has(call.tape)) continue;
    warned.add(call.tape);
    const under = call.base.decision === call.head.decision ? "both policies" : side === call.base ? "the base policy" : "the head policy";
    onWarning?.({ file: call.tape, line: call.line, message: `${call.tool} is undecided under ${under}, so its decisions are not compared (further undecided calls of this tape are not reported): ${side.message ?? ""}` });
  }
}

/** Every call of the tapes, in replay order, decided by both policies. */
export async function* diffReplay(policies: DiffPolicies, source: ReplaySource, options: ReplayOptions): AsyncGenerator<DiffedCall> {
  for await (const batch of diffReplayBatches(policies, source, options)) yield* batch;
}

/** Two gateways over event batches already in time order. */
export async function* diffGatewayBatches(
  policies: DiffPolicies,
  events: AsyncIterable<ReplayEvent[]>,
  options: ReplayOptions,
  divergence = new Divergence(),
): AsyncGenerator<DiffedCall[]> {
  const durationOf = (ms: number) => ms / options.speed;
  const [baseGateway, headGateway] = [policies.base(), policies.head()];
  const decisionsOnly = baseGateway.kind !== headGateway.kind;
  const base = new GatewayRun(baseGateway, options, durationOf);
  const head = new GatewayRun(headGateway, options, durationOf);
  const zip = (fromBase: readonly DecidedCall[], fromHead: readonly DecidedCall[], out: DiffedCall[]) => zipCalls(fromBase, fromHead, divergence, decisionsOnly, out);
  for await (const batch of events) {
    const done: DiffedCall[] = [];
    for (const event of batch) zip(base.push(event), head.push(event), done);
    if (done.length > 0) yield done;
  }
  const rest: DiffedCall[] = [];
  zip(base.finish(), head.finish(), rest);
  if (rest.length > 0) yield rest;
}

/** Two gateways over single events already in time order. */
export async function* diffGateways(
  policies: DiffPolicies,
  events: AsyncIterable<ReplayEvent>,
  options: ReplayOptions,
  divergence = new Divergence(),
): AsyncGenerator<DiffedCall> {
  async function* batched(): AsyncGenerator<ReplayEvent[]> {
    for await (const e of events) yield [e];
  }
  for await (const batch of diffGatewayBatches(policies, batched(), options, divergence)) yield* batch;
}

/** Pairs what both runs released for one event, call by call, onto `out`. */
function zipCalls(fromBase: readonly DecidedCall[], fromHead: readonly DecidedCall[], divergence: Divergence, decisionsOnly: boolean, out: DiffedCall[]): void {
  if (fromBase.length !== fromHead.length) {
    throw new Error(`diff: the two gateway runs released ${fromBase.length} and ${fromHead.length} calls for the same event`);
  }
  for (let i = 0; i < fromBase.length; i++) out.push(pair(fromBase[i]!, fromHead[i]!, divergence, decisionsOnly));
}

/** The same call as released by both runs, as one diffed call. */
function pair(b: DecidedCall, h: DecidedCall, divergence: Divergence, decisionsOnly: boolean): DiffedCall {
  if (b.session !== h.session || b.seq !== h.seq || b.tape !== h.tape || b.line !== h.line) {
    throw new Error(`diff: the two gateway runs released different calls (${b.tape}:${b.line} and ${h.tape}:${h.line})`);
  }
  const change = changeBetween(b.decision, h.decision, decisionsOnly);
  return {
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
