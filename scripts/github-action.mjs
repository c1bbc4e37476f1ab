#!/usr/bin/env node
/**
 * The script of the mcptape GitHub Action (action.yml): `mcptape diff` between a pull
 * request's base and head policy over the given tapes; the Markdown report goes to the step
 * summary and, with a token, into one pull-request comment that later runs update (found by a
 * hidden marker); counts go to the step outputs. Plain Node 20 (fetch), no dependencies.
 *
 * Inputs come from the environment: INPUT_POLICY, INPUT_TAPES (paths or folders, one per line
 * or space-separated; a line naming a path is one, spaces and all), INPUT_BASE_REF (default: the pull request's base commit),
 * INPUT_FAIL_ON (none | change | loosen), INPUT_TOKEN, and MCPTAPE_BIN (the mcptape entry
 * script, run with this Node). GitHub sets GITHUB_EVENT_PATH, GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY, GITHUB_REPOSITORY and GITHUB_API_URL.
 *
 * Exit codes as mcptape's: 0 done, 1 the fail-on condition holds (after reporting), 2 bad input.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative } from "node:path";

const FAIL_ON = ["none", "change", "loosen"];

class UsageError extends Error {}

function input(name) {
  return (process.env[`INPUT_${name}`] ?? "").trim();
}

/**
 * The `tapes` input: one path a line, or several a line separated by spaces. A line that names
 * a file or folder is one path, so a path may hold spaces (`recordings/team a`).
 */
function tapePaths(text) {
  return text.split("\n").map((line) => line.trim()).filter(Boolean).flatMap((line) => (existsSync(line) ? [line] : line.split(/\s+/)));
}

/** The hidden first line of the comment; one comment per policy file, so two diffs in one workflow keep theirs. */
function marker(policy) {
  return `<!-- mcptape-diff: ${policy.replace(/--/g, "- -")} -->`;
}

/** An output name for a change kind: `deny->allow` is `deny-to-allow`, `rule changed` is `rule-changed`. */
function outputName(kind) {
  return kind.replace("->", "-to-").replace(/\s+/g, "-");
}

/** A refusal (deny, throttle, approval) under the base policy that the head policy allows. */
function isLoosening(kind) {
  return /^(?!allow->).+->allow$/.test(kind);
}

function readEvent() {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path || !existsSync(path)) return {};
  return JSON.parse(readFileSync(path, "utf8"));
}

function git(args) {
  return spawnSync("git", args, { encoding: "utf8" });
}

/** The base commit, fetched when a shallow checkout does not have it. */
function ensureCommit(ref) {
  if (git(["cat-file", "-e", `${ref}^{commit}`]).status === 0) return;
  git(["fetch", "--no-tags", "--depth=1", "origin", ref]);
  if (git(["cat-file", "-e", `${ref}^{commit}`]).status !== 0) {
    throw new UsageError(`the base ${ref} is not in this checkout and could not be fetched; use actions/checkout with fetch-depth: 0`);
  }
}

function writeOutputs(values) {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  appendFileSync(file, Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join(""));
}

async function github(method, path, body) {
  const base = (process.env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${input("TOKEN")}`,
      "x-github-api-version": "2022-11-28",
      "user-agent": "mcptape-action",
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

/** Creates the pull request's mcptape comment, or updates the one an earlier run made. */
async function comment(repo, number, body, mark) {
  let existing;
  for (let page = 1; !existing; page++) {
    const comments = await github("GET", `/repos/${repo}/issues/${number}/comments?per_page=100&page=${page}`);
    existing = comments.find((c) => typeof c.body === "string" && c.body.startsWith(mark));
    if (comments.length < 100) break;
  }
  if (existing) {
    await github("PATCH", `/repos/${repo}/issues/comments/${existing.id}`, { body });
    return `updated ${existing.html_url ?? `comment ${existing.id}`}`;
  }
  const created = await github("POST", `/repos/${repo}/issues/${number}/comments`, { body });
  return `created ${created?.html_url ?? "a comment"}`;
}

async function main() {
  const policy = input("POLICY");
  const tapes = tapePaths(input("TAPES"));
  // Left out, the action passes its default (none); given empty (an unset `${{ vars.X }}`), it is a typo, not "none".
  const failOn = process.env.INPUT_FAIL_ON === undefined ? "none" : input("FAIL_ON");
  const bin = process.env.MCPTAPE_BIN;
  if (!policy) throw new UsageError("the input `policy` is required: the path of the policy file in the repository");
  if (tapes.length === 0) throw new UsageError("the input `tapes` is required: tape files or folders, one per line");
  if (failOn === "") throw new UsageError(`fail-on is empty: write one of ${FAIL_ON.join(", ")} (an expression such as \${{ vars.FAIL_ON }} gives an empty value when the variable is unset)`);
  if (!FAIL_ON.includes(failOn)) throw new UsageError(`fail-on "${failOn}" is not one of ${FAIL_ON.join(", ")}`);
  if (!bin) throw new UsageError("MCPTAPE_BIN is not set: the action installs mcptape and sets it");

  const event = readEvent();
  const pr = event.pull_request;
  const base = input("BASE_REF") || pr?.base?.sha;
  if (!base) throw new UsageError("no base to compare with: run on a pull_request event, or give the input `base-ref`");
  ensureCommit(base);

  // `./` makes git read the path from the current folder, as the head path is read.
  const inRepo = isAbsolute(policy) ? relative(process.cwd(), policy) : policy;
  const dir = mkdtempSync(join(tmpdir(), "mcptape-action-"));
  try {
    const md = join(dir, "diff.md");
    const json = join(dir, "diff.json");
    const args = [bin, "diff", ...tapes, "--base", `${base}:./${inRepo}`, "--head", policy, "--format", "markdown", "-o", md, "--report", `json=${json}`];
    const run = spawnSync(process.execPath, args, { stdio: ["ignore", "inherit", "inherit"] });
    if (run.status !== 0) {
      process.stdout.write(`::error::mcptape diff exited with ${run.status ?? run.signal}; its message is above\n`);
      return run.status ?? 2;
    }
    const markdown = readFileSync(md, "utf8");
    const { summary } = JSON.parse(readFileSync(json, "utf8"));
    const kinds = Object.entries(summary.changes);
    const loosened = kinds.some(([kind, n]) => isLoosening(kind) && n > 0);

    writeOutputs({
      calls: summary.calls,
      changed: summary.changed,
      direct: summary.direct,
      counterfactual: summary.counterfactual,
      loosened,
      changes: JSON.stringify(summary.changes),
      ...Object.fromEntries(kinds.map(([kind, n]) => [outputName(kind), n])),
    });
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);

    if (input("TOKEN")) {
      const repo = process.env.GITHUB_REPOSITORY;
      if (!pr?.number || !repo) {
        process.stdout.write("::notice::no pull request in this event: the report is in the step summary only\n");
      } else {
        const mark = marker(policy);
        try {
          process.stdout.write(`mcptape: ${await comment(repo, pr.number, `${mark}\n${markdown}`, mark)}\n`);
        } catch (err) {
          // A fork's pull request gets a read-only token: the summary still has the report.
          process.stdout.write(`::warning::could not comment on the pull request: ${err.message}\n`);
        }
      }
    }

    if (failOn === "change" && summary.changed > 0) {
      process.stdout.write(`::error::${summary.changed} decision(s) changed (fail-on: change)\n`);
      return 1;
    }
    if (failOn === "loosen" && loosened) {
      process.stdout.write("::error::the head policy allows calls the base policy refused (fail-on: loosen)\n");
      return 1;
    }
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (!(err instanceof UsageError)) throw err;
    process.stdout.write(`::error::${err.message}\n`);
    process.exit(2);
  },
);
