/** The tools of a starter policy: classified, grouped by class (in class order), recorded order kept within. */
import type { ToolInfo } from "../tape/tools.js";
import { RISK_CLASSES, type Classification, type RiskClass } from "./classes.js";
import { classifyTool } from "./classify.js";

export interface StarterEntry {
  tool: ToolInfo;
  classification: Classification;
}

export function starterEntries(tools: ToolInfo[]): StarterEntry[] {
  const entries = tools.filter((t) => t.name !== "*").map((tool) => ({ tool, classification: classifyTool(tool) }));
  const rank = (c: RiskClass) => RISK_CLASSES.indexOf(c);
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e.classification.class) - rank(b.e.classification.class) || a.i - b.i)
    .map(({ e }) => e);
}

/** `14 tools: 9 Read, 2 Write, 3 Destructive` (classes with no tool left out). */
export function classSummary(entries: StarterEntry[]): string {
  const counts = RISK_CLASSES.map((c) => [c, entries.filter((e) => e.classification.class === c).length] as const).filter(([, n]) => n > 0);
  return `${entries.length} tool${entries.length === 1 ? "" : "s"}: ${counts.map(([c, n]) => `${n} ${c}`).join(", ")}`;
}

/** A description as one comment line: first line only, spaces collapsed, cut at `max`. */
export function oneLine(text: string | undefined, max = 100): string {
  const line = (text ?? "").split(/\r?\n/).find((l) => l.trim() !== "")?.replace(/\s+/g, " ").trim() ?? "";
  return line.length <= max ? line : line.slice(0, max - 1) + "…";
}
