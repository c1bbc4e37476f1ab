/**
 * `test --format github`: an error annotation per scenario that could not run and per failed
 * expectation, at its line in the scenario file, and a notice with the totals that says how
 * many errors or warnings are beyond the 10 of each GitHub annotates in a step.
 */
import type { TestRun } from "../scenario/types.js";
import { ghAnnotation } from "./escape.js";
import { plural } from "./verdict.js";
import { ANNOTATIONS_PER_KIND } from "./github-groups.js";
import { failureDetails, runHeadline } from "./test-detail.js";
import type { TestRenderer } from "./test-renderer.js";

export const testGithub: TestRenderer = (run: TestRun) => {
  // A scenario that could not run comes first: GitHub shows only the first few errors of a step.
  const errors = run.errored.map((e) => ghAnnotation("error", e.at, `${e.name}: could not run`, e.message));
  for (const r of run.results) {
    for (const f of r.failures) errors.push(ghAnnotation("error", f.at, `${r.scenario.name}: ${f.subject}`, [f.message, ...failureDetails(f)].join("\n")));
  }
  const warnings = run.warnings.map(warningAnnotation);
  const beyond = [[errors.length, "error"], [warnings.length, "warning"]] as const;
  const unshown = beyond.filter(([n]) => n > ANNOTATIONS_PER_KIND).map(([n, kind]) => plural(n - ANNOTATIONS_PER_KIND, `more ${kind}`));
  // GitHub annotates the first ANNOTATIONS_PER_KIND of each kind; the rest are only in the log.
  const headline = runHeadline(run) + (unshown.length > 0 ? `; ${unshown.join(" and ")} than GitHub annotates (${ANNOTATIONS_PER_KIND} a step) are in the log` : "");
  return [...errors, ...warnings, ghAnnotation("notice", undefined, "mcptape test", headline)].join("\n") + "\n";
};

/** A warning that starts with its place (`file:line[:col]: `) is annotated there, so GitHub shows it on that line. */
function warningAnnotation(warning: string): string {
  const m = /^(.+?):(\d+)(?::(\d+))?: (.*)$/s.exec(warning);
  if (!m) return ghAnnotation("warning", undefined, "mcptape test", warning);
  return ghAnnotation("warning", { file: m[1]!, line: Number(m[2]), ...(m[3] ? { col: Number(m[3]) } : {}) }, "mcptape test", m[4]!);
}
