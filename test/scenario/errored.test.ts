/**
 * `mcptape test DIR` with one bad file of three: the other files still run, the bad one is an
 * errored test case in every format with its file:line:col, and the exit code is 2 (1 when
 * only expectations fail). Through the CLI's main().
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIo } from "../fuzz/helpers.js";
import { tempDir } from "../helpers/temp-dir.js";

const POLICY = 'version: "1"\ntools:\n  ping:\n    rules:\n      - { name: two pings, rate_limit: 2/minute }\n';
const PASSING = "name: passes\npolicy: policy.yaml\ncalls: [{ tool: ping }]\nexpect: { summary: { allow: 1 } }\n";
const FAILING = "name: fails\npolicy: policy.yaml\ncalls: [{ tool: ping }]\nexpect: { summary: { deny: 1 } }\n";
const MALFORMED = "name: broken\npolicy: policy.yaml\ncalls: [\n  { tool: ping\n";

let dir: string;
beforeEach(() => {
  dir = tempDir("errored");
  writeFileSync(join(dir, "policy.yaml"), POLICY);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function test(...args: string[]) {
  const io = captureIo();
  const code = await main(["node", "mcptape", "test", dir, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe("mcptape test over a folder with a malformed file", () => {
  beforeEach(() => {
    writeFileSync(join(dir, "a-passes.yaml"), PASSING);
    writeFileSync(join(dir, "b-broken.yaml"), MALFORMED);
    writeFileSync(join(dir, "c-fails.yaml"), FAILING);
  });
  const place = () => `${join(dir, "b-broken.yaml")}:5:1`;

  it("runs the other files and reports the bad one as an errored case (text), exit 2", async () => {
    const r = await test();
    expect(r.code).toBe(2);
    expect(r.out).toContain("PASS  passes");
    expect(r.out).toContain("FAIL  fails");
    expect(r.out).toContain(`ERROR  ${join(dir, "b-broken.yaml")}  ${place()}: error: YAML syntax error`);
    expect(r.out).toContain("2 scenarios: 1 passed, 1 failed (2 checks, 1 failed); 1 errored (could not run)");
    expect(r.err).toContain(`mcptape: ${place()}: error: YAML syntax error`);
  });

  it("JUnit (-o) is written, with an <error> test case at the file's line beside the others", async () => {
    const out = join(dir, "results.xml");
    expect((await test("--format", "junit", "-o", out)).code).toBe(2);
    const xml = readFileSync(out, "utf8");
    expect(xml).toContain('<testsuites name="mcptape test" tests="3" failures="1" errors="1"');
    expect(xml).toMatch(new RegExp(`<testcase classname="[^"]*b-broken.yaml" name="[^"]*b-broken.yaml" file="[^"]*b-broken.yaml" line="5" time="0.000">\\n      <error message="${place().replace(/[.]/g, "\\.")}: error: YAML syntax error`));
    expect(xml).toContain('name="passes"');
    expect(xml).toContain('name="fails"');
  });

  it("github annotates the bad file at its line and column", async () => {
    const r = await test("--format", "github");
    expect(r.out).toMatch(new RegExp(`::error file=[^,]*b-broken.yaml,line=5,col=1,title=[^:]*b-broken.yaml%3A could not run::`));
  });

  it("markdown and json list the errored case", async () => {
    expect((await test("--format", "markdown")).out).toMatch(/### :boom: .*b-broken.yaml \(could not run\)/);
    const json = JSON.parse((await test("--format", "json")).out) as { summary: { errored: number }; errored: { file: string; line: number; col: number }[] };
    expect(json.summary.errored).toBe(1);
    expect(json.errored).toEqual([expect.objectContaining({ file: join(dir, "b-broken.yaml"), line: 5, col: 1 })]);
  });
});

it("without a bad file, a failing expectation exits 1", async () => {
  writeFileSync(join(dir, "a-passes.yaml"), PASSING);
  writeFileSync(join(dir, "c-fails.yaml"), FAILING);
  expect((await test()).code).toBe(1);
});

it("a scenario whose policy file is missing is an errored case; the other scenarios run", async () => {
  writeFileSync(join(dir, "a-passes.yaml"), PASSING);
  writeFileSync(join(dir, "b-nopolicy.yaml"), PASSING.replace("name: passes", "name: no policy").replace("policy.yaml", "missing.yaml"));
  const r = await test();
  expect(r.code).toBe(2);
  expect(r.out).toContain("PASS  passes");
  expect(r.out).toMatch(/ERROR {2}.*missing\.yaml/);
});

describe("mcptape test --format github beyond GitHub's 10 annotations of a kind per step", () => {
  it("annotates a scenario that could not run first, and the notice says how many errors only the log has", async () => {
    // "10 warning annotations, 10 error annotations, and 10 notice annotations per step" (actions/toolkit docs/problem-matchers.md, Limitations).
    for (let i = 1; i <= 12; i++) writeFileSync(join(dir, `f${String(i).padStart(2, "0")}.yaml`), FAILING.replace("name: fails", `name: fails ${i}`));
    writeFileSync(join(dir, "z-broken.yaml"), MALFORMED);
    const r = await test("--format", "github");
    expect(r.code).toBe(2);
    const errors = r.out.split("\n").filter((l) => l.startsWith("::error "));
    expect(errors).toHaveLength(13);
    expect(errors[0]).toContain(`file=${join(dir, "z-broken.yaml")}`);
    const notice = r.out.split("\n").find((l) => l.startsWith("::notice "));
    expect(notice).toMatch(/; 3 more errors than GitHub annotates \(10 a step\) are in the log$/);
  });
});
