/**
 * The event streams of one scenario: each tape (on the replay clock, all tapes moved together
 * as `replay --together` does) and the inline calls (at the times the scenario gives them;
 * `speed` and `at` move tapes only). They are merged by time into one gateway run.
 */
import { tapeEventBatches, tapeStart } from "../replay/replay.js";
import type { ReplayEvent, ReplayOptions } from "../replay/types.js";
import type { TapeWarning } from "../tape/reader.js";
import type { InlineCall } from "./types.js";

/** Inline calls (already in time order) as the events a gateway reacts to, in one batch. */
export async function* inlineEvents(calls: readonly InlineCall[], file: string): AsyncGenerator<ReplayEvent[]> {
  yield [...inlineEventList(calls, file)];
}

function* inlineEventList(calls: readonly InlineCall[], file: string): Generator<ReplayEvent> {
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
export async function tapeStreams(tapes: readonly string[], options: ReplayOptions, onWarning: (w: TapeWarning) => void): Promise<AsyncIterable<ReplayEvent[]>[]> {
  if (tapes.length === 0) return [];
  const starts = await Promise.all(tapes.map((tape) => tapeStart(tape)));
  const start = Math.min(...starts);
  return tapes.map((tape) => tapeEventBatches(tape, start, options, onWarning));
}
