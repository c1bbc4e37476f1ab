/**
 * `replay --format json`: one object, `{"decisions": [...], "summary": {...}}`, with a fixed
 * key order and one decision a line, so the same tapes and policy give the same bytes.
 * Decisions come first so the output streams; the summary is only known at the end.
 */
import type { DecidedCall } from "../replay/types.js";
import { callTime, type ReplayEnd, type ReplayRenderer, type SplitCalls } from "./replay-renderer.js";

/**
 * The JSON text of strings that come back call after call (sessions, tools, rules, messages):
 * quoted once, then looked up. Held to MAX_QUOTED strings, so a tape of a million sessions
 * costs no more memory than one of ten.
 */
class QuotedStrings {
  private readonly quoted = new Map<string, string>();

  of(s: string): string {
    let q = this.quoted.get(s);
    if (q === undefined) {
      if (this.quoted.size >= MAX_QUOTED) this.quoted.clear();
      q = JSON.stringify(s);
      this.quoted.set(s, q);
    }
    return q;
  }
}

const MAX_QUOTED = 1024;

/**
 * One decision as a JSON object, written field by field: what JSON.stringify makes of
 * `{session, seq, t, tool, decision, approved?, rule, message, recorded, errors?}` (a rule or
 * message that is undefined is left out, as JSON.stringify leaves it out), without building
 * the object first: this runs once per call of tapes with millions of them.
 */
function jsonDecision(call: DecidedCall, q: QuotedStrings): string {
  const d = call.decision;
  let out = `{"session":${q.of(call.session)},"seq":${JSON.stringify(call.seq)},"t":"${callTime(call)}","tool":${q.of(call.tool)},"decision":${q.of(d.decision)}`;
  if (d.approved) out += `,"approved":true`;
  if (d.rule !== undefined) out += `,"rule":${d.rule === null ? "null" : q.of(d.rule)}`;
  if (d.message !== undefined) out += `,"message":${d.message === null ? "null" : q.of(d.message)}`;
  const recorded = call.recorded?.decision;
  out += `,"recorded":${recorded === undefined ? "null" : q.of(recorded)}`;
  if (d.errors) out += `,"errors":${JSON.stringify(d.errors)}`;
  return out + "}";
}

/** Encodes a worker's lines; each encode() makes a buffer of its own, which the main thread takes over (a transfer) instead of a copy of the text. */
const UTF8 = new TextEncoder();

/** A batch's lines each after ",\n", as UTF-8; the run's very first loses its comma. */
function splitCalls(quoted: QuotedStrings): SplitCalls<Uint8Array> {
  return {
    render(calls) {
      let out = "";
      for (const call of calls) out += ",\n" + jsonDecision(call, quoted);
      return UTF8.encode(out);
    },
    place: (batch, first) => (first === 0 ? batch.subarray(1) : batch),
  };
}

export function replayJson(): ReplayRenderer {
  const quoted = new QuotedStrings();
  return {
    start: () => '{"decisions": [',
    call: (call, index) => (index === 0 ? "\n" : ",\n") + jsonDecision(call, quoted),
    split: splitCalls(quoted) as SplitCalls,
    end: ({ totals, coverage }: ReplayEnd) => {
      const s = totals.summary;
      const summary = { calls: s.calls, allow: s.allow, deny: s.deny, throttle: s.throttle, approval: s.approval, undecided: s.undecided, changed: s.changed };
      const tail: Record<string, unknown> = { summary };
      if (coverage) tail.coverage = coverage;
      const body = JSON.stringify(tail, null, 2).slice(1, -1);
      return `${totals.summary.calls > 0 ? "\n" : ""}],${body}}\n`;
    },
  };
}
