/**
 * `replay --format html`: one self-contained page with a timeline per tool (a mark per call
 * coloured by its decision, rate-limit window boundaries, counter levels against their
 * limits), the summary tables, and each call's detail on a click. Everything is collected in
 * `call()` with bounded memory (see html/timeline.ts) and the page is written by `end()`.
 */
import { DECISION_KINDS } from "../engine/types.js";
import type { DecidedCall } from "../replay/types.js";
import { CounterLevels } from "./html/counter-levels.js";
import { htmlPage } from "./html/page.js";
import { argsText, TimelineCollector } from "./html/timeline.js";
import { iso, type ReplayEnd, type ReplayMeta, type ReplayRenderer } from "./replay-renderer.js";

function callFields(call: DecidedCall): [string, string][] {
  const d = call.decision;
  const fields: [string, string][] = [
    ["decision", d.decision],
    ["rule", d.rule ?? "(none)"],
    ["message", d.message ?? "(none)"],
    ["recorded", call.recorded?.decision ?? "unknown"],
  ];
  for (const e of d.errors ?? []) fields.push(["evaluation error", e]);
  if (call.changed) fields.push(["changed", "the recording shows a different decision"]);
  fields.push(["session", call.session], ["seq", String(call.seq)]);
  if (call.identity !== undefined) fields.push(["identity", call.identity]);
  fields.push(["time", iso(call.t)], ["outcome", call.outcome ?? "unanswered"], ["tape", `${call.tape}:${call.line}`]);
  for (const c of d.counters) fields.push(["counter", `${c.key}: ${c.value}${c.limit === undefined ? "" : ` of ${c.limit}`}`]);
  return fields;
}

export function replayHtml(): ReplayRenderer {
  let meta: ReplayMeta;
  let levels: CounterLevels | undefined;
  const timeline = new TimelineCollector(["decision"]);
  return {
    start: (m) => {
      meta = m;
      if (m.policyModel && m.options) levels = new CounterLevels(m.policyModel, m.options, m.tapes.length > 1);
      return "";
    },
    call: (call) => {
      const d = call.decision;
      timeline.add(call.t, call.tool, [d.decision], call.changed, (cap) => ({
        fields: callFields(call), args: argsText(call.args, cap), rule: d.rule ?? "", msg: d.message ?? "",
        ...(call.changed && call.recorded ? { was: call.recorded.decision } : {}),
      }));
      levels?.add(call);
      return "";
    },
    end: ({ totals, coverage }: ReplayEnd) => {
      const s = totals.summary;
      const tables = [
        {
          title: "By tool",
          columns: ["tool", "calls", ...DECISION_KINDS, "changed"],
          rows: [...totals.byTool.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([tool, t]) => [tool, t.calls, ...DECISION_KINDS.map((k) => t[k]), t.changed]),
        },
        {
          title: "By rule",
          columns: ["rule", ...DECISION_KINDS],
          rows: [...totals.byRule.values()].sort((a, b) => a.rule.localeCompare(b.rule)).map((r) => [r.rule, ...DECISION_KINDS.map((k) => r.counts[k])]),
        },
      ];
      if (coverage) {
        tables.push({
          title: `Rule coverage: ${coverage.exercised} of ${coverage.rules} (${coverage.percent}%)`,
          columns: ["rule that decided no call"],
          rows: coverage.unexercised.map((r) => [r]),
        });
      }
      const data = {
        kind: "replay",
        title: "mcptape replay",
        meta: [
          ["policy", meta.policy],
          ["tapes", meta.tapes.join(", ")],
          ...(meta.options ? [["window", meta.options.window], ["gateway", meta.options.together ? "one for all tapes" : "one per tape"]] : []),
        ],
        cards: [
          { label: "calls", value: s.calls },
          ...DECISION_KINDS.map((k) => ({ label: k, value: s[k], kind: k })),
          { label: "changed", value: s.changed, kind: "changed" },
        ],
        changedLegend: "differs from the recorded decision",
        notes: meta.warnings,
        tables,
        timeline: timeline.data((tool) => levels?.toolWindows(tool) ?? [], levels?.toolWindows() ?? [], levels?.charts() ?? [], levels?.untracked ?? 0),
      };
      return htmlPage(`mcptape replay: ${meta.policy}`, data);
    },
  };
}
