/** `--base REV:PATH`: policies read from git with `git show`, in a repository made here. */
import { execFileSync } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { gitRevPath, readPolicySource, requirePolicy } from "../../src/cli/policy-arg.js";
import type { Io } from "../../src/cli/io.js";
import { InputError } from "../../src/errors.js";
import type { LoadedPolicy } from "../../src/gateway/types.js";
import { diffCalls, fixture, runDiff } from "./helpers.js";
import { tempDir } from "../helpers/temp-dir.js";
import { spawnCli } from "../cli/run-cli.js";

const modelOf = (p: LoadedPolicy) => (p.engine === "model" ? p.model : expect.unreachable("a model policy"));

const BEFORE = 'version: "1"\ntools:\n  delete:\n    rules: []\n';
const AFTER = 'version: "1"\ntools:\n  delete:\n    rules:\n      - name: no-deletes\n        action: deny\n';
const silent: Io = { stdout: process.stdout, stderr: { write: () => true } as never };

let repo: string;

function git(...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], {
    cwd: repo,
    encoding: "utf8",
  });
}

beforeAll(() => {
  repo = tempDir("diff-git");
  git("init", "-q", "-b", "main");
  writeFileSync(join(repo, "policy.yaml"), BEFORE);
  git("add", "policy.yaml");
  git("commit", "-q", "-m", "before");
  writeFileSync(join(repo, "policy.yaml"), AFTER);
  git("commit", "-q", "-am", "after");
  copyFileSync(fixture("kinds.jsonl"), join(repo, "kinds.jsonl"));
});

describe("REV:PATH", () => {
  it("reads the policy as it was at that revision", async () => {
    const source = await readPolicySource("HEAD~1:policy.yaml", "--base", repo);
    expect(source).toEqual({ name: "HEAD~1:policy.yaml", text: BEFORE });
  });

  it("diffs a revision against the file on disk", async () => {
    const base = await requirePolicy("main~1:policy.yaml", "--base", {}, silent, repo);
    const head = await requirePolicy(join(repo, "policy.yaml"), "--head", {}, silent, repo);
    const calls = await diffCalls(modelOf(base.policy), modelOf(head.policy), [fixture("kinds.jsonl")]);
    expect(calls.filter((c) => c.change !== null).map((c) => [c.tool, c.change])).toEqual([
      ["delete", "allow->deny"],
      ["delete", "allow->deny"],
    ]);
  });

  it("names the policy REV:PATH in reports and the policy diff", async () => {
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      const r = await runDiff(["kinds.jsonl"], { base: "HEAD~1:policy.yaml", head: "policy.yaml", format: "markdown" });
      expect(r.stdout).toContain("## mcptape diff: `HEAD~1:policy.yaml` → `policy.yaml`");
      expect(r.stdout).toContain("--- HEAD~1:policy.yaml\n+++ policy.yaml\n");
      expect(r.stdout).toContain("+      - name: no-deletes");
    } finally {
      process.chdir(cwd);
    }
  });

  it("replay reads -p REV:PATH from git too (one resolver for every policy flag)", () => {
    const before = spawnCli(["replay", "kinds.jsonl", "-p", "HEAD~1:policy.yaml", "--format", "json"], { cwd: repo });
    const now = spawnCli(["replay", "kinds.jsonl", "-p", "policy.yaml", "--format", "json"], { cwd: repo });
    const deletes = (out: string) => (JSON.parse(out) as { decisions: { tool: string; decision: string }[] }).decisions.filter((c) => c.tool === "delete").map((c) => c.decision);
    expect(before.code).toBe(0);
    expect(deletes(before.stdout)).toEqual(["allow", "allow"]);
    expect(deletes(now.stdout)).toEqual(["deny", "deny"]);
  });

  it("github and sarif point a rule only a REV:PATH policy has at the first call's tape line, not at REV:PATH, which no file in the checkout is", () => {
    const args = ["diff", "kinds.jsonl", "--base", "HEAD:policy.yaml", "--head", "HEAD~1:policy.yaml"];
    const github = spawnCli([...args, "--format", "github"], { cwd: repo });
    expect(github.code).toBe(0);
    const annotation = github.stdout.split("\n").find((l) => l.includes("no-deletes"));
    expect(annotation).toMatch(/^::warning file=kinds\.jsonl,line=\d+/);
    const sarif = spawnCli([...args, "--format", "sarif"], { cwd: repo });
    const uris = (JSON.parse(sarif.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }).runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris.length).toBeGreaterThan(0);
    expect(uris.every((u) => u === "kinds.jsonl")).toBe(true);
  });

  it("a bad revision is bad input carrying git's message", async () => {
    const err = await readPolicySource("no-such-rev:policy.yaml", "--base", repo).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/cannot read policy from git: fatal: .*no-such-rev/);
    expect((err as InputError).file).toBe("no-such-rev:policy.yaml");
  });

  it("a path missing at that revision is bad input", async () => {
    await expect(readPolicySource("HEAD:missing.yaml", "--base", repo)).rejects.toThrow(/missing\.yaml/);
  });

  it("an invalid policy in git reports its errors under the REV:PATH name", async () => {
    writeFileSync(join(repo, "broken.yaml"), 'version: "2"\n');
    git("add", "broken.yaml");
    git("commit", "-q", "-m", "broken");
    const err = await requirePolicy("HEAD:broken.yaml", "--base", {}, silent, repo).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toContain("HEAD:broken.yaml:1");
  });

  it("a file that exists on disk wins over the REV:PATH reading", async () => {
    writeFileSync(join(repo, "HEAD:policy.yaml"), BEFORE.replace("rules: []", "rules: [] # on disk"));
    expect(gitRevPath("HEAD:policy.yaml", repo)).toBeUndefined();
    expect((await readPolicySource("HEAD:policy.yaml", "--base", repo)).text).toContain("# on disk");
  });

  it("a Windows drive path is not REV:PATH", () => {
    expect(gitRevPath("C:\\policies\\policy.yaml", repo)).toBeUndefined();
    expect(gitRevPath("c:/policies/policy.yaml", repo)).toBeUndefined();
    expect(gitRevPath("origin/main:policies/policy.yaml", repo)).toEqual({ rev: "origin/main", path: "policies/policy.yaml" });
  });
});
