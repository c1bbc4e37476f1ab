/**
 * The GitHub Action's script (scripts/github-action.mjs) run as GitHub runs it: a real Node
 * process with GitHub's environment (a pull_request event payload file, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files), in a temp git repository whose two commits are the base and head
 * policy, against a real HTTP listener on 127.0.0.1 standing in for the GitHub REST API.
 */
import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BIN, ROOT } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const SCRIPT = join(ROOT, "scripts/github-action.mjs");
const TAPES = join(ROOT, "fixtures/tapes");

interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
  body: { body?: string } | undefined;
}

/** The comments API of one pull request: list, create, update; every request recorded. */
class FakeGitHub {
  requests: Recorded[] = [];
  comments: { id: number; body: string; html_url: string }[] = [];
  private server: Server = createServer((req, res) => void this.handle(req, res));
  url = "";

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: import("node:http").ServerResponse): Promise<void> {
    let text = "";
    for await (const chunk of req) text += String(chunk);
    const body = text ? (JSON.parse(text) as { body?: string }) : undefined;
    const url = req.url ?? "";
    this.requests.push({ method: req.method ?? "", url, authorization: req.headers.authorization, body });
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (req.headers.authorization === "Bearer read-only" && req.method !== "GET") {
      return send(403, { message: "Resource not accessible by integration" });
    }
    if (req.method === "GET" && /^\/repos\/acme\/agents\/issues\/7\/comments\?/.test(url)) {
      // One unrelated comment first, so the marker has to be looked for.
      return send(200, [{ id: 100, body: "LGTM", html_url: "x" }, ...this.comments]);
    }
    if (req.method === "POST" && url === "/repos/acme/agents/issues/7/comments") {
      const comment = { id: 200 + this.comments.length, body: body?.body ?? "", html_url: `https://github.test/c/${200 + this.comments.length}` };
      this.comments.push(comment);
      return send(201, comment);
    }
    const update = /^\/repos\/acme\/agents\/issues\/comments\/(\d+)$/.exec(url);
    if (req.method === "PATCH" && update) {
      const comment = this.comments.find((c) => c.id === Number(update[1]));
      if (!comment) return send(404, { message: "Not Found" });
      comment.body = body?.body ?? "";
      return send(200, comment);
    }
    send(404, { message: "Not Found" });
  }
}

let repo: string;
let base: string;
const api = new FakeGitHub();

function git(...args: string[]): string {
  const r = spawnSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.test", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

beforeAll(async () => {
  repo = tempDir("action");
  git("init", "-q", "-b", "main");
  copyFileSync(join(ROOT, "fixtures/policies/demo.yaml"), join(repo, "policy.yaml"));
  git("add", "policy.yaml");
  git("commit", "-q", "-m", "base policy");
  base = git("rev-parse", "HEAD");
  copyFileSync(join(ROOT, "fixtures/policies/demo-loosened.yaml"), join(repo, "policy.yaml"));
  git("commit", "-q", "-am", "loosen the policy");
  writeFileSync(join(repo, "event.json"), JSON.stringify({ action: "synchronize", number: 7, pull_request: { number: 7, base: { sha: base, ref: "main" }, head: { sha: git("rev-parse", "HEAD") } } }));
  await api.start();
});

afterAll(async () => {
  await api.stop();
  rmSync(repo, { recursive: true, force: true });
});

beforeEach(() => {
  api.requests = [];
  api.comments = [];
  writeFileSync(join(repo, "output.txt"), "");
  writeFileSync(join(repo, "summary.md"), "");
});

interface Run {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs the script as the action's step does (asynchronously: the fake API lives in this process). */
function runAction(inputs: Record<string, string>): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    MCPTAPE_BIN: BIN,
    NO_COLOR: "1",
    GITHUB_EVENT_PATH: join(repo, "event.json"),
    GITHUB_OUTPUT: join(repo, "output.txt"),
    GITHUB_STEP_SUMMARY: join(repo, "summary.md"),
    GITHUB_REPOSITORY: "acme/agents",
    GITHUB_API_URL: api.url,
  };
  for (const [k, value] of Object.entries(inputs)) env[`INPUT_${k}`] = value;
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT], { cwd: repo, env, encoding: "utf8" }, (err, stdout) => {
      const outputs = Object.fromEntries(readFileSync(join(repo, "output.txt"), "utf8").split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
      resolve({ code: err ? (err.code as number) : 0, stdout, outputs, summary: readFileSync(join(repo, "summary.md"), "utf8") });
    });
  });
}

/** What `mcptape diff` itself says about the same change, for the counts. */
function diffCli(format: string): string {
  const r = spawnSync(process.execPath, [BIN, "diff", TAPES, "--base", `${base}:./policy.yaml`, "--head", "policy.yaml", "--format", format], { cwd: repo, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe("the GitHub Action's script", () => {
  const inputs = { POLICY: "policy.yaml", TAPES: `${TAPES}\n`, TOKEN: "t0ken" };

  it("creates one comment the first time and updates it the second time", async () => {
    const first = await runAction(inputs);
    expect(first.code, first.stdout).toBe(0);
    expect(api.requests.map((r) => `${r.method} ${r.url.split("?")[0]}`)).toEqual([
      "GET /repos/acme/agents/issues/7/comments",
      "POST /repos/acme/agents/issues/7/comments",
    ]);
    expect(api.requests.every((r) => r.authorization === "Bearer t0ken")).toBe(true);
    const markdown = diffCli("markdown");
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.body).toBe(`<!-- mcptape-diff: policy.yaml -->\n${markdown}`);

    api.requests = [];
    const second = await runAction(inputs);
    expect(second.code, second.stdout).toBe(0);
    expect(api.requests.map((r) => `${r.method} ${r.url.split("?")[0]}`)).toEqual([
      "GET /repos/acme/agents/issues/7/comments",
      `PATCH /repos/acme/agents/issues/comments/${api.comments[0]!.id}`,
    ]);
    expect(api.comments).toHaveLength(1);
    expect(second.stdout).toContain(`updated https://github.test/c/${api.comments[0]!.id}`);
  });

  it("writes the Markdown report to the step summary and the counts to the outputs", async () => {
    const run = await runAction({ POLICY: "policy.yaml", TAPES });
    expect(run.code, run.stdout).toBe(0);
    expect(run.summary).toBe(diffCli("markdown"));
    const { summary } = JSON.parse(diffCli("json")) as { summary: { calls: number; changed: number; direct: number; counterfactual: number; changes: Record<string, number> } };
    // demo-loosened.yaml lets through calls demo.yaml refused: the fixture exists for that.
    expect(summary.changes["throttle->allow"]).toBeGreaterThan(0);
    expect(run.outputs).toEqual({
      calls: String(summary.calls),
      changed: String(summary.changed),
      direct: String(summary.direct),
      counterfactual: String(summary.counterfactual),
      loosened: "true",
      changes: JSON.stringify(summary.changes),
      ...Object.fromEntries(Object.entries(summary.changes).map(([k, n]) => [k.replace("->", "-to-"), String(n)])),
    });
    expect(api.requests, "no token: no comment").toEqual([]);
  });

  it("reports loosened false and passes fail-on: loosen when the change only tightens", async () => {
    const run = await runAction({ POLICY: "policy.yaml", TAPES, BASE_REF: "HEAD", FAIL_ON: "loosen" });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ changed: "0", loosened: "false", changes: "{}" });
  });

  it("fails with fail-on: loosen after reporting (summary and comment written first)", async () => {
    const run = await runAction({ ...inputs, FAIL_ON: "loosen" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error::the head policy allows calls the base policy refused");
    expect(run.summary).not.toBe("");
    expect(api.requests.map((r) => r.method)).toEqual(["GET", "POST"]);
  });

  it("fails with fail-on: change on any changed decision", async () => {
    const run = await runAction({ POLICY: "policy.yaml", TAPES, FAIL_ON: "change" });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::\d+ decision\(s\) changed/);
  });

  it("takes a tapes line that names a folder as one path, spaces and all", async () => {
    // The tapes relative to the checkout, as a workflow names them.
    mkdirSync(join(repo, "recordings/team a"), { recursive: true });
    copyFileSync(join(TAPES, "everything.jsonl"), join(repo, "recordings/team a/everything.jsonl"));
    copyFileSync(join(TAPES, "filesystem.jsonl"), join(repo, "recordings/filesystem.jsonl"));
    const run = await runAction({ POLICY: "policy.yaml", TAPES: "recordings/team a\nrecordings/filesystem.jsonl\n" });
    expect(run.code, run.stdout).toBe(0);
    expect(run.summary).toBe(diffCli("markdown"));
  });

  it("refuses a misspelt fail-on before doing anything (exit 2)", async () => {
    const run = await runAction({ ...inputs, FAIL_ON: "loose" });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('::error::fail-on "loose" is not one of none, change, loosen');
    expect(run.summary).toBe("");
    expect(api.requests).toEqual([]);
  });

  it("refuses an empty fail-on (an unset variable in the workflow) before doing anything, not as none (exit 2)", async () => {
    const run = await runAction({ ...inputs, FAIL_ON: " " });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("::error::fail-on is empty: write one of none, change, loosen");
    expect(run.summary).toBe("");
    expect(api.requests).toEqual([]);
  });

  it("refuses a base ref git does not know (exit 2) before any report", async () => {
    const run = await runAction({ ...inputs, BASE_REF: "no-such-branch" });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("::error::the base no-such-branch is not in this checkout");
    expect(api.requests).toEqual([]);
  });

  it("keeps the report and warns when the API refuses the comment (a fork's read-only token)", async () => {
    const run = await runAction({ ...inputs, TOKEN: "read-only" });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("::warning::could not comment on the pull request: POST /repos/acme/agents/issues/7/comments: HTTP 403");
    expect(run.summary).not.toBe("");
  });
});

describe("action.yml", () => {
  interface Step { id?: string; env?: Record<string, string>; run: string }
  const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
    inputs: Record<string, { required?: boolean; default?: string }>;
    outputs: Record<string, { value: string }>;
    runs: { using: string; steps: Step[] };
  };
  const diffStep = action.runs.steps.find((s) => s.id === "diff")!;

  it("hands every input but the install's to the script under the name it reads", () => {
    const script = readFileSync(SCRIPT, "utf8");
    const passed = Object.keys(action.inputs).filter((name) => name !== "mcptape-version");
    for (const name of passed) {
      const env = `INPUT_${name.toUpperCase().replace(/-/g, "_")}`;
      expect(diffStep.env?.[env], name).toBe(`\${{ inputs.${name} }}`);
      expect(script, env).toContain(`input("${env.slice(6)}")`);
    }
    expect(diffStep.run).toBe('node "$GITHUB_ACTION_PATH/scripts/github-action.mjs"');
  });

  it("exposes the outputs the script writes", async () => {
    const run = await runAction({ POLICY: "policy.yaml", TAPES });
    for (const [name, { value }] of Object.entries(action.outputs)) {
      expect(value).toBe(`\${{ steps.diff.outputs.${name} }}`);
      expect(run.outputs, name).toHaveProperty(name);
    }
  });
});
