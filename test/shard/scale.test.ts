/**
 * Issue 19's byte-identity contracts (docs/spec/cli.md "Large corpora"): `--jobs N` prints the
 * same whatever N, and the shards of a run merged with `mcptape merge` print what the one run
 * prints, in every format, with its exit code. A rule's name is not ASCII: worker threads hand
 * json lines over as UTF-8 bytes. Property tests over random tape sets (some
 * with a cut last line, so tape warnings are merged too) and shard counts. Jobs run through
 * the built CLI (its worker threads load from dist/); the rest runs in this process.
 */
import { readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runCli, spawnCli, type CliResult } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { DIFF_FORMATS, REPLAY_FORMATS } from "../../src/report/formats.js";

const BASE = `version: "1"
tools:
  ping:
    rules:
      - name: "three pings a minute"
        rate_limit: 3/minute
  send_sms:
    rules:
      - name: "two texts a minute (≤ 2 SMS ✉, Grüße)"
        rate_limit: 2/minute
  delete_file:
    rules:
      - name: "no deletes"
        action: deny
`;
const HEAD = BASE.replace("3/minute", "1/minute").replace("no deletes", "never delete");

const TOOLS = ["ping", "send_sms", "delete_file", "read_file"] as const;
const call = fc.record({
  gapMs: fc.integer({ min: 0, max: 40_000 }),
  session: fc.constantFrom("s1", "s2"),
  tool: fc.constantFrom(...TOOLS),
  outcome: fc.constantFrom("ok", "ok", "error", "isError"),
  recorded: fc.constantFrom(undefined, "allow", "deny"),
});
/** Tools a tape's tools/list answer names (replay --coverage gives each its risk advice). */
const listed = fc.subarray([
  { name: "delete_file", description: "Delete a file", annotations: { destructiveHint: true } },
  { name: "send_sms", description: "Send a text message" },
  { name: "read_file", description: "Read a file", annotations: { readOnlyHint: true } },
]);
const tape = fc.record({ calls: fc.array(call, { maxLength: 12 }), cut: fc.boolean(), tools: listed });
const tapeSet = fc.array(tape, { minLength: 1, maxLength: 6 });

type TapeSet = typeof tapeSet extends fc.Arbitrary<infer T> ? T : never;

function writeTapes(dir: string, tapes: TapeSet): string {
  const folder = join(dir, "tapes");
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  tapes.forEach((t, i) => {
    let ms = Date.UTC(2026, 0, 1, 9, 0, 0) + i * 7_000;
    const lines = [
      { kind: "header", tape: 1, id: `t${i}`, t: new Date(ms).toISOString(), recorder: { name: "test", version: "1" }, transport: "hand" },
      { kind: "session", session: "s1", t: new Date(ms).toISOString(), identity: "alice" },
      { kind: "session", session: "s2", t: new Date(ms).toISOString(), identity: "bob" },
      ...(t.tools.length === 0 ? [] : [
        { kind: "msg", seq: 1, t: new Date(ms).toISOString(), session: "s1", dir: "c2s", msg: { jsonrpc: "2.0", id: 1, method: "tools/list" } },
        { kind: "msg", seq: 2, t: new Date(ms).toISOString(), session: "s1", dir: "s2c", msg: { jsonrpc: "2.0", id: 1, result: { tools: t.tools.map((tool) => ({ ...tool, inputSchema: { type: "object" } })) } } },
      ]),
      ...t.calls.map((c, seq) => {
        ms += c.gapMs;
        return { kind: "call", seq: seq + 3, t: new Date(ms).toISOString(), session: c.session, tool: c.tool, args: { n: seq }, outcome: c.outcome, latencyMs: 50, ...(c.recorded ? { recorded: { decision: c.recorded } } : {}) };
      }),
    ];
    const text = lines.map((l) => JSON.stringify(l)).join("\n") + "\n" + (t.cut ? '{"kind":"call","seq":99,' : "");
    // Names out of size order, so the partition's byte balance and the input order differ.
    writeFileSync(join(folder, `tape-${String.fromCharCode(97 + ((i * 5) % 26))}${i}.jsonl`), text);
  });
  return folder;
}

/** Every format of one run: stdout in the first, each other through --report; with the exit code. */
interface Printed {
  code: number;
  outputs: Record<string, string>;
}

/** Every format but the first (stdout) as a --report, and the results file too (a merge writes a whole run's). */
function reportArgs(dir: string, label: string, formats: readonly string[]): string[] {
  return [...formats.slice(1), "results"].flatMap((f) => ["--report", `${f}=${join(dir, `${label}.${f}`)}`]);
}

function printed(r: CliResult, dir: string, label: string, formats: readonly string[]): Printed {
  expect(r.stderr).not.toMatch(/internal error/);
  const outputs: Record<string, string> = { [formats[0]!]: r.stdout };
  for (const f of [...formats.slice(1), "results"]) outputs[f] = readFileSync(join(dir, `${label}.${f}`), "utf8");
  return { code: r.code, outputs };
}

interface Case {
  command: "replay" | "diff";
  formats: readonly string[];
  policyArgs: (dir: string) => string[];
}

const CASES: Case[] = [
  { command: "replay", formats: REPLAY_FORMATS, policyArgs: (dir) => ["-p", join(dir, "base.yaml"), "--fail-on", "deny", "--coverage"] },
  { command: "diff", formats: DIFF_FORMATS, policyArgs: (dir) => ["--base", join(dir, "base.yaml"), "--head", join(dir, "head.yaml"), "--fail-on-change"] },
];

describe.each(CASES)("$command at scale", ({ command, formats, policyArgs }) => {
  const dir = tempDir(`scale-${command}`);
  writeFileSync(join(dir, "base.yaml"), BASE);
  writeFileSync(join(dir, "head.yaml"), HEAD);
  const run = (label: string, extra: string[], spawned = false): Promise<Printed> | Printed => {
    const args = [command, join(dir, "tapes"), ...policyArgs(dir), "--format", formats[0]!, ...reportArgs(dir, label, formats), ...extra];
    return spawned ? printed(spawnCli(args), dir, label, formats) : runCli(args).then((r) => printed(r, dir, label, formats));
  };

  it("prints the same bytes and exit code with --jobs 1, 2 and 3 (built CLI, worker threads from dist/)", async () => {
    await fc.assert(
      fc.asyncProperty(tapeSet, async (tapes) => {
        writeTapes(dir, tapes);
        const one = await run("jobs1", ["--jobs", "1"]);
        expect(run("jobs2", ["--jobs", "2"], true)).toEqual(one);
        expect(run("jobs3", ["--jobs", "3"], true)).toEqual(one);
      }),
      { numRuns: 3 },
    );
  });

  it("prints the same with --jobs 2 run from source (worker threads through tsx) as with --jobs 1", async () => {
    writeTapes(dir, fc.sample(tapeSet.filter((ts) => ts.length >= 3), { numRuns: 1, seed: 19 })[0]!);
    expect(await run("src-jobs2", ["--jobs", "2"])).toEqual(await run("src-jobs1", ["--jobs", "1"]));
  });

  it("merges N shards into the bytes and exit code of one unsharded run, in every format", async () => {
    await fc.assert(
      fc.asyncProperty(tapeSet, fc.integer({ min: 1, max: 5 }), async (tapes, n) => {
        writeTapes(dir, tapes);
        const whole = await run("whole", []);
        const results: string[] = [];
        for (let i = 1; i <= n; i++) {
          const file = join(dir, `results-${i}.jsonl`);
          results.push(file);
          const shard = await runCli([command, join(dir, "tapes"), ...policyArgs(dir), "--format", "json", "--shard", `${i}/${n}`, "--report", `results=${file}`]);
          expect(shard.code).toBeLessThan(2);
        }
        // Given in any order: merge sorts the shards.
        const merged = printed(await runCli(["merge", ...results.reverse(), "--format", formats[0]!, ...reportArgs(dir, "merged", formats)]), dir, "merged", formats);
        expect(merged).toEqual(whole);
      }),
      { numRuns: 6 },
    );
  });
});

/**
 * Runs `args` with each of `reports` written by --report, with --jobs 1 (in this process), 2 and
 * 3 (the built CLI, its worker threads from dist/): the same stdout, stderr, exit code and reports.
 */
async function expectSameWhateverJobs(dir: string, args: string[], reports: string[]): Promise<void> {
  const run = (jobs: string) => {
    const file = (format: string) => join(dir, `jobs${jobs}.${format}`);
    const all = [...args, ...reports.flatMap((f) => ["--report", `${f}=${file(f)}`]), "--jobs", jobs];
    const done = (r: CliResult) => ({ ...r, reports: reports.map((f) => readFileSync(file(f), "utf8")) });
    return jobs === "1" ? runCli(all).then(done) : done(spawnCli(all));
  };
  const one = await run("1");
  expect(one.stdout).not.toBe("");
  expect(await run("2")).toEqual(one);
  expect(await run("3")).toEqual(one);
}

// Without coverage, json and text lines are rendered on the worker threads and only placed on
// the main thread (src/parallel/split-run.ts): a path of its own, with its own counts; a results
// file's records are made there too (UnitOutput.records).
describe("replay at scale with its lines rendered on the worker threads", () => {
  const dir = tempDir("scale-split");
  writeFileSync(join(dir, "base.yaml"), BASE);
  const VIEWS = [["--fail-on", "deny,changed"], ["--only", "deny,changed"], ["--quiet", "--fail-on", "throttle"], ["--all"]];

  it.each([
    ["json", "text"],
    ["text", "json"],
  ])("prints the same bytes, stderr and exit code with --jobs 1, 2 and 3: %s on stdout, %s and results as reports", async (format, report) => {
    await fc.assert(
      fc.asyncProperty(tapeSet, fc.constantFrom(...VIEWS), async (tapes, view) => {
        writeTapes(dir, tapes);
        await expectSameWhateverJobs(dir, ["replay", join(dir, "tapes"), "-p", join(dir, "base.yaml"), ...view, "--format", format], [report, "results"]);
      }),
      { numRuns: 3 },
    );
  });
});

// A diff whose every output lists changed calls only has its workers hand back just those, with
// their places and how many calls there were (src/parallel/changes-only.ts): a path of its own.
describe("diff at scale with only its changed calls handed back by the worker threads", () => {
  const dir = tempDir("scale-changes");
  writeFileSync(join(dir, "base.yaml"), BASE);
  writeFileSync(join(dir, "head.yaml"), HEAD);
  const VIEWS = [["--fail-on-change"], ["--only", "deny", "--fail-on-loosen"], ["--quiet"], ["--wide"]];

  it.each([
    ["text", ["markdown", "github", "sarif"]],
    ["markdown", ["text", "results"]],
  ])("prints the same bytes, stderr and exit code with --jobs 1, 2 and 3: %s on stdout, %j as reports", async (format, reports) => {
    await fc.assert(
      fc.asyncProperty(tapeSet, fc.constantFrom(...VIEWS), async (tapes, view) => {
        writeTapes(dir, tapes);
        await expectSameWhateverJobs(dir, ["diff", join(dir, "tapes"), "--base", join(dir, "base.yaml"), "--head", join(dir, "head.yaml"), ...view, "--format", format], reports);
      }),
      { numRuns: 3 },
    );
  });
});

describe("results records made on the worker threads", () => {
  it("keep a tape warning given in the middle of a long tape at its place among the calls, as one thread writes them", async () => {
    const dir = tempDir("scale-records");
    writeFileSync(join(dir, "base.yaml"), BASE);
    mkdirSync(join(dir, "tapes"));
    const t0 = Date.UTC(2026, 0, 1, 9, 0, 0);
    for (const name of ["a", "b"]) {
      const lines = [{ kind: "header", tape: 1, id: name, t: new Date(t0).toISOString(), recorder: { name: "test", version: "1" }, transport: "hand" }];
      for (let i = 1; i <= 3000; i++) {
        // seq 1500 comes again after 2000: the reader warns there, hundreds of kilobytes into the tape.
        const seq = i === 2001 ? 1500 : i;
        lines.push({ kind: "call", seq, t: new Date(t0 + i * 1000).toISOString(), session: "s1", tool: "read_file", args: { pad: "x".repeat(100) }, outcome: "ok", latencyMs: 1 } as never);
      }
      writeFileSync(join(dir, "tapes", `${name}.jsonl`), lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    }
    // Text lists a long run's first thousand calls only (all allowed here): its stdout stays small.
    const args = ["replay", join(dir, "tapes"), "-p", join(dir, "base.yaml"), "--format", "text"];
    await expectSameWhateverJobs(dir, args, ["json", "results"]);
    const records = readFileSync(join(dir, "jobs2.results"), "utf8").trimEnd().split("\n");
    const warning = records.findIndex((r) => r.includes('"warning"') && r.includes("seq 1500"));
    expect(warning).toBeGreaterThan(1000);
    expect(records.slice(warning + 1).some((r) => r.includes('"call"'))).toBe(true);
  });
});
