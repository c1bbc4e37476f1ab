/** Markdown reports stay under GitHub's 65,000 characters however much there is to say. */
import { describe, expect, it } from "vitest";
import type { DecidedCall } from "../../src/replay/types.js";
import { emptySummary } from "../../src/replay/types.js";
import { TotalsCounter } from "../../src/replay/totals.js";
import { MARKDOWN_LIMIT } from "../../src/report/markdown-budget.js";
import { replayMarkdown } from "../../src/report/replay-markdown.js";
import { testMarkdown } from "../../src/report/test-markdown.js";
import type { ScenarioResult, TestRun } from "../../src/scenario/types.js";
import { DEFAULT_REPLAY_OPTIONS } from "../../src/replay/types.js";

function failingScenario(i: number): ScenarioResult {
  const at = { file: `scenarios/area-${i}.yaml`, line: 1, col: 1 };
  const scenario = { name: `scenario number ${i} with a long descriptive name that says what it pins down`, at, policy: { kind: "file", path: "p.yaml", at }, tapes: [], calls: [], options: DEFAULT_REPLAY_OPTIONS, expectCalls: [] };
  const failures = Array.from({ length: 3 }, (_, j) => ({ at: { ...at, line: 10 + j }, subject: `call ${j + 1}`, message: `decision: expected deny, got allow ${"x".repeat(200)}` }));
  return { scenario, calls: [], summary: emptySummary(), checks: 3, failures, durationMs: 0, gateway: "intercept" } as ScenarioResult;
}

function deniedCall(i: number, message: string): DecidedCall {
  return {
    session: "s1", seq: i, t: Date.parse("2026-01-01T00:00:00Z") + i, tool: "write_file", args: {},
    decision: { decision: "deny", rule: "no writes", message, reservations: [], counters: [] },
    recorded: null, outcome: "ok", changed: false, tape: "t.jsonl", line: i,
  };
}

describe("markdown size", () => {
  it("test: thousands of failing scenarios stay under the limit, the note counting what was left out", () => {
    const run: TestRun = { files: [], results: Array.from({ length: 3000 }, (_, i) => failingScenario(i)), errored: [], warnings: [] };
    const md = testMarkdown(run);
    expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(md).toMatch(/Left out to stay under GitHub's comment size: .* and \d+ more\./);
  });

  it("replay: one very long message does not push the other refused calls out of the table", () => {
    const r = replayMarkdown();
    const counter = new TotalsCounter();
    r.start({ policy: "p.yaml", tapes: ["t.jsonl"], failOn: new Set(), warnings: [] });
    const calls = [deniedCall(1, "y".repeat(100_000)), ...Array.from({ length: 20 }, (_, i) => deniedCall(i + 2, "short"))];
    calls.forEach((c, i) => {
      counter.add(c);
      r.call(c, i);
    });
    const md = r.end({ totals: counter.totals });
    expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(md).not.toContain("more rows not shown");
    expect(md.match(/\| \*\*deny\*\* \|/g)).toHaveLength(21);
  });
});
