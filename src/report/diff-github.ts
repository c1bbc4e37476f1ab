/**
 * `diff --format github`: an annotation per change and deciding rule, at that rule's line in
 * the head policy (else the base policy's, for a rule head no longer has; else, for a policy
 * read from git, the first call's tape line), with its count.
 * A change the run fails on (`--fail-on-change`, or a loosening under `--fail-on-loosen`) is
 * an error, any other a warning.
 */
import { changeLabel, isLoosening } from "../diff/change-kind.js";
import type { DiffTotals } from "../diff/totals.js";
import type { DiffedCall } from "../diff/types.js";
import type { Position } from "../errors.js";
import { diffHeadline, sideText } from "./diff-headline.js";
import type { DiffMeta, DiffRenderer } from "./diff-renderer.js";
import { AnnotationGroups, rulePositions, type Level } from "./github-groups.js";

/** Collects a diff's changes into groups by change and rules (github and sarif). */
export class DiffGroups extends AnnotationGroups {
  private base = new Map<string, Position>();
  private head = new Map<string, Position>();
  private meta: Pick<DiffMeta, "failOnChange" | "failOnLoosen"> = { failOnChange: false, failOnLoosen: false };

  start(meta: DiffMeta): void {
    this.meta = meta;
    this.base = rulePositions(meta.policies?.base);
    this.head = rulePositions(meta.policies?.head);
  }

  /** A change the run fails on is an error, any other a warning. */
  levelOf(call: DiffedCall): Level {
    return this.meta.failOnChange || (this.meta.failOnLoosen && isLoosening(call.change)) ? "error" : "warning";
  }

  addCall(call: DiffedCall): void {
    const kind = call.change;
    if (kind === null) return;
    const rule = call.head.rule ?? call.base.rule;
    const key = `${kind}\u0000${call.base.rule ?? ""}\u0000${call.head.rule ?? ""}${rule === null ? `\u0000${call.tool}` : ""}`;
    this.add(key, this.levelOf(call), () => ({
      title: `${changeLabel(kind)}: ${sideText(call.base)} → ${sideText(call.head)}`,
      message: call.head.message ?? call.base.message ?? call.head.decision,
      at: (call.head.rule !== null ? this.head.get(call.head.rule) : undefined) ?? (call.base.rule !== null ? this.base.get(call.base.rule) : undefined) ?? { file: call.tape, line: call.line },
      first: `${call.tape}:${call.line} (${call.tool})`,
      kind,
    }));
  }
}

/** A diff renderer that only groups the changes and writes them all at the end. */
export function groupingDiffRenderer(end: (groups: DiffGroups, totals: DiffTotals) => string): DiffRenderer {
  const groups = new DiffGroups();
  return {
    changesOnly: true,
    start(m) {
      groups.start(m);
      return "";
    },
    call(call) {
      groups.addCall(call);
      return "";
    },
    end: ({ totals }) => end(groups, totals),
  };
}

export function diffGithub(): DiffRenderer {
  return groupingDiffRenderer((groups, totals) => groups.render("diff", diffHeadline(totals.summary)));
}
