/**
 * `replay --format text`: a line per call, coloured by decision, then the summary by tool and
 * by rule. Call lines stream with fixed column widths (cut to fit a terminal unless `--wide`);
 * the summary tables size to fit. Past LONG_RUN calls only the calls that matter are listed
 * unless `--all`, so a day's tape prints a summary and its refusals, not every allow.
 */
import type { ChalkInstance } from "chalk";
import { DECISION_KINDS, type DecisionKind } from "../engine/types.js";
import type { Summary } from "../replay/types.js";
import { callTime, failsOn, type ReplayEnd, type ReplayMeta, type ReplayRenderer, type SplitCalls } from "./replay-renderer.js";
import type { DecidedCall } from "../replay/types.js";
import { paintDecision } from "./style.js";
import { clip, table } from "./table.js";
import { DEFAULT_VIEW, listsReplayCall, LONG_RUN, mattersInReplay, type ListView } from "./list-view.js";
import { count } from "./diff-headline.js";

// decision: 9, the width of "undecided", the longest word the cell holds.
const W = { n: 6, time: 24, session: 16, tool: 28, decision: 9, rule: 24 };

/** A batch of text lines from a worker: each listed call's line without its number, and where it is in the batch. */
interface TextBatch {
  count: number;
  at: number[];
  matters: boolean[];
  lines: string[];
}

export function replayText(style: ChalkInstance, toTerminal = false): ReplayRenderer {
  let meta: ReplayMeta;
  let view: ListView = DEFAULT_VIEW;
  let fit = (s: string, _width: number) => s;
  let headed = false;
  /** Past LONG_RUN calls only those that matter are listed. */
  const cutsLongRuns = () => !view.all && !view.only;
  const notice = () => style.dim(`… more than ${count(LONG_RUN)} calls: from here only refused, approval, undecided and changed calls are listed (--all lists every call)`) + "\n";
  /** A listed call's line after its number: everything that does not depend on its place in the run. */
  const lineOf = (call: DecidedCall): string => {
    const d = call.decision;
    const kind = d.decision;
    const mark = failsOn(call, meta.failOn) ? style.bold("!") : " ";
    let recorded = "";
    if (call.changed && call.recorded) recorded = style.cyan(`  (recorded: ${call.recorded.decision})`);
    const cells = [
      mark,
      callTime(call).padEnd(W.time),
      fit(call.session, W.session).padEnd(W.session),
      fit(call.tool, W.tool).padEnd(W.tool),
      paintDecision(style, kind, (d.approved ? `${kind} (approved)` : kind).padEnd(W.decision)),
      fit(d.rule ?? "", W.rule).padEnd(W.rule),
      (d.message ?? "") + recorded,
    ];
    const errors = (d.errors ?? []).map((e) => style.red(`${" ".repeat(W.n + 1)}evaluation error: ${e}\n`));
    return cells.join("  ").trimEnd() + "\n" + errors.join("");
  };
  /** A listed call at `index`: the notice at LONG_RUN, the head before the first line, then its numbered line if shown. */
  const placed = (index: number, matters: boolean, line: () => string): string => {
    let out = "";
    if (cutsLongRuns() && index >= LONG_RUN) {
      if (index === LONG_RUN) out += notice();
      if (!matters) return out;
    }
    if (!headed) {
      headed = true;
      const head = ["#".padStart(W.n - 1) + " ", "time".padEnd(W.time), "session".padEnd(W.session), "tool".padEnd(W.tool), "decision".padEnd(W.decision), "rule".padEnd(W.rule), "message"];
      out = "\n" + style.dim(head.join("  ").trimEnd()) + "\n" + out;
    }
    return out + String(index + 1).padStart(W.n - 1) + line();
  };
  const split: SplitCalls<TextBatch> = {
    render(calls, local) {
      const batch: TextBatch = { count: calls.length, at: [], matters: [], lines: [] };
      calls.forEach((call, k) => {
        if (!listsReplayCall(view, call)) return;
        const matters = mattersInReplay(call);
        // Its index in the run is at least local + k: past LONG_RUN there, only a call that matters can be shown.
        if (cutsLongRuns() && local + k >= LONG_RUN && !matters) return;
        batch.at.push(k);
        batch.matters.push(matters);
        batch.lines.push(lineOf(call));
      });
      return batch;
    },
    place(batch, first) {
      // The notice comes at call LONG_RUN even when the worker did not send that call (not shown).
      let notePending = !view.quiet && cutsLongRuns() && first <= LONG_RUN && LONG_RUN < first + batch.count;
      let out = "";
      batch.at.forEach((k, j) => {
        const index = first + k;
        if (notePending && index >= LONG_RUN) {
          notePending = false;
          if (index > LONG_RUN) out += notice();
        }
        out += placed(index, batch.matters[j]!, () => batch.lines[j]!);
      });
      return notePending ? out + notice() : out;
    },
  };
  return {
    start(m) {
      meta = m;
      view = m.view ?? DEFAULT_VIEW;
      // Only a terminal is narrow: piped or written to a file, every id and name stays whole.
      if (toTerminal && !view.wide) fit = clip;
      return style.bold(`Replaying ${m.tapes.length} tape${m.tapes.length === 1 ? "" : "s"} through ${m.policy}`) + "\n";
    },
    call(call, index) {
      if (!listsReplayCall(view, call)) return "";
      return placed(index, mattersInReplay(call), () => lineOf(call));
    },
    split: split as SplitCalls,
    end({ totals, coverage, coverageThreshold }: ReplayEnd) {
      const s = totals.summary;
      const out: string[] = [""];
      out.push(style.bold(headline(s, style)));
      for (const w of meta.warnings) out.push(style.yellow(`warning: ${w}`));
      if (totals.byTool.size > 0) {
        out.push("", style.bold("By tool"));
        const rows = [["tool", "calls", ...DECISION_KINDS, "changed"]];
        for (const [tool, t] of [...totals.byTool].sort(([a], [b]) => (a < b ? -1 : 1))) rows.push([tool, ...countCells(t)]);
        out.push(indent(table(rows, new Set([1, 2, 3, 4, 5, 6, 7]))));
      }
      if (totals.byRule.size > 0) {
        out.push("", style.bold("By rule"));
        const rows = [["rule", "deny", "throttle", "approval", "undecided"]];
        for (const r of [...totals.byRule.values()].sort((a, b) => (a.rule < b.rule ? -1 : 1))) {
          rows.push([r.rule, String(r.counts.deny), String(r.counts.throttle), String(r.counts.approval), String(r.counts.undecided)]);
        }
        out.push(indent(table(rows, new Set([1, 2, 3, 4]))));
      }
      if (coverage) {
        out.push("", style.bold(`Coverage: ${coverage.exercised} of ${coverage.rules} rules decided a call (${coverage.percent}%)`));
        if (coverageThreshold !== undefined && coverage.percent < coverageThreshold) {
          out.push(style.red(`  below the threshold of ${coverageThreshold}%`));
        }
        for (const id of coverage.unexercised) out.push(`  rule decided no call: ${id}`);
        for (const tool of coverage.toolsWithoutRules) out.push(`  tool called with no rule of its own: ${tool}`);
        for (const tool of coverage.unreachableTools ?? []) out.push(`  tool no permit can reach: ${tool}`);
        for (const h of coverage.hiddenFromToolsList ?? []) out.push(`  tool the gateway hides from tools/list: ${h.tool} (from ${h.from.join(", ")})`);
      }
      return out.join("\n") + "\n";
    },
  };
}

export function headline(s: Summary, style?: ChalkInstance): string {
  // `undecided` shows only when there are such calls (imported audit logs).
  const parts = DECISION_KINDS.filter((k) => k !== "undecided" || s.undecided > 0).map((k: DecisionKind) => {
    const text = `${s[k]} ${k}`;
    return style && s[k] > 0 ? paintDecision(style, k, text) : text;
  });
  const changed = s.changed > 0 ? `; ${s.changed} changed from the recording` : "";
  return `${s.calls} call${s.calls === 1 ? "" : "s"}: ${parts.join(", ")}${changed}`;
}

function countCells(t: Summary): string[] {
  return [String(t.calls), ...DECISION_KINDS.map((k) => String(t[k])), String(t.changed)];
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => "  " + l)
    .join("\n");
}
