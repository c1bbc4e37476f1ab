/**
 * `diff --format markdown`: for a pull-request comment or `$GITHUB_STEP_SUMMARY`. A headline,
 * a table per group (change, tool, rule), then the changed calls and the policy's textual diff
 * folded in <details>. Stays under GitHub's 65,000 characters by dropping whole sections
 * (MarkdownBudget). Keeps at most a few thousand changed calls in memory; the rest are counted.
 */
import { changeLabel, changeOrder, isLoosening, type ChangeKind } from "../diff/change-kind.js";
import { MAX_PATCH_EDITS } from "../diff/policy-patch.js";
import { groupsInOrder, type ChangeCount, type DiffTotals } from "../diff/totals.js";
import type { DecisionSide } from "../diff/types.js";
import { sideOf } from "../diff/types.js";
import { mdCell, mdCode } from "./escape.js";
import { count, diffHeadline, directLine, kindList, sideText } from "./diff-headline.js";
import { originOf } from "../diff/divergence.js";
import { diffFails, gatewaysLine, type DiffMeta, type DiffRenderer } from "./diff-renderer.js";
import { boundedTable, MarkdownBudget } from "./markdown-budget.js";
import { iso } from "./replay-renderer.js";
import { clip } from "./table.js";
import { DEFAULT_VIEW, listsDiffCall } from "./list-view.js";

const KEEP = 5_000;
/** The calls table gets at most this much, so the policy diff after it still has room. */
const CALLS_BUDGET = 40_000;
const CELL = 160;

interface KeptCall {
  index: number;
  t: number;
  session: string;
  tool: string;
  change: ChangeKind;
  base: DecisionSide;
  head: DecisionSide;
  counterfactual: boolean;
}

export function diffMarkdown(): DiffRenderer {
  let meta: DiffMeta;
  const kept: KeptCall[] = [];
  let listed = 0;
  return {
    changesOnly: true,
    start(m) {
      meta = m;
      return "";
    },
    call(call, index) {
      if (call.change === null || !listsDiffCall(meta.view ?? DEFAULT_VIEW, call)) return "";
      if (listed++ >= KEEP) return "";
      kept.push({
        index,
        t: call.t,
        session: call.session,
        tool: call.tool,
        change: call.change,
        base: sideOf(call.base),
        head: sideOf(call.head),
        counterfactual: call.counterfactual,
      });
      return "";
    },
    end({ totals }) {
      return renderDiffMarkdown(meta, totals, kept, listed);
    },
  };
}

function renderDiffMarkdown(meta: DiffMeta, totals: DiffTotals, kept: KeptCall[], listed: number): string {
  const md = new MarkdownBudget();
  const s = totals.summary;
  md.add(headerSection(meta, totals));
  if (meta.warnings.length) md.add(meta.warnings.map((w) => `> warning: ${mdCell(w)}`).join("\n") + "\n", "warnings");
  if (totals.byKind.size > 0) {
    const rows = [...totals.byKind]
      .sort(([a], [b]) => changeOrder(a) - changeOrder(b))
      .map(([kind, c]) => [isLoosening(kind) ? `**${changeLabel(kind)}**` : changeLabel(kind), ...countCells(c)]);
    md.add(`### By change\n\n${table(["change", "calls", "direct", "after divergence"], rows)}\n`, "the table by change");
  }
  if (totals.byTool.size > 0) {
    md.add(`### By tool\n\n${table(["tool", "changed", "direct", "after divergence", "changes"], groupRows(totals.byTool, true))}\n`, "the table by tool");
  }
  if (totals.byRule.size > 0) {
    md.add(`### By rule (base → head)\n\n${table(["rule", "changed", "direct", "after divergence", "changes"], groupRows(totals.byRule, false))}\n`, "the table by rule");
  }
  if (kept.length > 0) {
    const rows = kept.map((k) => [
      String(k.index + 1),
      iso(k.t),
      mdCode(clip(k.session, 40)),
      mdCode(k.tool),
      changeLabel(k.change),
      sideCell(k.base),
      sideCell(k.head),
      originOf(k),
    ]);
    const { text } = boundedTable(["#", "time", "session", "tool", "change", "base", "head", "origin"], rows, Math.min(CALLS_BUDGET, md.remaining - 300));
    const of = listed < s.changed ? ` of ${count(s.changed)}, --only` : "";
    const more = listed > kept.length ? `, first ${count(kept.length)} kept` : "";
    md.add(`<details><summary>Changed calls (${count(listed)}${of}${more})</summary>\n\n${text}\n\n</details>\n`, "the list of changed calls");
  }
  if (meta.patch) md.add(patchSection(meta.patch, totals), "the policy diff");
  else if (meta.patch === null) md.add(`> The policy diff is too large to show here (more than ${count(MAX_PATCH_EDITS)} changed lines).\n`);
  return md.toString();
}

function headerSection(meta: DiffMeta, totals: DiffTotals): string {
  const s = totals.summary;
  let verdict = s.changed === 0 ? ":white_check_mark:" : ":warning:";
  if (diffFails(meta, totals)) {
    verdict = meta.failOnLoosen && s.loosened > 0
      ? `:x: ${count(s.loosened)} refused call${s.loosened === 1 ? "" : "s"} now allowed (--fail-on-loosen)`
      : ":x: decisions changed (--fail-on-change)";
  }
  const lines = [
    `## mcptape diff: ${mdCode(meta.base)} → ${mdCode(meta.head)}`,
    "",
    `**${diffHeadline(s)}** ${verdict}`,
    "",
  ];
  const tapes = `${meta.tapes.length} tape${meta.tapes.length === 1 ? "" : "s"}`;
  if (s.changed > 0) {
    lines.push(`Over ${tapes}, ${directLine(s)}`, "");
  } else {
    lines.push(`Replayed ${tapes} through both policies.`, "");
  }
  if (meta.gateways) lines.push(mdCell(gatewaysLine(meta.gateways)), "");
  return lines.join("\n");
}

function patchSection(patch: string, totals: DiffTotals): string {
  const fence = "`".repeat(Math.max(3, longestRun(patch, "`") + 1));
  const lines = ["<details><summary>Policy diff</summary>", ""];
  const base = [...totals.rules.base].sort();
  const head = [...totals.rules.head].sort();
  if (base.length + head.length > 0) {
    lines.push(`Rules deciding changed calls: base ${ruleList(base)}; head ${ruleList(head)}.`, "");
  }
  lines.push(`${fence}diff`, patch.replace(/\n$/, ""), fence, "", "</details>");
  return lines.join("\n") + "\n";
}

function ruleList(ids: string[]): string {
  return ids.length === 0 ? "none" : ids.map((id) => mdCode(id)).join(", ");
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

function sideCell(d: DecisionSide): string {
  const text = d.message ? `${sideText(d)}: ${d.message}` : sideText(d);
  return mdCell(clip(text, CELL));
}

function groupRows(map: Map<string, ChangeCount>, code: boolean): string[][] {
  return groupsInOrder(map).map(([name, c]) => [code ? mdCode(name) : mdCell(name), ...countCells(c), kindList(c)]);
}

function countCells(c: ChangeCount): string[] {
  return [count(c.changed), count(c.direct), count(c.counterfactual)];
}

/** A whole table: the budget adds it or drops it, never half of it. */
function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => " --- ").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}
