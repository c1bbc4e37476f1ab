/**
 * `diff --format sarif`: a result per change and deciding rule (as `--format github` groups
 * them), at the rule's line and column in the head policy, else the base policy. The SARIF
 * rule is the change kind (`deny->allow`); a change the run fails on is an error, a loosening
 * a warning, any other change a note.
 */
import { CHANGE_KINDS, changeLabel, isLoosening, type ChangeKind } from "../diff/change-kind.js";
import { count } from "./diff-headline.js";
import { groupingDiffRenderer } from "./diff-github.js";
import type { DiffRenderer } from "./diff-renderer.js";
import { sarifLog, type SarifLevel } from "./sarif.js";

export function diffSarif(): DiffRenderer {
  return groupingDiffRenderer((groups) => {
    const list = groups.list();
    const used = new Set(list.map((g) => g.kind));
    const rules = CHANGE_KINDS.filter((k) => used.has(k)).map((k) => ({ id: k, description: `A call's decision changed: ${changeLabel(k)}` }));
    const results = list.map((g) => {
      const level: SarifLevel = g.level === "error" ? "error" : isLoosening(g.kind as ChangeKind) ? "warning" : "note";
      return { ruleId: g.kind, level, message: `${g.title}: ${count(g.calls)} call${g.calls === 1 ? "" : "s"} (first: ${g.first}): ${g.message}`, at: g.at };
    });
    return sarifLog(rules, results);
  });
}
