/**
 * `test --format github`: an error annotation per failed expectation, at the expectation's
 * line in the scenario file, and a notice with the totals.
 */
import type { TestRun } from "../scenario/types.js";
import { ghData, ghProperty } from "./escape.js";
import { failureDetails, runHeadline } from "./test-detail.js";
import type { TestRenderer } from "./test-renderer.js";

export const testGithub: TestRenderer = (run: TestRun) => {
  const out: string[] = [];
  for (const r of run.results) {
    for (const f of r.failures) {
      const title = `${r.scenario.name}: ${f.subject}`;
      const text = [f.message, ...failureDetails(f)].join("\n");
      out.push(`::error file=${ghProperty(f.at.file)},line=${f.at.line},col=${f.at.col},title=${ghProperty(title)}::${ghData(text)}`);
    }
  }
  for (const e of run.errored) {
    out.push(`::error file=${ghProperty(e.at.file)},line=${e.at.line},col=${e.at.col},title=${ghProperty(`${e.name}: could not run`)}::${ghData(e.message)}`);
  }
  for (const w of run.warnings) out.push(warningAnnotation(w));
  out.push(`::notice title=mcptape test::${ghData(runHeadline(run))}`);
  return out.join("\n") + "\n";
};

/** A warning that starts with its place (`file:line[:col]: `) is annotated there, so GitHub shows it on that line. */
function warningAnnotation(warning: string): string {
  const m = /^(.+?):(\d+)(?::(\d+))?: (.*)$/s.exec(warning);
  if (!m) return `::warning title=mcptape test::${ghData(warning)}`;
  const where = [`file=${ghProperty(m[1]!)}`, `line=${m[2]}`, ...(m[3] ? [`col=${m[3]}`] : [])].join(",");
  return `::warning ${where},title=mcptape test::${ghData(m[4]!)}`;
}
