/**
 * `diff --format json`: every call with both decisions, then the summary. Fixed key order and
 * one call a line, so the same tapes and policies give the same bytes. Calls come first so the
 * output streams; the summary is only known at the end.
 */
import { changeOrder } from "../diff/change-kind.js";
import { sideOf, type DiffedCall } from "../diff/types.js";
import type { DiffRenderer } from "./diff-renderer.js";
import { iso } from "./replay-renderer.js";

export function jsonDiffedCall(call: DiffedCall): Record<string, unknown> {
  return {
    session: call.session,
    seq: call.seq,
    t: iso(call.t),
    tool: call.tool,
    base: sideOf(call.base),
    head: sideOf(call.head),
    changed: call.change !== null,
    counterfactual: call.counterfactual,
  };
}

export function diffJson(): DiffRenderer {
  return {
    start: () => '{"decisions": [',
    call: (call, index) => (index === 0 ? "\n" : ",\n") + JSON.stringify(jsonDiffedCall(call)),
    end: ({ totals }) => {
      const s = totals.summary;
      const changes: Record<string, number> = {};
      for (const [kind, n] of [...s.kinds].sort(([a], [b]) => changeOrder(a) - changeOrder(b))) changes[kind] = n;
      const summary = { calls: s.calls, changed: s.changed, direct: s.direct, counterfactual: s.counterfactual, changes };
      const body = JSON.stringify({ summary }, null, 2).slice(1, -1);
      return `${s.calls > 0 ? "\n" : ""}],${body}}\n`;
    },
  };
}
