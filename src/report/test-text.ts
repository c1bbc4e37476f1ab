/** `test --format text`: a line per scenario, each failure with its call and counters, a total. */
import type { ChalkInstance } from "chalk";
import { passed, type TestRun } from "../scenario/types.js";
import { failureDetails, failureHeadline, runCounts, runFailed, runHeadline, scenarioPlace } from "./test-detail.js";
import type { TestRenderer } from "./test-renderer.js";

export function testText(style: ChalkInstance): TestRenderer {
  return (run: TestRun) => {
    const out: string[] = [];
    for (const r of run.results) {
      const ok = passed(r);
      const mark = ok ? style.green("PASS") : style.red("FAIL");
      const calls = `${r.summary.calls} call${r.summary.calls === 1 ? "" : "s"}`;
      out.push(`${mark}  ${r.scenario.name}  ${style.dim(`${scenarioPlace(r)}, ${calls}`)}`);
      for (const f of r.failures) {
        out.push(`  ${style.red("✗")} ${failureHeadline(f)}`);
        for (const line of failureDetails(f)) out.push(`      ${line}`);
      }
    }
    for (const e of run.errored) out.push(`${style.red("ERROR")}  ${e.name}  ${e.message}`);
    out.push("");
    for (const w of run.warnings) out.push(style.yellow(`warning: ${w}`));
    const c = runCounts(run);
    out.push(style.bold(runFailed(c) ? style.red(runHeadline(run)) : style.green(runHeadline(run))));
    return out.join("\n") + "\n";
  };
}
