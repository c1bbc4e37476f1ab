/** Bad --shard, --jobs and merge inputs: exit 2 with what is wrong and what to write, nothing merged. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const TAPES = "fixtures/tapes";
const POLICY = "fixtures/policies/demo.yaml";
const OTHER = "fixtures/policies/demo-tightened.yaml";

describe("bad --shard and --jobs", () => {
  it.each([
    [["replay", TAPES, "-p", POLICY, "--shard", "3/2"], /--shard "3\/2" is not a part I of N parts; write --shard I\/N/],
    [["diff", TAPES, "--base", POLICY, "--head", OTHER, "--shard", "two"], /--shard "two" is not a part I of N parts/],
    [["test", "scenarios", "--shard", "0/1"], /--shard "0\/1" is not a part I of N parts/],
    [["replay", TAPES, "-p", POLICY, "--together", "--shard", "1/2"], /--shard cannot split a --together run: all tapes are one gateway run; leave out --shard/],
    [["diff", TAPES, "--base", POLICY, "--head", OTHER, "--together", "--shard", "1/2"], /--shard cannot split a --together run/],
    [["replay", TAPES, "-p", POLICY, "--jobs", "0"], /--jobs "0" is not a number of threads; write a whole number from 1 up/],
    [["diff", TAPES, "--base", POLICY, "--head", OTHER, "--jobs", "1.5"], /--jobs "1.5" is not a number of threads/],
  ])("%j exits 2", async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });
});

describe("merge refuses results that are not all the shards of one run", () => {
  const dir = tempDir("merge-errors");
  const file = (name: string) => join(dir, name);
  const shard = async (name: string, args: string[]) => {
    const r = await runCli([...args, "--format", "json", "--report", `results=${file(name)}`]);
    expect(r.code).toBeLessThan(2);
  };
  beforeAll(async () => {
    await shard("r1.jsonl", ["replay", TAPES, "-p", POLICY, "--shard", "1/2"]);
    await shard("r2.jsonl", ["replay", TAPES, "-p", POLICY, "--shard", "2/2"]);
    await shard("other-policy.jsonl", ["replay", TAPES, "-p", OTHER, "--shard", "2/2"]);
    await shard("other-options.jsonl", ["replay", TAPES, "-p", POLICY, "--shard", "2/2", "--window", "sliding"]);
    await shard("diff.jsonl", ["diff", TAPES, "--base", POLICY, "--head", OTHER, "--shard", "2/2"]);
    await shard("of-three.jsonl", ["replay", TAPES, "-p", POLICY, "--shard", "2/3"]);
    const whole = readFileSync(file("r2.jsonl"), "utf8").trimEnd().split("\n");
    writeFileSync(file("cut.jsonl"), whole.slice(0, -1).join("\n") + "\n");
    writeFileSync(file("tape.jsonl"), readFileSync(join(TAPES, "everything.jsonl")));
  });

  it.each([
    [["r1.jsonl"], /shard 2\/2 is missing; write the --report results=FILE of every shard/],
    [["r1.jsonl", "r1.jsonl", "r2.jsonl"], /shard 1\/2 is given twice/],
    [["r1.jsonl", "other-policy.jsonl"], /other-policy.jsonl: error: results from different policies than .*r1.jsonl/],
    [["r1.jsonl", "other-options.jsonl"], /other-options.jsonl: error: results from different options/],
    [["r1.jsonl", "diff.jsonl"], /diff.jsonl: error: results from different commands/],
    [["r1.jsonl", "of-three.jsonl"], /of-three.jsonl: error: results from different shard counts/],
    [["r1.jsonl", "cut.jsonl"], /cut.jsonl: error: results file has no end line: the run that wrote it did not finish; run that shard again/],
    [["tape.jsonl"], /tape.jsonl:1:1: error: not a results file/],
  ])("%j exits 2", async (names, message) => {
    const r = await runCli(["merge", ...names.map(file)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("refuses the other command's --fail-on flags", async () => {
    const r = await runCli(["merge", file("r1.jsonl"), file("r2.jsonl"), "--fail-on-change"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--fail-on-change and --fail-on-loosen are diff's, not for these results; use --fail-on/);
  });

  it.each([["--quiet"], ["--only", "deny"], ["--all"]])("takes its own %s over the listing the shards ran with: what one run with it prints", async (...flag) => {
    const one = await runCli(["replay", TAPES, "-p", POLICY, "--format", "text", ...flag]);
    const merged = await runCli(["merge", file("r1.jsonl"), file("r2.jsonl"), "--format", "text", ...flag]);
    const plain = await runCli(["merge", file("r1.jsonl"), file("r2.jsonl"), "--format", "text"]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(one.stdout);
    if (flag[0] !== "--all") expect(merged.stdout).not.toBe(plain.stdout);
  });

  it("refuses an --only kind it does not know, exit 2", async () => {
    const r = await runCli(["merge", file("r1.jsonl"), file("r2.jsonl"), "--only", "denied"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--only "denied" is not a kind of call/);
  });

  it("takes its own --fail-on over the one the shards ran with", async () => {
    const plain = await runCli(["merge", file("r1.jsonl"), file("r2.jsonl"), "--format", "json"]);
    const failing = await runCli(["merge", file("r1.jsonl"), file("r2.jsonl"), "--format", "json", "--fail-on", "deny"]);
    expect(plain.code).toBe(0);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/--fail-on deny: \d+ calls? failed the run/);
  });

  it("refuses a --fail-on that names no outcome, as replay does, exit 2", async () => {
    const r = await runCli(["merge", file("r1.jsonl"), file("r2.jsonl"), "--fail-on", ""]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--fail-on names no outcome");
  });
});

describe("merge refuses a damaged results file at its line, before writing anything", () => {
  const dir = tempDir("merge-damaged");
  const file = (name: string) => join(dir, name);
  let lines: string[] = [];
  beforeAll(async () => {
    for (const i of [1, 2]) {
      const r = await runCli(["replay", TAPES, "-p", POLICY, "--shard", `${i}/2`, "--format", "json", "--report", `results=${file(`r${i}.jsonl`)}`]);
      expect(r.code).toBeLessThan(2);
    }
    lines = readFileSync(file("r2.jsonl"), "utf8").trimEnd().split("\n");
  });
  /** r2.jsonl with line `n` (1-based) replaced. */
  const damaged = (n: number, text: string) => {
    const out = [...lines];
    out[n - 1] = text;
    writeFileSync(file("bad.jsonl"), out.join("\n") + "\n");
    return file("bad.jsonl");
  };
  const firstCall = () => lines.findIndex((l) => l.startsWith('{"unit"')) + 1;
  const header = () => JSON.parse(lines[0]!) as Record<string, unknown>;

  it.each([
    ["a call replaced by {} (the end line's count still matching)", () => damaged(firstCall(), "{}"), /bad.jsonl:(\d+):1: error: a record with no call, warning, tools or end/],
    ["a call without its decision", () => damaged(firstCall(), '{"unit":1,"call":{}}'), /bad.jsonl:\d+:1: error: (unit 1 is not one this shard took|the replay call)/],
    ["null for a record", () => damaged(firstCall(), "null"), /bad.jsonl:\d+:1: error: a results line must be a JSON object/],
    ["a unit this shard did not take", () => damaged(firstCall(), lines[firstCall() - 1]!.replace(/^\{"unit":\d+/, '{"unit":99')), /unit 99 is not one this shard took/],
    ["a header of two keys", () => damaged(1, '{"mcptape":"results","version":1}'), /bad.jsonl:1:1: error: the results header's setup is not as mcptape writes it/],
    ["a --fail-on the run could not have had", () => damaged(1, JSON.stringify({ ...header(), render: { ...(header().render as object), failOn: ["dney"] } })), /the results header's render.failOn/],
    ["a policy text edited after the run", () => {
      const h = header() as { setup: { policies: { text: string }[] } };
      h.setup.policies[0]!.text += "\n# edited";
      return damaged(1, JSON.stringify(h));
    }, /its text does not match its digest/],
  ])("%s: exit 2", async (_what, make, message) => {
    const bad = make();
    const out = file("merged.json");
    const r = await runCli(["merge", file("r1.jsonl"), bad, "--format", "json", "-o", out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error|at .*\.(js|ts):\d+/);
    expect(r.stdout).toBe("");
    expect(() => readFileSync(out)).toThrow();
  });
});

describe("a results file", () => {
  it("is JSON lines that schemas/results.schema.json accepts, replay and diff, header first and end line last", async () => {
    const { compileSchemas } = await import("../schemas/validators.js");
    const validate = compileSchemas().ajv.getSchema("results.schema.json")!;
    const dir = tempDir("results-schema");
    for (const args of [["replay", TAPES, "-p", POLICY, "--coverage"], ["diff", TAPES, "--base", POLICY, "--head", OTHER]]) {
      const file = join(dir, `${args[0]}.jsonl`);
      expect((await runCli([...args, "--report", `results=${file}`])).code).toBeLessThan(2);
      const lines = readFileSync(file, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines[0]).toMatchObject({ mcptape: "results", setup: { command: args[0] } });
      expect(lines.at(-1)).toEqual({ end: { records: lines.length - 2 } });
      expect(lines.some((l) => "call" in l)).toBe(true);
      for (const line of lines) expect(validate(line), JSON.stringify(validate.errors)).toBe(true);
    }
  });
});
