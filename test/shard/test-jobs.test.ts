/**
 * `test --jobs N` and `--shard I/N` over scenario files: the report is the same bytes whatever
 * N (JUnit's measured times aside), with passing, failing and errored files and their warnings
 * mixed; every scenario runs in exactly one shard. Jobs run through the built CLI (worker
 * threads from dist/).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runCli, spawnCli } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { TEST_FORMATS } from "../../src/report/formats.js";

const FILES = [
  ...readdirSync("scenarios").filter((f) => f.endsWith(".yaml")).map((f) => `scenarios/${f}`),
  ...readdirSync("test/bad-input/scenarios").filter((f) => f.endsWith(".yaml")).map((f) => `test/bad-input/scenarios/${f}`),
];

/** JUnit carries each run's measured seconds; everything else must match byte for byte. */
const withoutTimes = (text: string) => text.replace(/ time="[0-9.]+"/g, "");

describe("test --jobs", () => {
  const dir = tempDir("test-jobs");
  const run = (label: string, files: string[], jobs: number) => {
    const reports = TEST_FORMATS.slice(1).flatMap((f) => ["--report", `${f}=${join(dir, `${label}.${f}`)}`]);
    const r = spawnCli(["test", ...files, "--format", TEST_FORMATS[0], ...reports, "--jobs", String(jobs)]);
    expect(r.stderr).not.toMatch(/internal error/);
    const outputs = Object.fromEntries(TEST_FORMATS.slice(1).map((f) => [f, withoutTimes(readFileSync(join(dir, `${label}.${f}`), "utf8"))]));
    return { code: r.code, stdout: r.stdout, stderr: r.stderr, outputs };
  };

  it("reports the same whatever N, exit code and stderr included", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(FILES, { minLength: 2, maxLength: 12 }), fc.integer({ min: 2, max: 3 }), (files, jobs) => {
        expect(run(`j${jobs}`, files, jobs)).toEqual(run("j1", files, 1));
      }),
      { numRuns: 3 },
    );
  });
});

describe("test --shard", () => {
  it("runs every scenario in exactly one of N shards", async () => {
    const names = async (extra: string[]) => {
      const r = await runCli(["test", "scenarios", "--format", "json", ...extra]);
      return (JSON.parse(r.stdout) as { scenarios: { file: string; name: string }[] }).scenarios.map((s) => `${s.file} ${s.name}`);
    };
    const whole = await names([]);
    const parts = [await names(["--shard", "1/3"]), await names(["--shard", "2/3"]), await names(["--shard", "3/3"])];
    expect(parts.every((p) => p.length > 0)).toBe(true);
    expect(parts.flat().sort()).toEqual([...whole].sort());
  });

  it("a --run that names no scenario of the whole suite is bad input on every shard, not an empty pass", async () => {
    for (const i of [1, 2, 3]) {
      const r = await runCli(["test", "scenarios", "--shard", `${i}/3`, "--run", "no-such-scenario-typo"]);
      expect(r.code, `shard ${i}/3`).toBe(2);
      expect(r.stderr).toContain("--run no-such-scenario-typo matches no scenario name");
    }
  });

  it("a --run whose scenarios are all on other shards passes with none run there", async () => {
    const counts = [];
    for (const i of [1, 2, 3]) {
      const r = await runCli(["test", "scenarios", "--shard", `${i}/3`, "--run", "^lt 4 allows three calls an hour$", "--format", "json"]);
      expect(r.code, r.stderr).toBe(0);
      counts.push((JSON.parse(r.stdout) as { scenarios: unknown[] }).scenarios.length);
    }
    expect(counts.sort()).toEqual([0, 0, 1]);
  });
});
