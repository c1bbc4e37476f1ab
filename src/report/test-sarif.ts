/**
 * `test --format sarif`: a failed expectation is an error at its place in the scenario file,
 * a scenario that could not run an error at its file:line:col.
 */
import type { TestRun } from "../scenario/types.js";
import { sarifLog, type SarifResult } from "./sarif.js";
import { failureDetails } from "./test-detail.js";
import type { TestRenderer } from "./test-renderer.js";

const RULES = [
  { id: "expectation-failed", description: "A scenario expected a decision or count the policy does not give" },
  { id: "scenario-error", description: "A scenario file, or its policy or tapes, could not be read" },
];

export const testSarif: TestRenderer = (run: TestRun) => {
  const results: SarifResult[] = [];
  for (const r of run.results) {
    for (const f of r.failures) {
      const text = [`${r.scenario.name}: ${f.subject}: ${f.message}`, ...failureDetails(f)].join("\n");
      results.push({ ruleId: "expectation-failed", level: "error", message: text, at: f.at });
    }
  }
  for (const e of run.errored) results.push({ ruleId: "scenario-error", level: "error", message: `${e.name}: could not run: ${e.message}`, at: e.at });
  return sarifLog(RULES, results);
};
