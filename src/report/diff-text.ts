/**
 * `diff --format text`: a line per changed call as it streams, then the summary grouped by
 * kind, tool and rule. Unchanged calls are counted, not listed (json lists every call); the
 * column header comes with the first listed change, so a diff with none prints no empty table.
 */
import type { ChalkInstance } from "chalk";
import { changeLabel, changeOrder, type ChangeKind } from "../diff/change-kind.js";
import { groupsInOrder, type ChangeCount } from "../diff/totals.js";
import type { DiffedCall } from "../diff/types.js";
import { count, diffHeadline, directLine, kindList, sideText } from "./diff-headline.js";
import { diffFails, gatewaysLine, type DiffEnd, type DiffMeta, type DiffRenderer } from "./diff-renderer.js";
import { iso } from "./replay-renderer.js";
import { paintDecision } from "./style.js";
import { clip, table } from "./table.js";
import { DEFAULT_VIEW, listsDiffCall, type ListView } from "./list-view.js";

const W = { n: 6, time: 24, session: 16, tool: 24, change: 24 };

export function diffText(style: ChalkInstance, toTerminal = false): DiffRenderer {
  let meta: DiffMeta;
  let view: ListView = DEFAULT_VIEW;
  let fit = (s: string, _width: number) => s;
  let headed = false;
  const paint = (kind: ChangeKind, text: string) => paintChange(style, kind, text);
  return {
    changesOnly: true,
    start(m) {
      meta = m;
      view = m.view ?? DEFAULT_VIEW;
      if (toTerminal && !view.wide) fit = clip;
      const tapes = `${m.tapes.length} tape${m.tapes.length === 1 ? "" : "s"}`;
      const title = style.bold(`Diffing ${tapes}: base ${m.base} → head ${m.head}`) + "\n";
      return m.gateways ? title + style.dim(gatewaysLine(m.gateways)) + "\n" : title;
    },
    call(call: DiffedCall, index) {
      if (call.change === null || !listsDiffCall(view, call)) return "";
      let out = "";
      if (!headed) {
        headed = true;
        const head = ["#".padStart(W.n), "time".padEnd(W.time), "session".padEnd(W.session), "tool".padEnd(W.tool), "change".padEnd(W.change), "base → head"];
        out = "\n" + style.dim(head.join("  ")) + "\n";
      }
      const label = changeLabel(call.change);
      const cells = [
        String(index + 1).padStart(W.n),
        iso(call.t).padEnd(W.time),
        fit(call.session, W.session).padEnd(W.session),
        fit(call.tool, W.tool).padEnd(W.tool),
        paint(call.change, label.padEnd(W.change)),
        // The same decision by the same rule is named once, then what its message became.
        call.change === "message changed" ? sideText(call.head) : `${sideText(call.base)} → ${sideText(call.head)}`,
      ];
      let line = cells.join("  ");
      if (call.change === "message changed") line += style.dim(`: ${quote(call.base.message)} → ${quote(call.head.message)}`);
      else if (call.head.message !== null && call.head.message !== call.base.message) line += style.dim(`: ${call.head.message}`);
      if (call.counterfactual) line += style.cyan("  (after divergence)");
      const errorLine = (side: string, e: string) => style.red(`${" ".repeat(W.n + 2)}${side} evaluation error: ${e}`) + "\n";
      const errors = [...(call.base.errors ?? []).map((e) => errorLine("base", e)), ...(call.head.errors ?? []).map((e) => errorLine("head", e))];
      return out + line + "\n" + errors.join("");
    },
    end({ totals }: DiffEnd) {
      const s = totals.summary;
      const out: string[] = ["", style.bold(diffHeadline(s, paint))];
      if (s.changed > 0) out.push(directLine(s));
      if (meta.failOnLoosen && s.loosened > 0) out.push(style.red(`${count(s.loosened)} refused call${s.loosened === 1 ? "" : "s"} now allowed (--fail-on-loosen)`));
      else if (diffFails(meta, totals)) out.push(style.red("decisions changed (--fail-on-change)"));
      for (const w of meta.warnings) out.push(style.yellow(`warning: ${w}`));
      if (totals.byKind.size > 0) {
        out.push("", style.bold("By change"));
        const rows = [["change", "calls", "direct", "after divergence"]];
        for (const [kind, c] of [...totals.byKind].sort(([a], [b]) => changeOrder(a) - changeOrder(b))) rows.push([changeLabel(kind), ...countCells(c)]);
        out.push(indent(table(rows, new Set([1, 2, 3]))));
      }
      for (const [title, map] of [["By tool", totals.byTool], ["By rule (base → head)", totals.byRule]] as const) {
        if (map.size === 0) continue;
        out.push("", style.bold(title));
        const rows = [[title === "By tool" ? "tool" : "rule", "changed", "direct", "after divergence", "changes"]];
        for (const [name, c] of groupsInOrder(map)) rows.push([name, ...countCells(c), kindList(c)]);
        out.push(indent(table(rows, new Set([1, 2, 3]))));
      }
      return out.join("\n") + "\n";
    },
  };
}

/** A change is coloured by what head decides; same-decision changes are neutral. */
export function paintChange(style: ChalkInstance, kind: ChangeKind, text: string): string {
  if (kind === "rule changed" || kind === "message changed") return style.cyan(text);
  const to = kind.slice(kind.indexOf("->") + 2) as "allow" | "deny" | "throttle" | "approval";
  return paintDecision(style, to, text);
}

function quote(message: string | null): string {
  return message === null ? "(no message)" : JSON.stringify(message);
}

function countCells(c: ChangeCount): string[] {
  return [count(c.changed), count(c.direct), count(c.counterfactual)];
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => "  " + l)
    .join("\n");
}
