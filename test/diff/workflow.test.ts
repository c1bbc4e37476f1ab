/** examples/github-workflow.yml: the pieces a policy-diff job cannot do without. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "./helpers.js";

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

const workflow = parse(readFileSync(join(ROOT, "examples/github-workflow.yml"), "utf8")) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: { diff: { steps: Step[] } };
};
const steps = workflow.jobs.diff.steps;
const diffStep = steps.find((s) => s.id === "diff")!;

describe("the example GitHub workflow", () => {
  it("runs on pull requests and may comment on them", () => {
    expect(Object.keys(workflow.on)).toContain("pull_request");
    expect(workflow.permissions["pull-requests"]).toBe("write");
  });

  it("checks out the whole history so the base branch can be read with git show", () => {
    const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout"))!;
    expect(checkout.with?.["fetch-depth"]).toBe(0);
  });

  it("diffs the base branch's policy against the pull request's and fails on loosening", () => {
    const run = diffStep.run!.replace(/\s+/g, " ");
    expect(run).toContain('mcptape diff recorded-tapes/ --base "origin/$BASE_REF:policies/policy.yaml" --head policies/policy.yaml');
    expect(run).toContain("--format markdown -o diff.md --fail-on-loosen");
    expect(diffStep.env?.BASE_REF).toBe("${{ github.base_ref }}");
  });

  it("reports to the job summary and the pull request even when the diff step fails", () => {
    const after = steps.slice(steps.indexOf(diffStep) + 1);
    expect(after.find((s) => s.run?.includes('>> "$GITHUB_STEP_SUMMARY"'))?.if).toMatch(/^always\(\)/);
    expect(after.find((s) => s.uses?.startsWith("actions/github-script"))?.if).toMatch(/^always\(\)/);
  });
});
