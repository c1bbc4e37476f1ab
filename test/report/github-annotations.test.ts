/**
 * `--format github` for replay and diff: one annotation per rule at the rule's line in the
 * policy, with its call count, at most GitHub's 10 per kind per step (actions/toolkit
 * docs/problem-matchers.md, "Limitations"), the rest in the log and in $GITHUB_STEP_SUMMARY.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { fixture } from "../diff/helpers.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ANNOTATIONS_PER_KIND } from "../../src/report/github-groups.js";

interface Annotation {
  level: string;
  file: string;
  line: number;
  title: string;
}

function annotations(text: string): Annotation[] {
  return [...text.matchAll(/^::(error|warning) file=([^,]+),line=(\d+),col=\d+,title=([^:]+)::/gm)].map((m) => ({
    level: m[1]!,
    file: m[2]!,
    line: Number(m[3]),
    title: decodeURIComponent(m[4]!.replace(/%2C/g, ",")),
  }));
}

/** The text of a policy file at a line, to check an annotation points where the rule is written. */
function lineOf(file: string, line: number): string {
  return readFileSync(file, "utf8").split("\n")[line - 1]!;
}

const savedSummary = process.env.GITHUB_STEP_SUMMARY;
afterEach(() => {
  if (savedSummary === undefined) delete process.env.GITHUB_STEP_SUMMARY;
  else process.env.GITHUB_STEP_SUMMARY = savedSummary;
});

describe("replay --format github", () => {
  it("writes one annotation per rule at the rule's name in the policy, with the calls it decided", async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    const r = await runCli(["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml", "--format", "github", "--fail-on", "deny"]);
    const json = JSON.parse((await runCli(["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml", "--format", "json"])).stdout) as { decisions: { decision: string; rule: string | null }[] };
    const list = annotations(r.stdout);
    const refusedRules = new Set(json.decisions.filter((d) => d.decision !== "allow").map((d) => d.rule));
    expect(list).toHaveLength(refusedRules.size);
    for (const a of list) {
      expect(a.file).toBe("fixtures/policies/demo.yaml");
      const rule = /by (.+) \(\d+ calls?\)$/.exec(a.title)![1]!;
      expect(lineOf(a.file, a.line)).toContain(`name: "${rule}"`);
      const calls = json.decisions.filter((d) => d.rule === rule && d.decision !== "allow").length;
      expect(a.title).toContain(`(${calls} call${calls === 1 ? "" : "s"})`);
      // --fail-on deny makes denials errors; the rest stay warnings.
      expect(a.level).toBe(a.title.startsWith("deny") ? "error" : "warning");
    }
    expect(list.find((a) => a.title.startsWith("throttle by echo rate limit"))?.title).toContain("(4 calls)");
  });
});

describe("diff --format github", () => {
  const args = ["diff", fixture("kinds.jsonl"), "--base", fixture("base.yaml"), "--head", fixture("head.yaml"), "--format", "github"];

  it("keeps to GitHub's annotations per step, says how many rules are left, and puts every rule in the step summary", async () => {
    const summary = join(tempDir("gh-summary"), "summary.md");
    process.env.GITHUB_STEP_SUMMARY = summary;
    const r = await runCli(args);
    expect(r.code).toBe(0);
    const list = annotations(r.stdout);
    expect(list.filter((a) => a.level === "warning")).toHaveLength(ANNOTATIONS_PER_KIND);
    const groupRows = readFileSync(summary, "utf8").split("\n").filter((l) => /^\| warning \|/.test(l));
    const left = groupRows.length - ANNOTATIONS_PER_KIND;
    expect(left).toBeGreaterThan(0);
    expect(r.stdout).toContain(`; ${left} more rules beyond GitHub's 10 annotations per kind per step are listed below and in the step summary`);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("warning: "))).toHaveLength(left);
    // Every changed call is counted once across the groups.
    const json = JSON.parse((await runCli([...args.slice(0, -2), "--format", "json"])).stdout) as { summary: { changed: number } };
    const counted = groupRows.reduce((n, row) => n + Number(row.split("|")[3]!.trim()), 0);
    expect(counted).toBe(json.summary.changed);
  });

  it("a step summary it cannot write is said, exit 2, not an internal error", async () => {
    const summary = join(tempDir("gh-summary"), "gone", "summary.md");
    process.env.GITHUB_STEP_SUMMARY = summary;
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mcptape: error: cannot write the step summary $GITHUB_STEP_SUMMARY (${summary}): no such file; check the runner's disk, or unset GITHUB_STEP_SUMMARY to leave the table out\n`);
  });

  it("points a loosening at the base rule that refused, as an error under --fail-on-loosen; a tightening at the head rule", async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    const r = await runCli([...args, "--fail-on-loosen"]);
    expect(r.code).toBe(1);
    const list = annotations(r.stdout);
    const exec = list.find((a) => a.title.startsWith("deny→allow: deny by no-exec"))!;
    expect(exec).toMatchObject({ level: "error", file: fixture("base.yaml") });
    expect(lineOf(exec.file, exec.line)).toContain("name: no-exec");
    const deletes = list.find((a) => a.title.startsWith("allow→deny: allow → deny by no-deletes"))!;
    expect(deletes).toMatchObject({ level: "warning", file: fixture("head.yaml") });
    expect(lineOf(deletes.file, deletes.line)).toContain("name: no-deletes");
    expect(list.filter((a) => a.level === "error").length).toBeLessThanOrEqual(ANNOTATIONS_PER_KIND);
  });
});
