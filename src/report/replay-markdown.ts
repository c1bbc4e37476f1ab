/**
 * `replay --format markdown`: for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
 * A headline, counts by tool, then every call that was not allowed or changed, folded.
 * Keeps at most a few thousand interesting calls in memory; the rest are only counted.
 */
import { DECISION_KINDS } from "../engine/types.js";
import type { DecidedCall } from "../replay/types.js";
import { mdCell, mdCode } from "./escape.js";
import { boundedTable, MarkdownBudget } from "./markdown-budget.js";
import { failsOn, iso, messageWithErrors, type ReplayMeta, type ReplayRenderer } from "./replay-renderer.js";
import { headline } from "./replay-text.js";
import { clip } from "./table.js";
import { DEFAULT_VIEW, listsReplayCall, mattersInReplay } from "./list-view.js";

const KEEP = 5_000;
/** Longest rule or message shown in a cell, so one long message cannot crowd out the rest. */
const CELL = 160;

export function replayMarkdown(): ReplayRenderer {
  let meta: ReplayMeta;
  const interesting: { call: DecidedCall; index: number }[] = [];
  let failing = 0;
  return {
    start(m) {
      meta = m;
      return "";
    },
    call(call, index) {
      if (failsOn(call, meta.failOn)) failing++;
      if (mattersInReplay(call) && listsReplayCall(meta.view ?? DEFAULT_VIEW, call) && interesting.length < KEEP) interesting.push({ call, index });
      return "";
    },
    end({ totals, coverage }) {
      const md = new MarkdownBudget();
      const s = totals.summary;
      const verdict = failing > 0 ? `:x: ${failing} call${failing === 1 ? "" : "s"} hit --fail-on` : ":white_check_mark:";
      md.add(`## mcptape replay: ${mdCell(meta.policy)}\n\n**${headline(s)}** ${verdict}\n`);
      const toolRows = [...totals.byTool]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([tool, t]) => [mdCode(tool), String(t.calls), ...DECISION_KINDS.map((k) => String(t[k])), String(t.changed)]);
      if (toolRows.length > 0) md.add(`### By tool\n\n${boundedTable(["tool", "calls", ...DECISION_KINDS, "changed"], toolRows, Math.min(20_000, md.remaining)).text}\n`, "the table by tool");
      if (interesting.length > 0) {
        const rows = interesting.map(({ call, index }) => [
          String(index + 1),
          iso(call.t),
          mdCode(call.tool),
          `**${call.decision.decision}**${call.changed ? ` (was ${call.recorded?.decision})` : ""}`,
          mdCell(clip(call.decision.rule ?? "", CELL)),
          mdCell(clip(messageWithErrors(call.decision), CELL)),
        ]);
        const { text } = boundedTable(["#", "time", "tool", "decision", "rule", "message"], rows, md.remaining - 200);
        md.add(`<details><summary>Calls not allowed or changed (${interesting.length}${interesting.length === KEEP ? "+" : ""})</summary>\n\n${text}\n\n</details>\n`, "the list of calls");
      }
      if (coverage) {
        const lines = [`### Coverage: ${coverage.exercised} of ${coverage.rules} rules decided a call (${coverage.percent}%)`, ""];
        for (const id of coverage.unexercised) lines.push(`- rule decided no call: ${mdCell(id)}`);
        for (const tool of coverage.toolsWithoutRules) lines.push(`- tool called with no rule of its own: ${mdCode(tool)}`);
        for (const tool of coverage.unreachableTools ?? []) lines.push(`- tool no permit can reach: ${mdCode(tool)}`);
        for (const h of coverage.hiddenFromToolsList ?? []) lines.push(`- tool the gateway hides from tools/list: ${mdCode(h.tool)} (from ${mdCell(h.from.join(", "))})`);
        md.add(lines.join("\n") + "\n", "coverage");
      }
      if (meta.warnings.length) md.add(meta.warnings.map((w) => `> warning: ${mdCell(w)}`).join("\n") + "\n", "warnings");
      return md.toString();
    },
  };
}
