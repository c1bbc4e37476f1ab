/**
 * `-` reads a tape, a results file or a policy from standard input (a real process fed through
 * its stdin), and a tape or results file that is a pipe (bash's `<(...)`) is read like a file.
 * When no output can be read cut short (every output a file), replay and diff read each tape
 * through one time fewer: no check before the run (docs/spec/cli.md).
 */
import { spawnSync } from "node:child_process";
import fs, { readdirSync, readFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIo } from "../fuzz/helpers.js";
import { BIN, ROOT, spawnCli } from "./run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const TAPE = readFileSync("fixtures/tapes/everything.jsonl", "utf8");
const POLICY = readFileSync("fixtures/policies/demo.yaml", "utf8");

function json(stdout: string): { summary: { calls: number; deny: number } } {
  return JSON.parse(stdout) as { summary: { calls: number; deny: number } };
}

describe("- for standard input", () => {
  it("replays a tape piped in exactly as the same tape named as a file, and leaves no temporary file", () => {
    const tmp = tempDir("stdin-tmp");
    const piped = spawnCli(["replay", "-", "-p", "fixtures/policies/demo.yaml", "--format", "json"], { input: TAPE, env: { TMPDIR: tmp } });
    const named = spawnCli(["replay", "fixtures/tapes/everything.jsonl", "-p", "fixtures/policies/demo.yaml", "--format", "json"]);
    expect(piped.code).toBe(0);
    expect(json(piped.stdout).summary).toEqual(json(named.stdout).summary);
    expect(json(piped.stdout).summary.calls).toBeGreaterThan(0);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("reads a policy piped in with -p -, and names it - in the report", () => {
    const r = spawnCli(["replay", "fixtures/tapes", "-p", "-"], { input: POLICY });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Replaying 2 tapes through -\n");
    expect(r.stdout).toContain("22 calls: 14 allow, 3 deny");
  });

  it("validates a policy piped in", () => {
    const r = spawnCli(["validate", "-"], { input: 'version: "1"\ntools:\n  x:\n    rules:\n      - name: r\n        rate_limit: lots\n' });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/stdin:\d+:\d+: error: /);
  });

  it("standard input named twice is bad input, exit 2", () => {
    const r = spawnCli(["replay", "-", "-p", "-"], { input: TAPE });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("standard input (-) is named more than once");
  });

  it("replays tapes given as pipes (<(cat ...)) exactly as the files, before and after a file, and leaves no temporary file", () => {
    const tmp = tempDir("pipe-tmp");
    const args = ["-p", "fixtures/policies/demo.yaml", "--format", "json", "--coverage"];
    const quoted = [BIN, "replay", "<(cat fixtures/tapes/everything.jsonl)", "fixtures/tapes/filesystem.jsonl", "<(cat fixtures/tapes/everything.jsonl)", ...args];
    const piped = spawnSync("bash", ["-c", `"${process.execPath}" ${quoted.map((a) => (a.startsWith("<(") ? a : `'${a}'`)).join(" ")}`], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TMPDIR: tmp, NO_COLOR: "1" } });
    // Two pipes of one tape are two tapes; a file named twice would be one, so the second is a copy.
    const copy = join(tempDir("pipe-copy"), "everything.jsonl");
    fs.copyFileSync(join(ROOT, "fixtures/tapes/everything.jsonl"), copy);
    const named = spawnCli(["replay", "fixtures/tapes/everything.jsonl", "fixtures/tapes/filesystem.jsonl", copy, ...args]);
    expect(piped.status).toBe(0);
    expect(piped.stdout).toBe(named.stdout);
    expect(piped.stderr).toBe(named.stderr);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("merges results files given as pipes and as - exactly as the files, and leaves no temporary file", () => {
    const dir = tempDir("pipe-results");
    const tmp = tempDir("pipe-results-tmp");
    for (const i of [1, 2]) {
      const r = spawnCli(["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml", "--shard", `${i}/2`, "--report", `results=${join(dir, `r${i}.jsonl`)}`]);
      expect(r.code).toBe(0);
    }
    const [r1, r2] = [join(dir, "r1.jsonl"), join(dir, "r2.jsonl")];
    const named = spawnCli(["merge", r1, r2, "--format", "json"]);
    const env = { ...process.env, TMPDIR: tmp, NO_COLOR: "1" };
    const piped = spawnSync("bash", ["-c", `"${process.execPath}" '${BIN}' merge <(cat '${r1}') <(cat '${r2}') --format json`], { cwd: ROOT, encoding: "utf8", env });
    const stdin = spawnSync(process.execPath, [BIN, "merge", r1, "-", "--format", "json"], { cwd: ROOT, encoding: "utf8", env, input: readFileSync(r2) });
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout)).toHaveProperty("summary");
    for (const r of [piped, stdin]) {
      expect(r.stderr).toBe(named.stderr);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(named.stdout);
    }
    expect(readdirSync(tmp)).toEqual([]);
  });
});

/** Runs mcptape in this process and counts how often it opened each of `files`. */
async function opensOf(files: string[], args: string[]): Promise<{ code: number; opens: number[] }> {
  const paths = files.map((f) => resolve(f));
  const opens = paths.map(() => 0);
  const open = fs.openSync;
  fs.openSync = ((path: fs.PathLike, flags: fs.OpenMode, mode?: fs.Mode | null) => {
    const k = paths.indexOf(resolve(String(path)));
    if (k >= 0) opens[k]!++;
    return open(path, flags, mode);
  }) as typeof fs.openSync;
  syncBuiltinESMExports(); // the named import { openSync } the tape reader holds follows
  try {
    const code = await main(["node", "mcptape", ...args], captureIo());
    return { code, opens };
  } finally {
    fs.openSync = open;
    syncBuiltinESMExports();
  }
}

describe.each([
  { command: "replay", policies: ["-p", "fixtures/policies/demo.yaml"] },
  { command: "diff", policies: ["--base", "fixtures/policies/demo.yaml", "--head", "fixtures/policies/demo-tightened.yaml"] },
])("$command", ({ command, policies }) => {
  it("with every output a file reads each tape through once less than to stdout, which is checked first", async () => {
    const tapes = ["fixtures/tapes/everything.jsonl", "fixtures/tapes/filesystem.jsonl"];
    const dir = tempDir("read-once");
    const toStdout = await opensOf(tapes, [command, ...tapes, ...policies, "--format", "json"]);
    const toFile = await opensOf(tapes, [command, ...tapes, ...policies, "--format", "json", "-o", join(dir, "out.json")]);
    expect([toStdout.code, toFile.code]).toEqual([0, 0]);
    expect(toFile.opens.every((n) => n >= 1)).toBe(true);
    expect(toStdout.opens).toEqual(toFile.opens.map((n) => n + 1));
  });
});
