/**
 * `test --format github`: an error annotation per scenario that could not run and per failed
 * expectation, at its line in the scenario file, and a notice with the totals that says how
 * many errors or warnings are beyond the 10 of each GitHub annotates in a step.
 */
import type { TestRun } from "../scenario/types.js";
import { ghData, ghProperty } from "./escape.js";
import { ANNOTATIONS_PER_KIND } from "./github-groups.js";
import { failureDetails, runHeadline } from "./test-detail.js";
import type { TestRenderer } from "./test-renderer.js";

export const testGithub: TestRenderer = (run: TestRun) => {
  // A scenario that could not run comes first: GitHub shows only the first few errors of a step.
  const errors = run.errored.map((e) => `::error file=${ghProperty(e.at.file)},line=${e.at.line},col=${e.at.col},title=${ghProperty(`${e.name}: could not run`)}::${ghData(e.message)}`);
  for (const r of run.results) {
    for (const f of r.failures) {
      const title = `${r.scenario.name}: ${f.subject}`;
      const text = [f.message, ...failureDetails(f)].join("\n");
      errors.push(`::error file=${ghProperty(f.at.file)},line=${f.at.line},col=${f.at.col},title=${ghProperty(title)}::${ghData(text)}`);
    }
  }
  const warnings = run.warnings.map(warningAnnotation);
  const beyond = [[errors.length, "error"], [warnings.length, "warning"]] as const;
  const unshown = beyond.filter(([n]) => n > ANNOTATIONS_PER_KIND).map(([n, kind]) => `${n - ANNOTATIONS_PER_KIND} more ${kind}${n - ANNOTATIONS_PER_KIND === 1 ? "" : "s"}`);
  // GitHub annotates the first ANNOTATIONS_PER_KIND of each kind; the rest are only in the log.
  const headline = runHeadline(run) + (unshown.length > 0 ? `; ${unshown.join(" and ")} than GitHub annotates (${ANNOTATIONS_PER_KIND} a step) are in the log` : "");
  return [...errors, ...warnings, `::notice title=mcptape test::${ghData(headline)}`].join("\n") + "\n";
};

/** A warning that starts with its place (`file:line[:col]: `) is annotated there, so GitHub shows it on that line. */
function warningAnnotation(warning: string): string {
  const m = /^(.+?):(\d+)(?::(\d+))?: (.*)$/s.exec(warning);
  if (!m) return `::warning title=mcptape test::${ghData(warning)}`;
  const where = [`file=${ghProperty(m[1]!)}`, `line=${m[2]}`, ...(m[3] ? [`col=${m[3]}`] : [])].join(",");
  return `::warning ${where},title=mcptape test::${ghData(m[4]!)}`;
}
