/**
 * examples/github-workflow-sharded.yml, run here as its jobs would run it: each matrix entry's
 * diff command in a git checkout with a base branch, then the merge job's command over their
 * results. The merged comment must be the one an unsharded diff writes, and the gate the same.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BIN, ROOT } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string;
  strategy?: { matrix: { shard: number[] } };
  steps: Step[];
}

const workflow = parse(readFileSync(join(ROOT, "examples/github-workflow-sharded.yml"), "utf8")) as { env: { SHARDS: number }; jobs: { shard: Job; merge: Job } };
const { shard, merge } = workflow.jobs;
const diffStep = shard.steps.find((s) => s.run?.includes("mcptape diff"))!;
const mergeStep = merge.steps.find((s) => s.run?.includes("mcptape merge"))!;

describe("the sharded example workflow", () => {
  it("has a matrix of shards 1..SHARDS, each uploading its own results, and a merge job after them all", () => {
    expect(shard.strategy!.matrix.shard).toEqual(Array.from({ length: workflow.env.SHARDS }, (_, i) => i + 1));
    const upload = shard.steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!;
    expect(upload.with?.name).toContain("${{ matrix.shard }}");
    expect(merge.needs).toBe("shard");
    const download = merge.steps.find((s) => s.uses?.startsWith("actions/download-artifact"))!;
    expect(download.with).toMatchObject({ pattern: "mcptape-results-*", "merge-multiple": true });
  });

  describe("run locally", () => {
    const dir = tempDir("sharded-workflow");
    const bin = join(dir, "bin");
    const repo = join(dir, "repo");
    const sh = (script: string, env: Record<string, string> = {}) =>
      spawnSync("bash", ["-c", script], { cwd: repo, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", CI: "true", PATH: `${bin}:${process.env.PATH}`, ...env } });

    beforeAll(() => {
      mkdirSync(bin);
      writeFileSync(join(bin, "mcptape"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
      chmodSync(join(bin, "mcptape"), 0o755);
      mkdirSync(join(repo, "policies"), { recursive: true });
      mkdirSync(join(repo, "recorded-tapes"));
      for (const f of readdirSync(join(ROOT, "fixtures/tapes"))) copyFileSync(join(ROOT, "fixtures/tapes", f), join(repo, "recorded-tapes", f));
      for (const f of readdirSync(join(ROOT, "fixtures/seed-tapes"))) copyFileSync(join(ROOT, "fixtures/seed-tapes", f), join(repo, "recorded-tapes", f));
      copyFileSync(join(ROOT, "fixtures/policies/demo.yaml"), join(repo, "policies/policy.yaml"));
      const git = sh("git init -q && git -c user.name=t -c user.email=t@t add . && git -c user.name=t -c user.email=t@t commit -qm base && git update-ref refs/remotes/origin/main HEAD");
      expect(git.status, git.stderr).toBe(0);
      // The pull request loosens the policy.
      copyFileSync(join(ROOT, "fixtures/policies/demo-loosened.yaml"), join(repo, "policies/policy.yaml"));
    });

    it("merges the matrix's results into the comment and exit code one unsharded diff gives", () => {
      for (const i of shard.strategy!.matrix.shard) {
        const r = sh(diffStep.run!, { BASE_REF: "main", SHARD: String(i), SHARDS: String(workflow.env.SHARDS) });
        expect(r.status, r.stderr).toBe(0);
      }
      const merged = sh(mergeStep.run!);
      expect(merged.stderr).not.toMatch(/error:/);
      const comment = readFileSync(join(repo, "diff.md"), "utf8");
      const whole = sh('mcptape diff recorded-tapes/ --base "origin/main:policies/policy.yaml" --head policies/policy.yaml --format markdown -o whole.md --fail-on-loosen');
      expect(comment).toBe(readFileSync(join(repo, "whole.md"), "utf8"));
      expect(merged.status).toBe(whole.status);
      expect(whole.status).toBe(1); // demo-loosened lets through calls demo refused: the gate closes
    });
  });
});
