/**
 * The inline calls of a scenario as an event stream. The scenario's tapes come from replay's
 * `tapeStreams` (all on one clock, as `replay --together`); inline calls keep the times the
 * scenario gives them (`speed` and `at` move tapes only). All are merged into one gateway run.
 */
import type { ReplayEvent } from "../replay/types.js";
import type { InlineCall } from "./types.js";

/** Inline calls (already in time order) as the events a gateway reacts to, in one batch. */
export async function* inlineEvents(calls: readonly InlineCall[], file: string): AsyncGenerator<ReplayEvent[]> {
  yield [...inlineEventList(calls, file)];
}

function* inlineEventList(calls: readonly InlineCall[], file: string): Generator<ReplayEvent> {
  const identities = new Map<string, string>();
  for (const c of calls) {
    // The gateway learns a session's identity (and its claims) from a session line before its first call.
    if ((c.identity !== undefined && identities.get(c.session) !== c.identity) || c.claims !== undefined) {
      if (c.identity !== undefined) identities.set(c.session, c.identity);
      yield { type: "session", t: c.t, session: c.session, identity: identities.get(c.session), ...(c.claims ? { claims: c.claims } : {}) };
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

