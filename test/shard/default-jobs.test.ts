/**
 * `--jobs` left out (docs/spec/cli.md, "Large corpora"): the cores only for a run whose workers
 * hand back little (a replay's rendered lines, a diff's changes only) and whose tapes hold
 * 128 MiB or more in all; one thread otherwise, as each worker's own start and warm-up cost more
 * than it saves on less. Given, `--jobs` is taken as it is. The tapes here are sparse files:
 * their size is all planRun reads.
 */
import { truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planRun } from "../../src/cli/run-plan.js";
import { defaultJobs } from "../../src/parallel/pool.js";
import { tempDir } from "../helpers/temp-dir.js";

const MiB = 2 ** 20;

function tapesOf(sizes: number[]): string[] {
  const dir = tempDir("default-jobs");
  return sizes.map((size, i) => {
    const file = join(dir, `t${i}.jsonl`);
    writeFileSync(file, "");
    truncateSync(file, size);
    return file;
  });
}

const leftOut = { shard: undefined, jobs: undefined };

describe("--jobs left out", () => {
  it("is the number of cores for a run that hands back little, from 128 MiB of tapes in all", () => {
    expect(planRun(tapesOf([64 * MiB, 64 * MiB]), leftOut, false, true).jobs).toBe(defaultJobs());
  });

  it("is one thread below 128 MiB, however many tapes", () => {
    expect(planRun(tapesOf([64 * MiB, 64 * MiB - 1]), leftOut, false, true).jobs).toBe(1);
    expect(planRun(tapesOf(Array.from({ length: 20 }, () => MiB)), leftOut, false, true).jobs).toBe(1);
  });

  it("is one thread for a run whose main thread takes every call, however large", () => {
    expect(planRun(tapesOf([512 * MiB, 512 * MiB]), leftOut, false, false).jobs).toBe(1);
  });

  it("counts only this shard's tapes", () => {
    const tapes = tapesOf([100 * MiB, 100 * MiB]);
    expect(planRun(tapes, { shard: { index: 1, count: 2 }, jobs: undefined }, false, true).jobs).toBe(1);
  });

  it("given, is taken as it is, even on tapes too small to pay", () => {
    expect(planRun(tapesOf([10, 10]), { shard: undefined, jobs: "3" }, false, false).jobs).toBe(3);
  });
});
