/**
 * The event streams of one scenario: each tape (on the replay clock, all tapes moved together
 * as `replay --together` does) and the inline calls (at the times the scenario gives them;
 * `speed` and `at` move tapes only). They are merged by time into one gateway run.
 */
import { eventsOfLine } from "../replay/events.js";
import { makeClock } from "../replay/clock.js";
import type { ReplayEvent, ReplayOptions } from "../replay/types.js";
import { readTape, type TapeWarning } from "../tape/reader.js";
import type { InlineCall } from "./types.js";

/** Inline calls (already in time order) as the events a gateway reacts to. */
export async function* inlineEvents(calls: readonly InlineCall[], file: string): AsyncGenerator<ReplayEvent> {
  const identities = new Map<string, string>();
  for (const c of calls) {
    // The gateway learns a session's identity from a session line before its first call.
    if (c.identity !== undefined && identities.get(c.session) !== c.identity) {
      identities.set(c.session, c.identity);
      yield { type: "session", t: c.t, session: c.session, identity: c.identity };
    }
    yield {
      type: "call",
      t: c.t,
      session: c.session,
      seq: c.index,
      tool: c.tool,
      args: c.args,
      answer: { outcome: c.outcome, latencyMs: c.latencyMs, recorded: null },
      tape: file,
      line: c.at.line,
    };
  }
}

/** One stream per tape, all on one clock that starts at the earliest tape's header. */
export async function tapeStreams(tapes: readonly string[], options: ReplayOptions, onWarning: (w: TapeWarning) => void): Promise<AsyncIterable<ReplayEvent>[]> {
  if (tapes.length === 0) return [];
  const starts = await Promise.all(tapes.map(tapeStart));
  const start = Math.min(...starts);
  return tapes.map((tape) => tapeEvents(tape, start, options, onWarning));
}

async function tapeStart(tape: string): Promise<number> {
  for await (const { line } of readTape(tape)) return Date.parse(line.t);
  return 0;
}

async function* tapeEvents(tape: string, start: number, options: ReplayOptions, onWarning: (w: TapeWarning) => void): AsyncGenerator<ReplayEvent> {
  const clock = makeClock(start, options.speed, options.at);
  for await (const at of readTape(tape, { onWarning })) {
    for (const event of eventsOfLine(at, tape)) {
      event.t = clock(event.t);
      yield event;
    }
  }
}
