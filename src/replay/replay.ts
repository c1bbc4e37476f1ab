/**
 * Replay: tapes through a policy on a virtual clock. Each tape is its own gateway run unless
 * `together` merges them by time into one. Streams: memory does not grow with tape length.
 */
import type { Policy } from "../policy/model.js";
import { readTape, type TapeWarning } from "../tape/reader.js";
import { makeClock } from "./clock.js";
import { eventsOfLine } from "./events.js";
import { GatewayRun } from "./gateway.js";
import { mergeByTime } from "./merge.js";
import type { DecidedCall, ReplayEvent, ReplayOptions } from "./types.js";

export interface ReplaySource {
  /** Tape file paths, in the order given. */
  tapes: string[];
  onWarning?: (w: TapeWarning) => void;
}

export async function* replay(policy: Policy, source: ReplaySource, options: ReplayOptions): AsyncGenerator<DecidedCall> {
  if (options.together) {
    const starts = await Promise.all(source.tapes.map((t) => tapeStart(t, source.onWarning)));
    const start = Math.min(...starts);
    const streams = source.tapes.map((t) => tapeEvents(t, start, options, source.onWarning));
    yield* runGateway(policy, mergeByTime(streams), options);
    return;
  }
  for (const tape of source.tapes) {
    const start = await tapeStart(tape, source.onWarning);
    yield* runGateway(policy, tapeEvents(tape, start, options, source.onWarning), options);
  }
}

/** One gateway over an event stream already in time order. */
export async function* runGateway(
  policy: Policy,
  events: AsyncIterable<ReplayEvent>,
  options: ReplayOptions,
): AsyncGenerator<DecidedCall> {
  const gateway = new GatewayRun(policy, options, (ms) => ms / options.speed);
  for await (const event of events) {
    const done = gateway.push(event);
    for (const call of done) yield call;
  }
  yield* gateway.finish();
}

/** The tape's start time: its header's `t`. */
export async function tapeStart(tape: string, onWarning?: (w: TapeWarning) => void): Promise<number> {
  for await (const { line } of readTape(tape, { onWarning: () => {} })) {
    return Date.parse(line.t);
  }
  void onWarning;
  return 0;
}

/** One tape's events on the virtual clock (shared by replay and diff). */
export async function* tapeEvents(
  tape: string,
  start: number,
  options: ReplayOptions,
  onWarning?: (w: TapeWarning) => void,
): AsyncGenerator<ReplayEvent> {
  const clock = makeClock(start, options.speed, options.at);
  for await (const at of readTape(tape, { onWarning })) {
    for (const event of eventsOfLine(at, tape)) {
      event.t = clock(event.t);
      yield event;
    }
  }
}
