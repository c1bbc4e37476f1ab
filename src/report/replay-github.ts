/**
 * `replay --format github`: an annotation per deciding rule at its line in the policy, with the
 * number of calls it refused (an error when those calls fail the run, else a warning); calls
 * no rule decided (default deny, a hidden tool) are grouped by tool at the first call's tape line.
 */
import { AnnotationGroups, rulePositions } from "./github-groups.js";
import { failsOn, messageWithErrors, type ReplayMeta, type ReplayRenderer } from "./replay-renderer.js";
import { headline } from "./replay-text.js";

export function replayGithub(): ReplayRenderer {
  let meta: ReplayMeta;
  let rules = rulePositions(undefined);
  const groups = new AnnotationGroups();
  return {
    start(m) {
      meta = m;
      rules = rulePositions(m.policyModel);
      return "";
    },
    call(call) {
      const d = call.decision;
      const failing = failsOn(call, meta.failOn);
      if (d.decision === "allow" && !failing) return "";
      const kind = d.decision;
      const key = d.rule !== null ? `${kind}\u0000rule\u0000${d.rule}` : `${kind}\u0000tool\u0000${call.tool}`;
      groups.add(key, failing ? "error" : "warning", () => {
        const pos = d.rule !== null ? rules.get(d.rule) : undefined;
        return {
          title: d.rule !== null ? `${kind} by ${d.rule}` : `${call.tool}: ${kind}`,
          message: messageWithErrors(d) || d.decision,
          at: pos ?? { file: call.tape, line: call.line },
          first: `${call.tape}:${call.line} (${call.tool})`,
          kind,
        };
      });
      return "";
    },
    end({ totals }) {
      return groups.render("replay", headline(totals.summary));
    },
  };
}
