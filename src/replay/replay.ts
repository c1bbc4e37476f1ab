/**
 * Replay: tapes through a policy on a virtual clock. Each tape is its own gateway run unless
 * `together` merges them by time into one. Streams in batches (a chunk of the tape at a time):
 * memory does not grow with tape length, and there is one await per batch, not per line.
 */
import type { GatewayFactory } from "../gateway/create.js";
import { readTape, readTapeBatches, type ReadTapeOptions, type TapeWarning } from "../tape/reader.js";
import { makeClock } from "./clock.js";
import { eventsOfLine, type TapeEvents } from "./events.js";
import { GatewayRun } from "./gateway.js";
import type { Gateway } from "../gateway/types.js";
import { mergeBatchesByTime } from "./merge.js";
import type { DecidedCall, ReplayEvent, ReplayOptions } from "./types.js";

export interface ReplaySource {
  /** Tape file paths, in the order given. */
  tapes: string[];
  onWarning?: (w: TapeWarning) => void;
  /** Told the size of each chunk read from a tape (progress bars). */
  onBytes?: (bytes: number) => void;
}

/** Decided calls in replay order, a batch at a time. */
export async function* replayBatches(gateways: GatewayFactory, source: ReplaySource, options: ReplayOptions): AsyncGenerator<DecidedCall[]> {
  for await (const events of gatewayRunEvents(source, options)) yield* runGatewayBatches(gateways(), events, options);
}

/** Decided calls in replay order, one at a time. */
export async function* replay(gateways: GatewayFactory, source: ReplaySource, options: ReplayOptions): AsyncGenerator<DecidedCall> {
  for await (const batch of replayBatches(gateways, source, options)) yield* batch;
}

/**
 * The event stream of each gateway run a replay makes, in order: one per tape, or with
 * `together` one for all tapes merged by time. Replay and diff both run these.
 */
export async function* gatewayRunEvents(source: ReplaySource, options: ReplayOptions): AsyncGenerator<AsyncIterable<ReplayEvent[]>> {
  if (options.together) {
    yield mergeBatchesByTime(await tapeStreams(source.tapes, options, source));
    return;
  }
  for (const tape of source.tapes) yield tapeEventBatches(tape, await tapeStart(tape), options, source);
}

/** One stream per tape, all on one clock that starts at the earliest tape's header, to be merged. */
export async function tapeStreams(tapes: readonly string[], options: ReplayOptions, listeners: ReadTapeOptions = {}): Promise<AsyncIterable<ReplayEvent[]>[]> {
  if (tapes.length === 0) return [];
  const start = Math.min(...(await Promise.all(tapes.map((tape) => tapeStart(tape)))));
  // A tape given twice is one tape: its tag, like its path before, is the same both times.
  const tags = new Map<string, string>();
  for (const tape of tapes) if (!tags.has(tape)) tags.set(tape, String(tags.size));
  return tapes.map((tape) => tapeEventBatches(tape, start, options, listeners, tags.get(tape)));
}

/** One gateway over event batches already in time order. */
export async function* runGatewayBatches(
  engine: Gateway,
  events: AsyncIterable<ReplayEvent[]>,
  options: ReplayOptions,
): AsyncGenerator<DecidedCall[]> {
  const gateway = new GatewayRun(engine, options, (ms) => ms / options.speed);
  for await (const batch of events) {
    const done: DecidedCall[] = [];
    for (const event of batch) for (const call of gateway.push(event)) done.push(call);
    if (done.length > 0) yield done;
  }
  const rest = gateway.finish();
  if (rest.length > 0) yield rest;
}

/** One gateway over single events already in time order. */
export async function* runGateway(engine: Gateway, events: AsyncIterable<ReplayEvent>, options: ReplayOptions): AsyncGenerator<DecidedCall> {
  async function* batched(): AsyncGenerator<ReplayEvent[]> {
    for await (const e of events) yield [e];
  }
  for await (const batch of runGatewayBatches(engine, batched(), options)) yield* batch;
}

/** The tape's start time: its header's `t` (the reader insists the first line is the header). */
export async function tapeStart(tape: string): Promise<number> {
  for await (const { t } of readTape(tape)) return t;
  return 0;
}

/**
 * A tape's events on the virtual clock that starts at `start`, a chunk at a time. `tag` tells
 * it apart from the other tapes of its gateway run (see TapeEvents).
 */
export async function* tapeEventBatches(
  tape: string,
  start: number,
  options: ReplayOptions,
  listeners: ReadTapeOptions = {},
  tag = "",
): AsyncGenerator<ReplayEvent[]> {
  const source: TapeEvents = { path: tape, tag, clock: makeClock(start, options.speed, options.at), listings: new Set() };
  for await (const lines of readTapeBatches(tape, { onWarning: listeners.onWarning, onBytes: listeners.onBytes })) {
    const events: ReplayEvent[] = [];
    for (const at of lines) eventsOfLine(at, source, events);
    if (events.length > 0) yield events;
  }
}
