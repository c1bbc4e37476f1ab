/**
 * `mcptape test`: runs scenario files; exit 0 when every expectation holds, 1 when any fails,
 * 2 when a file or scenario could not run (the others still ran and are reported).
 */
import { runSuite } from "../scenario/run.js";
import { passed } from "../scenario/types.js";
import { TEST_FORMATS } from "../report/formats.js";
import { testRenderer } from "../report/test-formats.js";
import { plural } from "../report/verdict.js";
import { cedarFlagsFrom, givenCedarFlags, type CedarFlags } from "./cedar-flags.js";
import { command, type FlagValues } from "./flags.js";
import type { Io } from "./io.js";
import { outputFlags, Outputs, type OutputFlags } from "./outputs.js";
import { suiteSelectionFrom } from "./test-flags.js";
import { watchTests } from "./test-watch.js";
import type { TestRun } from "../scenario/types.js";
import { findScenarioFiles } from "../scenario/discover.js";
import type { FileOutcome, SuiteFile, SuiteSelection } from "../scenario/run.js";
import { shardIndexes, unitsOf } from "../shard/partition.js";
import { WorkerPool } from "../parallel/pool.js";
import { jobsFrom } from "./run-plan.js";

/** Suites of fewer bytes than this in all stay on the main thread unless `--jobs` is given. */
const SMALL_SUITE = 4 * 2 ** 20;

/**
 * `--jobs N`: this run's scenario files on N worker threads (the number of cores unless told,
 * except for small inputs; never with --fail-fast, which runs the files in turn).
 */

async function runOnThreads(args: string[], select: SuiteSelection, jobsFlag: string | undefined, run: (threads?: (files: SuiteFile[]) => Promise<FileOutcome[]>) => Promise<TestRun>): Promise<TestRun> {
  const units = unitsOf(findScenarioFiles(args).map((f) => f.file));
  const mine = shardIndexes(units, select.shard);
  const jobs = Math.min(jobsFrom(jobsFlag, mine.reduce((n, i) => n + units[i]!.bytes, 0) >= SMALL_SUITE), mine.length);
  if (jobs <= 1 || select.failFast) return run();
  const pool = WorkerPool.start(null, jobs);
  try {
    return await run((files) => pool.runFiles(files));
  } finally {
    await pool.close();
  }
}

export interface TestFlags {
  output: OutputFlags;
  /** Cedar settings for scenarios that leave them out. */
  cedar: CedarFlags;
  select: SuiteSelection;
  /** `--jobs N` as given (the default depends on the suite's size). */
  jobs: string | undefined;
  watch: boolean;
  /** `--strict`: a warning fails the run (exit 1), as `validate --strict`. */
  strict: boolean;
}

export function testFlags(values: FlagValues): TestFlags {
  return {
    output: outputFlags(values, TEST_FORMATS),
    cedar: cedarFlagsFrom(values),
    select: suiteSelectionFrom(values),
    jobs: values.string("jobs"),
    watch: values.bool("watch"),
    strict: values.bool("strict"),
  };
}

export const testCommand = command(testFlags, test);

async function test(args: string[], flags: TestFlags, io: Io): Promise<number> {
  const once = async (): Promise<TestRun> => {
    const ran = await runOnThreads(args, flags.select, flags.jobs, (threads) => runSuite(args, flags.cedar, { ...flags.select, ...(threads ? { threads } : {}) }));
    const unused = unusedCedarFlags(flags.cedar, ran.results.map((r) => r.gateway));
    const run = unused ? { ...ran, warnings: [...ran.warnings, unused] } : ran;
    const outputs = Outputs.open(io, flags.output, testRenderer);
    outputs.write((render) => render(run));
    await outputs.close();
    for (const e of run.errored) io.stderr.write(`mcptape: ${e.message}\n`);
    // Text and github on stdout show the warnings in the log; a json, junit, sarif or markdown report, or any -o, would keep them from it.
    const inLog = flags.output.output === undefined && (flags.output.format === "text" || flags.output.format === "github");
    if (!inLog) for (const w of run.warnings) io.stderr.write(`mcptape: warning: ${w}\n`);
    return run;
  };
  if (flags.watch) return watchTests(args, once, io);
  const run = await once();
  if (run.errored.length > 0) return 2;
  if (!run.results.every(passed)) return 1;
  if (flags.strict && run.warnings.length > 0) {
    io.stderr.write(`mcptape: --strict: ${plural(run.warnings.length, "warning")} failed the run\n`);
    return 1;
  }
  return 0;
}

/**
 * Cedar flags that no scenario of the run was decided with: `--limits` beside no toolhive
 * policy, the others beside no Cedar policy. A warning, not an error: one shard may hold no
 * Cedar scenario while another does; `--strict` makes it fail the run.
 */
function unusedCedarFlags(flags: CedarFlags, gateways: readonly string[]): string | undefined {
  const unused = [
    ...(gateways.some((g) => g.startsWith("cedar")) ? [] : givenCedarFlags(flags)),
    ...(flags.limitsFile !== undefined && !gateways.includes("cedar (toolhive)") ? ["--limits"] : []),
  ];
  if (unused.length === 0) return undefined;
  return `${unused.join(" and ")} decided nothing: no scenario this run ran is ${unused.includes("--limits") && unused.length === 1 ? "a Cedar policy under the toolhive profile, which alone has ToolHive's limiter" : "a Cedar policy"}`;
}
