/**
 * `test --format markdown`: for a pull-request comment or `$GITHUB_STEP_SUMMARY`. The verdict,
 * every failure with its details, then the table of all scenarios, folded; kept under
 * GitHub's comment size by dropping whole sections, failures first kept.
 */
import { passed, type TestRun } from "../scenario/types.js";
import { mdCell, mdCode } from "./escape.js";
import { boundedTable, MarkdownBudget } from "./markdown-budget.js";
import { failureDetails, failureHeadline, runCounts, runFailed, runHeadline, scenarioPlace } from "./test-detail.js";
import type { TestRenderer } from "./test-renderer.js";

export const testMarkdown: TestRenderer = (run: TestRun) => {
  const md = new MarkdownBudget();
  const c = runCounts(run);
  const verdict = runFailed(c) ? ":x:" : ":white_check_mark:";
  md.add(`## mcptape test ${verdict}\n\n**${runHeadline(run)}**\n`);
  for (const e of run.errored) {
    md.add(`### :boom: ${mdCell(e.name)} (could not run)\n\n\`\`\`text\n${e.message.replace(/```/g, "'''")}\n\`\`\`\n`, `the error of ${e.name}`);
  }
  const failing = run.results.filter((r) => !passed(r));
  for (const r of failing) {
    const lines = [`### :x: ${mdCell(r.scenario.name)}`, "", mdCode(scenarioPlace(r)), ""];
    for (const f of r.failures) {
      lines.push(`- **${mdCell(failureHeadline(f))}**`, "", "  ```text", ...failureDetails(f).map((l) => `  ${l.replace(/```/g, "'''")}`), "  ```", "");
    }
    md.add(lines.join("\n"), `the failures of ${r.scenario.name}`);
  }
  const rows = run.results.map((r) => [passed(r) ? ":white_check_mark:" : ":x:", mdCell(r.scenario.name), mdCode(scenarioPlace(r)), String(r.summary.calls), String(r.failures.length)]);
  const { text } = boundedTable(["", "scenario", "file", "calls", "failures"], rows, md.remaining - 200);
  md.add(`<details><summary>All scenarios (${c.scenarios})</summary>\n\n${text}\n\n</details>\n`, "the table of scenarios");
  if (run.warnings.length > 0) md.add(run.warnings.map((w) => `> warning: ${mdCell(w)}`).join("\n") + "\n", "warnings");
  return md.toString();
};
