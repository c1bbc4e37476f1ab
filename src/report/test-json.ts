/**
 * `test --format json`: `{"summary": {...}, "scenarios": [{name, file, line, passed, summary,
 * failures: [{file, line, col, subject, message, call?, expected?, counts?}]}]}`, keys in a
 * fixed order so the same suite gives the same bytes.
 */
import type { Failure, TestRun } from "../scenario/types.js";
import { passed } from "../scenario/types.js";
import { iso } from "./replay-renderer.js";
import { runCounts } from "./test-detail.js";
import type { TestRenderer } from "./test-renderer.js";

export const testJson: TestRenderer = (run: TestRun) => {
  const body = {
    summary: runCounts(run),
    scenarios: run.results.map((r) => ({
      name: r.scenario.name,
      file: r.scenario.at.file,
      line: r.scenario.at.line,
      passed: passed(r),
      summary: { ...r.summary },
      failures: r.failures.map(jsonFailure),
    })),
    errored: run.errored.map((e) => ({ name: e.name, file: e.at.file, line: e.at.line, col: e.at.col, message: e.message })),
    warnings: run.warnings,
  };
  return JSON.stringify(body, null, 2) + "\n";
};

function jsonFailure(f: Failure): Record<string, unknown> {
  const out: Record<string, unknown> = { file: f.at.file, line: f.at.line, col: f.at.col, subject: f.subject, message: f.message };
  if (f.call) {
    const c = f.call.decided;
    out.call = {
      index: f.call.index,
      session: c.session,
      seq: c.seq,
      t: iso(c.t),
      tool: c.tool,
      args: c.args,
      identity: c.identity ?? null,
      source: `${c.tape}:${c.line}`,
      decision: c.decision.decision,
      rule: c.decision.rule,
      message: c.decision.message,
      counters: c.decision.counters,
    };
  }
  if (f.expected) out.expected = f.expected;
  if (f.counts) out.counts = f.counts;
  return out;
}
