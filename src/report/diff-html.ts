/**
 * `diff --format html`: the replay page's layout for two policies. Each tool has a base lane
 * and a head lane on one time axis, so a call's two decisions sit one above the other; a
 * changed call is highlighted across both. No counter charts: the diff has two sets of
 * counters and the question it answers is which calls changed.
 */
import type { Decision } from "../engine/types.js";
import { groupsInOrder, kindsInOrder, type ChangeCount } from "../diff/totals.js";
import type { DiffedCall } from "../diff/types.js";
import type { DiffEnd, DiffMeta, DiffRenderer } from "./diff-renderer.js";
import { htmlPage } from "./html/page.js";
import { argsText, TimelineCollector } from "./html/timeline.js";
import { iso } from "./replay-renderer.js";

function side(name: string, d: Decision): [string, string][] {
  return [
    [`${name} decision`, d.decision],
    [`${name} rule`, d.rule ?? "(none)"],
    [`${name} message`, d.message ?? "(none)"],
    ...(d.errors ?? []).map((e): [string, string] => [`${name} evaluation error`, e]),
  ];
}

function callFields(call: DiffedCall): [string, string][] {
  return [
    ["change", call.change ?? "none"],
    ...(call.counterfactual ? [["after divergence", "an earlier call of this session changed"] as [string, string]] : []),
    ...side("base", call.base),
    ...side("head", call.head),
    ["session", call.session],
    ["seq", String(call.seq)],
    ["time", iso(call.t)],
    ["tape", `${call.tape}:${call.line}`],
  ];
}

function countRow(name: string, c: ChangeCount): (string | number)[] {
  return [name, c.changed, c.direct, c.counterfactual, kindsInOrder(c).map(([k, n]) => `${k} ${n}`).join(", ")];
}

export function diffHtml(): DiffRenderer {
  let meta: DiffMeta;
  const timeline = new TimelineCollector(["base", "head"]);
  return {
    start: (m) => {
      meta = m;
      return "";
    },
    call: (call) => {
      const d = [call.base.decision, call.head.decision];
      const [b, h] = [call.base, call.head];
      const rule = b.rule === h.rule ? h.rule ?? "" : `${b.rule ?? "(none)"} → ${h.rule ?? "(none)"}`;
      timeline.add(call.t, call.tool, d, call.change !== null, (cap) => ({ fields: callFields(call), args: argsText(call.args, cap), rule, msg: h.message ?? b.message ?? "" }));
      return "";
    },
    end: ({ totals }: DiffEnd) => {
      const s = totals.summary;
      const columns = ["changed", "direct", "after divergence", "changes"];
      const data = {
        kind: "diff",
        title: "mcptape diff",
        meta: [["base", meta.base], ["head", meta.head], ["tapes", meta.tapes.join(", ")]],
        cards: [
          { label: "calls", value: s.calls },
          { label: "changed", value: s.changed, kind: "changed" },
          { label: "direct", value: s.direct },
          { label: "after divergence", value: s.counterfactual },
          { label: "loosened", value: s.loosened, kind: "allow" },
        ],
        changedLegend: "decided differently by base and head",
        notes: meta.warnings,
        tables: [
          { title: "Changes by kind", columns: ["change", "calls", "direct", "after divergence"], rows: kindsOf(totals.byKind) },
          { title: "Changes by tool", columns: ["tool", ...columns], rows: groupsInOrder(totals.byTool).map(([k, c]) => countRow(k, c)) },
          { title: "Changes by rule", columns: ["rule (base → head)", ...columns], rows: groupsInOrder(totals.byRule).map(([k, c]) => countRow(k, c)) },
        ],
        timeline: timeline.data(() => [], [], [], 0),
      };
      return htmlPage(`mcptape diff: ${meta.base} → ${meta.head}`, data);
    },
  };
}

function kindsOf(byKind: Map<string, ChangeCount>): (string | number)[][] {
  return groupsInOrder(byKind).map(([k, c]) => [k, c.changed, c.direct, c.counterfactual]);
}

