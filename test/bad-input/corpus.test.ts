/**
 * The bad-input corpus through the command line: every file of manifest.json must end
 * with its exit code and a message naming the file, the line and what to write instead;
 * never a stack trace, never an internal error, never a hang. The committed files run through
 * `main` in-process; huge inputs (a 50 MB line, 10,000 levels of nesting) are generated into a
 * temp folder, not committed, and each runs the built CLI in its own process with a deadline.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli, type CliResult } from "../cli/run-cli.js";
import { runCliAsync, type Finished } from "./spawn-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

interface Case {
  command: string[];
  exit: number;
  stderr: string[];
}

const HERE = join(ROOT, "test/bad-input");
const manifest = JSON.parse(readFileSync(join(HERE, "manifest.json"), "utf8")) as { cases: Record<string, Case> };
const DEMO = "fixtures/policies/demo.yaml";
const GOOD = readFileSync(join(HERE, "base/good-tape.jsonl"), "utf8").split("\n");
/** The call line (line 3) of the good tape with `message` replaced by `json` as written. */
const withMessage = (json: string): string => {
  const lines = [...GOOD];
  lines[2] = lines[2]!.replace('"message":"hi"', `"message":${json}`);
  return lines.join("\n");
};

function generated(dir: string): Record<string, Case> {
  const put = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return relative(ROOT, join(dir, name));
  };
  const big = "x".repeat(50 * 1024 * 1024);
  const deep = "[".repeat(10_000) + "]".repeat(10_000);
  const deepYaml = 'version: "1"\ntools:\n  echo:\n    rules:\n      - name: deep\n        conditions:\n          - {path: args.a, op: in, value: ' + deep + "}\n";
  const cases: Record<string, [string, Case]> = {
    "50 MB line that is valid": [put("big.jsonl", withMessage(JSON.stringify(big))), { command: ["replay", "{file}", "-p", DEMO, "--format", "json"], exit: 0, stderr: [] }],
    "50 MB line cut off inside": [put("big-broken.jsonl", withMessage(`"${big}`)), { command: ["replay", "{file}", "-p", DEMO, "--format", "json"], exit: 2, stderr: ["big-broken.jsonl:3:", "not JSON", "each line of a tape is one JSON object"] }],
    "10,000 levels of nesting in arguments": [put("deep.jsonl", withMessage(deep)), { command: ["replay", "{file}", "-p", DEMO, "--format", "json"], exit: 0, stderr: [] }],
    "10,000 levels of nesting never closed": [put("deep-open.jsonl", withMessage("[".repeat(10_000))), { command: ["replay", "{file}", "-p", DEMO, "--format", "json"], exit: 2, stderr: ["deep-open.jsonl:3:", "not JSON", "each line of a tape is one JSON object"] }],
    "10,000 levels of nesting in a policy": [put("deep.yaml", deepYaml), { command: ["replay", "test/bad-input/base/good-tape.jsonl", "-p", "{file}"], exit: 2, stderr: ["deep.yaml:7:", "nested too deeply", "flatten the value"] }],
    "10,000 levels of nesting in a scenario": [put("deep-scenario.yaml", `name: deep\npolicy: ${join(ROOT, DEMO)}\ncalls:\n  - {tool: echo, args: {a: ${deep}}}\nexpect: {summary: {allow: 1}}\n`), { command: ["test", "{file}"], exit: 2, stderr: ["deep-scenario.yaml:4:", "nested too deeply", "flatten the value"] }],
    "catastrophic-backtracking regexes over a 100,000-character argument": [
      put("backtrack.jsonl", withMessage(JSON.stringify("a".repeat(100_000) + "!")).replace('"arguments":{', `"arguments":{"note":${JSON.stringify("a".repeat(100_000))},`)),
      { command: ["replay", "{file}", "-p", "test/bad-input/base/catastrophic-regex.yaml", "--format", "json"], exit: 0, stderr: [] },
    ],
  };
  return Object.fromEntries(Object.entries(cases).map(([name, [file, c]]) => [name, { ...c, command: c.command.map((a) => (a === "{file}" ? file : a)) }]));
}

let genCases: Record<string, Case> = {};

beforeAll(() => {
  genCases = generated(tempDir("bad-input"));
});

/** Exit code and message as the manifest says; never a stack trace or an internal error. */
function expectHandled(r: CliResult, c: Case): void {
  expect(r.stderr).not.toContain("\n    at ");
  expect(r.stderr).not.toContain("internal error");
  for (const fragment of c.stderr) expect(r.stderr).toContain(fragment);
  expect(r.code, r.stderr).toBe(c.exit);
}

/**
 * A generated case in its own process with a deadline: a hang or a crash is a result, not a
 * stuck test. The deadline tells a hang (catastrophic backtracking never ends) from slowness on a
 * busy machine; how fast these inputs go is for benchmarks, not for this test.
 */
const HANG_MS = 25_000;
async function runGenerated(name: string): Promise<Finished> {
  const r = await runCliAsync(genCases[name]!.command, HANG_MS);
  expect(r.timedOut, `finished within ${HANG_MS / 1000} s`).toBe(false);
  expectHandled({ ...r, code: r.code ?? -1 }, genCases[name]!);
  return r;
}

describe("bad-input corpus through the CLI", () => {
  it("every file of the corpus has a manifest entry and every entry a file", () => {
    const files = ["tapes", "policies", "scenarios"].flatMap((d) => readdirSync(join(HERE, d)).map((f) => `${d}/${f}`));
    expect(files.sort()).toEqual(Object.keys(manifest.cases).sort());
    expect(files.length).toBeGreaterThanOrEqual(50);
  });

  it("every failing entry expects a file:line, what is wrong and a fix", () => {
    for (const [file, c] of Object.entries(manifest.cases)) {
      if (c.exit !== 2) continue;
      expect(c.stderr.length, file).toBeGreaterThanOrEqual(3);
      expect(c.stderr[0], file).toMatch(/\.(jsonl|ya?ml|json)(:\d+|$)/);
    }
  });

  // In-process, each its own test (its time shows): the manifest cases are small files.
  it.each(Object.entries(manifest.cases))("%s", async (file, c) => {
    expectHandled(await runCli(c.command.map((a) => (a === "{file}" ? `test/bad-input/${file}` : a))), c);
  });

  it("a valid 50 MB line replays", () => runGenerated("50 MB line that is valid"));
  it("a 50 MB line cut off inside is an error at its line", () => runGenerated("50 MB line cut off inside"));
  it("10,000 levels of nesting in tool arguments replay", () => runGenerated("10,000 levels of nesting in arguments"));
  it("10,000 open brackets are an error at their line", () => runGenerated("10,000 levels of nesting never closed"));
  it("a policy nested 10,000 levels deep is refused with its place", () => runGenerated("10,000 levels of nesting in a policy"));
  it("a scenario nested 10,000 levels deep is refused with its place", () => runGenerated("10,000 levels of nesting in a scenario"));

  it("catastrophic-backtracking regexes load and decide a 100,000-character argument without hanging", async () => {
    const r = await runGenerated("catastrophic-backtracking regexes over a 100,000-character argument");
    // `^(a+)+$` does not match "aaa…!", so the first rule denies: decided, not hung.
    const out = JSON.parse(r.stdout) as { decisions: { decision: string; rule: string }[] };
    expect(out.decisions).toEqual([expect.objectContaining({ decision: "deny", rule: "nested plus" })]);
  });
});
