/**
 * `diff --format github`: an annotation per change and deciding rule, at that rule's line in
 * the head policy (else the base policy's, for a rule head no longer has), with its count.
 * A change the run fails on (`--fail-on-change`, or a loosening under `--fail-on-loosen`) is
 * an error, any other a warning.
 */
import { changeLabel, isLoosening } from "../diff/change-kind.js";
import { diffHeadline, sideText } from "./diff-headline.js";
import type { DiffMeta, DiffRenderer } from "./diff-renderer.js";
import { AnnotationGroups, rulePositions } from "./github-groups.js";

export function diffGithub(): DiffRenderer {
  let meta: DiffMeta;
  let base = rulePositions(undefined);
  let head = rulePositions(undefined);
  const groups = new AnnotationGroups();
  return {
    start(m) {
      meta = m;
      base = rulePositions(m.policies?.base);
      head = rulePositions(m.policies?.head);
      return "";
    },
    call(call) {
      const kind = call.change;
      if (kind === null) return "";
      const failing = meta.failOnChange || (meta.failOnLoosen && isLoosening(kind));
      const rule = call.head.rule ?? call.base.rule;
      const key = `${kind}\u0000${call.base.rule ?? ""}\u0000${call.head.rule ?? ""}${rule === null ? `\u0000${call.tool}` : ""}`;
      groups.add(key, failing ? "error" : "warning", () => ({
        title: `${changeLabel(kind)}: ${sideText(call.base)} → ${sideText(call.head)}`,
        message: call.head.message ?? call.base.message ?? call.head.decision,
        at: (call.head.rule !== null ? head.get(call.head.rule) : undefined) ?? (call.base.rule !== null ? base.get(call.base.rule) : undefined) ?? { file: call.tape, line: call.line },
        first: `${call.tape}:${call.line} (${call.tool})`,
      }));
      return "";
    },
    end({ totals }) {
      return groups.render("diff", diffHeadline(totals.summary));
    },
  };
}
