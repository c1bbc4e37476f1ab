/**
 * `replay --format json`: one object, `{"decisions": [...], "summary": {...}}`, with a fixed
 * key order and one decision a line, so the same tapes and policy give the same bytes.
 * Decisions come first so the output streams; the summary is only known at the end.
 */
import type { DecidedCall } from "../replay/types.js";
import { callTime, type ReplayEnd, type ReplayRenderer, type SplitCalls } from "./replay-renderer.js";

/**
 * One decision as a JSON object, written field by field: what JSON.stringify makes of
 * `{session, seq, t, tool, decision, approved?, rule, message, recorded, errors?}` (a rule or
 * message that is undefined is left out, as JSON.stringify leaves it out), without building
 * the object first: this runs once per call of tapes with millions of them.
 */
function jsonDecision(call: DecidedCall): string {
  const d = call.decision;
  let out = `{"session":${JSON.stringify(call.session)},"seq":${JSON.stringify(call.seq)},"t":"${callTime(call)}","tool":${JSON.stringify(call.tool)},"decision":${JSON.stringify(d.decision)}`;
  if (d.approved) out += `,"approved":true`;
  if (d.rule !== undefined) out += `,"rule":${JSON.stringify(d.rule)}`;
  if (d.message !== undefined) out += `,"message":${JSON.stringify(d.message)}`;
  out += `,"recorded":${JSON.stringify(call.recorded?.decision ?? null)}`;
  if (d.errors) out += `,"errors":${JSON.stringify(d.errors)}`;
  return out + "}";
}

/** A batch's lines each after ",\n"; the run's very first loses its comma. */
const split: SplitCalls<string> = {
  render(calls) {
    let out = "";
    for (const call of calls) out += ",\n" + jsonDecision(call);
    return out;
  },
  place: (batch, first) => (first === 0 ? batch.slice(1) : batch),
};

export function replayJson(): ReplayRenderer {
  return {
    start: () => '{"decisions": [',
    call: (call, index) => (index === 0 ? "\n" : ",\n") + jsonDecision(call),
    split: split as SplitCalls,
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
