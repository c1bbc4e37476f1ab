/**
 * `test --format junit`: a test suite per scenario file, a test case per scenario, one
 * `<failure>` listing every expectation that did not hold (its message names the first and how
 * many more), and an `<error>` case for each file or scenario that could not run.
 */
import { passed, type Errored, type ScenarioResult, type TestRun } from "../scenario/types.js";
import { xml } from "./escape.js";
import { plural } from "./verdict.js";
import { failureDetails, failureHeadline, runCounts } from "./test-detail.js";
import type { TestRenderer } from "./test-renderer.js";

export const testJunit: TestRenderer = (run: TestRun) => {
  const byFile = new Map<string, { results: ScenarioResult[]; errored: Errored[] }>();
  const suite = (file: string) => {
    let s = byFile.get(file);
    if (!s) byFile.set(file, (s = { results: [], errored: [] }));
    return s;
  };
  for (const r of run.results) suite(r.scenario.at.file).results.push(r);
  for (const e of run.errored) suite(e.at.file).errored.push(e);
  const c = runCounts(run);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="mcptape test" tests="${c.scenarios + c.errored}" failures="${c.failed}" errors="${c.errored}" time="${seconds(run.results)}">`];
  for (const [file, { results, errored }] of byFile) {
    const failures = results.filter((r) => !passed(r)).length;
    out.push(`  <testsuite name="${xml(file)}" tests="${results.length + errored.length}" failures="${failures}" errors="${errored.length}" skipped="0" time="${seconds(results)}">`);
    for (const r of results) {
      const open = `    <testcase classname="${xml(file)}" name="${xml(r.scenario.name)}" file="${xml(file)}" line="${r.scenario.at.line}" time="${seconds([r])}"`;
      if (passed(r)) {
        out.push(`${open}/>`);
        continue;
      }
      out.push(`${open}>`);
      // One <failure> with every expectation that did not hold: readers differ on a second one (some keep only the first).
      const [first, ...more] = r.failures;
      const message = `${first!.subject}: ${first!.message}${more.length > 0 ? ` (and ${plural(more.length, "more expectation")})` : ""}`;
      const body = r.failures.map((f) => [failureHeadline(f), ...failureDetails(f)].join("\n")).join("\n\n");
      out.push(`      <failure message="${xml(message)}" type="expectation">${xml(body)}</failure>`);
      out.push("    </testcase>");
    }
    for (const e of errored) {
      out.push(`    <testcase classname="${xml(file)}" name="${xml(e.name)}" file="${xml(e.at.file)}" line="${e.at.line}" time="0.000">`);
      out.push(`      <error message="${xml(e.message)}" type="input">${xml(e.message)}</error>`);
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
};

function seconds(results: readonly ScenarioResult[]): string {
  return (results.reduce((n, r) => n + r.durationMs, 0) / 1000).toFixed(3);
}
