/**
 * `replay --format json`: one object, `{"decisions": [...], "summary": {...}}`, with a fixed
 * key order and one decision a line, so the same tapes and policy give the same bytes.
 * Decisions come first so the output streams; the summary is only known at the end.
 */
import type { DecidedCall } from "../replay/types.js";
import { iso, type ReplayEnd, type ReplayRenderer } from "./replay-renderer.js";

export function jsonDecision(call: DecidedCall): Record<string, unknown> {
  return {
    session: call.session,
    seq: call.seq,
    t: iso(call.t),
    tool: call.tool,
    decision: call.decision.decision,
    ...(call.decision.approved ? { approved: true } : {}),
    rule: call.decision.rule,
    message: call.decision.message,
    recorded: call.recorded?.decision ?? null,
    ...(call.decision.errors ? { errors: call.decision.errors } : {}),
  };
}

export function replayJson(): ReplayRenderer {
  return {
    start: () => '{"decisions": [',
    call: (call, index) => (index === 0 ? "\n" : ",\n") + JSON.stringify(jsonDecision(call)),
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
