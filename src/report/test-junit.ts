/**
 * `test --format junit`: a test suite per scenario file, a test case per scenario, and a
 * `<failure>` per expectation that did not hold (CI systems show each one).
 */
import { passed, type ScenarioResult, type TestRun } from "../scenario/types.js";
import { xml } from "./escape.js";
import { failureDetails, failureHeadline, runCounts } from "./test-detail.js";
import type { TestRenderer } from "./test-renderer.js";

export const testJunit: TestRenderer = (run: TestRun) => {
  const byFile = new Map<string, ScenarioResult[]>();
  for (const r of run.results) {
    const list = byFile.get(r.scenario.at.file) ?? [];
    list.push(r);
    byFile.set(r.scenario.at.file, list);
  }
  const c = runCounts(run);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="mcptape test" tests="${c.scenarios}" failures="${c.failed}" errors="0" time="${seconds(run.results)}">`];
  for (const [file, results] of byFile) {
    const failures = results.filter((r) => !passed(r)).length;
    out.push(`  <testsuite name="${xml(file)}" tests="${results.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(results)}">`);
    for (const r of results) {
      const open = `    <testcase classname="${xml(file)}" name="${xml(r.scenario.name)}" file="${xml(file)}" line="${r.scenario.at.line}" time="${seconds([r])}"`;
      if (passed(r)) {
        out.push(`${open}/>`);
        continue;
      }
      out.push(`${open}>`);
      for (const f of r.failures) {
        const body = [failureHeadline(f), ...failureDetails(f)].join("\n");
        out.push(`      <failure message="${xml(`${f.subject}: ${f.message}`)}" type="expectation">${xml(body)}</failure>`);
      }
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
