/**
 * Workflow annotations a reviewer can act on: one per rule (not one per call), at the rule's
 * line in the policy file, with how many calls it covers. GitHub shows at most
 * ANNOTATIONS_PER_KIND errors and as many warnings per step, so the groups with the most calls
 * get annotations, the rest are listed in the log, and every group goes to the step summary
 * ($GITHUB_STEP_SUMMARY, when the step has one).
 */
import { appendFileSync } from "node:fs";
import { InputError, type Position } from "../errors.js";
import { unreadable } from "../files.js";
import type { Policy } from "../policy/model.js";
import { count } from "./diff-headline.js";
import { ghAnnotation, mdCell, mdCode } from "./escape.js";

/**
 * "10 warning annotations, 10 error annotations, and 10 notice annotations per step"
 * (actions/toolkit docs/problem-matchers.md, "Limitations", commit 457303960f03375db6f033e214b9f90d79c3fe5c).
 */
export const ANNOTATIONS_PER_KIND = 10;

export type Level = "error" | "warning";

export interface GroupInfo {
  /** `deny by no rm`: the annotation's title and the summary's first column. */
  title: string;
  /** The message the calls got (the first call's), shown once. */
  message: string;
  /** The rule's place in the policy, else the first call's tape line. */
  at: Position;
  /** `tape.jsonl:12`, the first call of the group. */
  first: string;
  /** What the calls have in common beyond the rule (sarif's rule id): `deny`, `deny->allow`. */
  kind: string;
}

export interface Group extends GroupInfo {
  level: Level;
  calls: number;
}

/** Where each rule of a policy is written, by rule id. */
export function rulePositions(policy: Policy | undefined): Map<string, Position> {
  const at = new Map<string, Position>();
  if (!policy) return at;
  for (const rule of [...[...policy.tools.values()].flatMap((t) => t.rules), ...policy.wildcard]) {
    if (rule.pos && !at.has(rule.id)) at.set(rule.id, rule.pos);
  }
  return at;
}

export class AnnotationGroups {
  private readonly groups = new Map<string, Group>();

  /** Counts a call in its group; `info` is asked for the first call of a group only. */
  add(key: string, level: Level, info: () => GroupInfo): void {
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { ...info(), level, calls: 0 }));
    g.calls++;
    if (level === "error") g.level = "error";
  }

  /** Errors first, then most calls first. */
  list(): Group[] {
    return [...this.groups.values()].sort((a, b) => (a.level === b.level ? b.calls - a.calls || (a.title < b.title ? -1 : 1) : a.level === "error" ? -1 : 1));
  }

  /** The annotations (most calls first, capped per level), a notice with the headline, then the groups left over as log lines. */
  render(command: string, headline: string, summaryFile = process.env.GITHUB_STEP_SUMMARY): string {
    const groups = this.list();
    const out: string[] = [];
    const shown = { error: 0, warning: 0 };
    const rest: Group[] = [];
    for (const g of groups) {
      if (shown[g.level] >= ANNOTATIONS_PER_KIND) {
        rest.push(g);
        continue;
      }
      shown[g.level]++;
      out.push(ghAnnotation(g.level, g.at, `${g.title} (${count(g.calls)} call${g.calls === 1 ? "" : "s"})`, `${g.message} (first: ${g.first})`));
    }
    const more = rest.length > 0 ? `; ${rest.length} more rule${rest.length === 1 ? "" : "s"} beyond GitHub's ${ANNOTATIONS_PER_KIND} annotations per kind per step are listed below${summaryFile ? " and in the step summary" : ""}` : "";
    out.push(ghAnnotation("notice", undefined, `mcptape ${command}`, headline + more));
    for (const g of rest) out.push(`${g.level}: ${g.title}: ${count(g.calls)} call${g.calls === 1 ? "" : "s"} at ${place(g.at)} (first: ${g.first})`);
    if (summaryFile && groups.length > 0) appendSummary(summaryFile, summaryMarkdown(command, headline, groups));
    return out.join("\n") + "\n";
  }
}

/** The step summary is the runner's file: one it cannot take is said (exit 2), not an internal error. */
function appendSummary(file: string, text: string): void {
  try {
    appendFileSync(file, text);
  } catch (err) {
    throw new InputError(`cannot write the step summary $GITHUB_STEP_SUMMARY (${file}): ${unreadable(err)}`, undefined, "check the runner's disk, or unset GITHUB_STEP_SUMMARY to leave the table out");
  }
}

function place(at: Position): string {
  return [at.file, at.line, at.col].filter((p) => p !== undefined).join(":");
}

function summaryMarkdown(command: string, headline: string, groups: Group[]): string {
  const rows = groups.map((g) => `| ${g.level} | ${mdCell(g.title)} | ${count(g.calls)} | ${mdCode(place(g.at))} | ${mdCell(g.first)} |`);
  return [`### mcptape ${command}: ${mdCell(headline)}`, "", "| level | rule | calls | where | first call |", "| --- | --- | --- | --- | --- |", ...rows, "", ""].join("\n");
}
