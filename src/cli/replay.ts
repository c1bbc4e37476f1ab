/** `mcptape replay`: flags in, report out, exit code from --fail-on and --coverage-threshold. */
import { coverageOf, TotalsCounter, type Coverage, type Totals } from "../replay/totals.js";
import { sightingsOfTape, type TapeSightings } from "../tape/sessions.js";
import { replayBatches } from "../replay/replay.js";
import { expandTapePaths } from "../tape/paths.js";
import { REPLAY_FORMATS } from "../report/formats.js";
import { replayRenderers } from "../report/replay-formats.js";
import type { ReplayMeta } from "../report/replay-renderer.js";
import { resultsHeader, type ResultsHeader } from "../parallel/results.js";
import type { ListView } from "../report/list-view.js";
import type { Io } from "./io.js";
import { outputFlags, Outputs, type OutputFlags } from "./outputs.js";
import { parseFailOn, parsePercent } from "../replay/options.js";
import type { DecidedCall, ReplayOptions } from "../replay/types.js";
import { policyModel } from "../gateway/create.js";
import type { LoadedPolicy } from "../gateway/types.js";
import { cedarFlagsFrom, refuseUnusedCedarFlags, type CedarFlags } from "./cedar-flags.js";
import { command, type FlagValues } from "./flags.js";
import { policyDialectFrom, requirePolicy } from "./policy-arg.js";
import { replayFlagsFrom } from "./replay-flags.js";
import type { PolicyDialect } from "../policy/model.js";
import { startProgress } from "./progress.js";
import { FailCounts, type FailOutcome } from "../report/verdict.js";
import { listViewFrom } from "./list-flags.js";
import { spoolReadOnceArgs } from "./read-once.js";
import { setupPolicy, setupGateways, type RunSetup } from "../parallel/setup.js";
import { unitRunner, type UnitListeners } from "../parallel/unit.js";
import type { UnitEvent } from "../parallel/pool.js";
import { addTotals, splitRunFor, type UnitCounts } from "../parallel/split-run.js";
import { PlannedWork, planRun, scaleFlagsFrom, type ScaleFlags } from "./run-plan.js";
import { reportEvents, ResultsOutput, takeResultsReports, viewData } from "./results-output.js";

export interface ReplayFlags {
  output: OutputFlags;
  /** `--report results=FILE`: written from the run's records, for `mcptape merge`. */
  resultsFiles: string[];
  policy: string | undefined;
  dialect: PolicyDialect | undefined;
  cedar: CedarFlags;
  options: ReplayOptions;
  scale: ScaleFlags;
  view: ListView;
  failOn: Set<FailOutcome>;
  coverage: boolean;
  coverageThreshold: number | undefined;
}

export function replayFlags(given: FlagValues): ReplayFlags {
  const { values, files: resultsFiles } = takeResultsReports(given);
  return {
    output: outputFlags(values, REPLAY_FORMATS),
    resultsFiles,
    view: listViewFrom(values),
    failOn: parseFailOn(values.string("failOn")),
    coverageThreshold: parsePercent(values.string("coverageThreshold")),
    options: replayFlagsFrom(values),
    scale: scaleFlagsFrom(values),
    policy: values.string("policy"),
    dialect: policyDialectFrom(values),
    cedar: cedarFlagsFrom(values),
    coverage: values.bool("coverage"),
  };
}

export const replayCommand = command(replayFlags, replay);

async function replay(args: string[], flags: ReplayFlags, io: Io): Promise<number> {
  const { options, failOn, view, coverageThreshold: threshold } = flags;
  const policyName = flags.policy ?? ""; // as given: `-` stays `-` in reports
  const stdin = await spoolReadOnceArgs(args, [flags.policy]);
  const coverage = flags.coverage || threshold !== undefined;
  // Rendered on the worker threads when every output can be (the main thread then only places the text).
  const split = await splitRunFor(Outputs.renderings(io, flags.output), coverage, { failOn: [...failOn], view });
  const plan = planRun(expandTapePaths(stdin.args), flags.scale, options.together, split !== undefined);
  const { cedar, claims, limits } = flags.cedar;
  const policy = await requirePolicy(stdin.policies[0], "-p/--policy", { dialect: flags.dialect, cedar }, io);
  refuseUnusedCedarFlags(flags.cedar, [policy.policy]);
  const setup: RunSetup = {
    command: "replay",
    policies: [{ ...setupPolicy(policy.name, policy.text, policy.policy, flags.dialect), label: policyName }],
    cedar,
    ...(claims ? { claims: [...claims] } : {}),
    ...(limits ? { limits } : {}),
    options,
  };
  const [gateways] = setupGateways(setup, [policy.policy]);

  const header = resultsHeader(setup, { failOn: [...failOn], view: viewData(view), coverage, ...(threshold !== undefined ? { coverageThreshold: threshold } : {}) }, plan.units, plan.shard, plan.mine);
  const together = options.together ? (listeners: UnitListeners) => replayBatches(gateways!, { ...listeners, tapes: plan.tapes }, options) : undefined;
  const work = PlannedWork.start(plan, setup, unitRunner(setup, [gateways!]), together, { ...(split ? { split } : {}), ...(flags.resultsFiles.length > 0 ? { records: true } : {}) });
  const sightings = async () => Promise.all(plan.mine.map(async (unit, k): Promise<[number, TapeSightings]> => [unit, await sightingsOfTape(plan.tapes[k]!)]));
  const progress = startProgress(io, plan.tapes);
  try {
    // Reports that cannot be read cut short (files appear only whole) need no read-through first: each tape is read once.
    const readOnce = Outputs.cannotBeCut(flags.output, flags.resultsFiles);
    if (!readOnce) await work.check();
    const onBytes = (bytes: number) => progress.read(bytes);
    const events = readOnce ? work.eventsUnchecked(onBytes) : work.events(onBytes);
    const report = { flags: flags.output, resultsFiles: flags.resultsFiles, header, policy: policy.policy, tapes: plan.tapes, failOn, view, threshold, coverage };
    return await reportReplay(io, report, events, sightings, (tape, n) => progress.tick(tape, n));
  } finally {
    progress.stop();
    await work.close();
  }
}

/** What a replay's reports are made from besides its calls: a run's flags, or a merge's results headers. */
export interface ReplayReport {
  flags: OutputFlags;
  resultsFiles: string[];
  header: ResultsHeader;
  policy: LoadedPolicy;
  tapes: string[];
  failOn: Set<FailOutcome>;
  view: ListView;
  threshold: number | undefined;
  coverage: boolean;
}

/**
 * Renders a replay's unit events (decided calls and tape warnings, in input order) in every
 * format asked for, and returns the exit code. A run and `mcptape merge` both report through
 * here, so a merge of shards prints what one run prints.
 */
export async function reportReplay(
  io: Io,
  run: ReplayReport,
  events: AsyncIterable<UnitEvent>,
  unitSightings: () => Promise<[number, TapeSightings][]>,
  onBatch: (tape: string, calls: number) => void = () => {},
): Promise<number> {
  const options: ReplayOptions = run.header.setup.options;
  const outputs = Outputs.open(io, run.flags, await replayRenderers([run.flags.format, ...run.flags.reports.map((r) => r.format)]));
  const results = ResultsOutput.open(run.resultsFiles, run.header);
  const warnings: string[] = [];
  const model = policyModel(run.policy);
  const shown = run.header.setup.policies[0]!;
  const meta: ReplayMeta = { policy: shown.label ?? shown.name, tapes: run.tapes, failOn: run.failOn, warnings, policyModel: model, options, view: run.view };
  outputs.write((r) => r.start(meta));

  const counter = new TotalsCounter();
  const failing = new FailCounts(run.failOn);
  let index = 0;
  const callers = new Map<string, string | undefined>(); // tape and session of each caller: its identity
  const onCall = (call: DecidedCall) => {
    if (run.coverage) callers.set(`${call.tape}\u0000${call.session}`, call.identity);
    counter.add(call);
    failing.add(call);
    const at = index++; // one index for every output's renderer
    outputs.write((r) => r.call(call, at));
  };
  const split = {
    onLines: (batches: unknown[], count: number) => {
      const first = index;
      index += count;
      outputs.write((r, output) => r.split!.place(batches[output], first));
    },
    onCounts: ({ totals, fails }: UnitCounts) => {
      addTotals(counter.totals, totals);
      failing.addCounted(fails);
    },
  };
  await reportEvents(events, results, warnings, onCall, () => outputs.drain(), onBatch, split);

  const threshold = run.threshold;
  const coverage = run.coverage ? await coverageOfRun(run, counter.totals, callers, await unitSightings(), results, warnings) : undefined;
  const end = { totals: counter.totals, coverage, coverageThreshold: threshold };
  await outputs.writeStreamed((r) => r.end(end));
  await outputs.close(results.ending());
  for (const w of warnings) io.stderr.write(`mcptape: warning: ${w}\n`);
  const failLine = failing.line();
  if (failLine) io.stderr.write(`mcptape: ${failLine}\n`);
  const belowThreshold = coverage !== undefined && threshold !== undefined && coverage.percent < threshold;
  if (belowThreshold) {
    io.stderr.write(`mcptape: --coverage-threshold ${threshold}: ${coverage.percent}% of rules decided a call (${coverage.exercised} of ${coverage.rules}), below the threshold\n`);
  }
  return failLine !== undefined || belowThreshold ? 1 : 0;
}

/**
 * Coverage of a run whose gateway runs were on other threads or runners: one gateway is shown
 * what they all saw (the tools listed, the callers who called), then asked.
 */
async function coverageOfRun(
  run: ReplayReport, totals: Totals, callers: ReadonlyMap<string, string | undefined>, sightings: [number, TapeSightings][], results: ResultsOutput, warnings: string[],
): Promise<Coverage> {
  // In tape order, however the shards' files were read: a later listing of a tool wins.
  const perUnit = sightings.sort((a, b) => a[0] - b[0]);
  for (const [unit, seen] of perUnit) results.sightings(unit, seen);
  const gateway = setupGateways(run.header.setup, [run.policy])[0]!();
  for (const [unit, seen] of perUnit) {
    gateway.listTools(seen.tools);
    const tape = run.header.tapes[unit]!.path;
    for (const s of seen.sessions) {
      const key = `${tape}\u0000${s.session}`;
      if (callers.has(key)) gateway.noteCaller?.(s.claims, callers.get(key));
    }
  }
  const coverage = coverageOf(gateway, totals);
  const model = policyModel(run.policy);
  // The risk rules are loaded only here: a start-up cost every other replay would pay.
  const advice = model ? (await import("../risk/tape-advice.js")).adviceForTools(model, perUnit.map(([, seen]) => seen.tools)) : undefined;
  if (advice) {
    coverage.tools = advice.tools;
    warnings.push(...advice.warnings);
  }
  return coverage;
}
