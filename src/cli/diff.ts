/** `mcptape diff`: two policies over the same tapes in one pass; exit 1 on --fail-on-change/--fail-on-loosen. */
import { diffReplayBatches } from "../diff/diff-replay.js";
import { policyPatch } from "../diff/policy-patch.js";
import { DiffTotalsCounter } from "../diff/totals.js";
import type { DiffedCall } from "../diff/types.js";
import { diffRenderer } from "../report/diff-formats.js";
import { DIFF_FORMATS } from "../report/formats.js";
import type { DiffMeta } from "../report/diff-renderer.js";
import type { ListView } from "../report/list-view.js";
import { resultsHeader, type ResultsHeader } from "../parallel/results.js";
import { expandTapePaths } from "../tape/paths.js";
import { gatewayKind, limitsLeftOut, policyModel } from "../gateway/create.js";
import type { LoadedPolicy } from "../gateway/types.js";
import { cedarFlagsFrom, refuseUnusedCedarFlags, type CedarFlags } from "./cedar-flags.js";
import { command, type FlagValues } from "./flags.js";
import { gitRevPath, policyDialectFrom, requirePolicy } from "./policy-arg.js";
import type { Policy, PolicyDialect } from "../policy/model.js";
import type { ReplayOptions } from "../replay/types.js";
import type { Io } from "./io.js";
import { outputFlags, Outputs, type OutputFlags } from "./outputs.js";
import { startProgress } from "./progress.js";
import { replayFlagsFrom } from "./replay-flags.js";
import { plural } from "../report/verdict.js";
import { listViewFrom } from "./list-flags.js";
import { spoolReadOnceArgs } from "./read-once.js";
import { setupPolicy, setupGateways, type RunSetup } from "../parallel/setup.js";
import { unitRunner, type UnitCall, type UnitListeners } from "../parallel/unit.js";
import type { UnitEvent } from "../parallel/pool.js";
import { PlannedWork, planRun, scaleFlagsFrom, type ScaleFlags } from "./run-plan.js";
import { reportEvents, ResultsOutput, takeResultsReports, viewData } from "./results-output.js";

export interface DiffFlags {
  output: OutputFlags;
  /** `--report results=FILE`: written from the run's records, for `mcptape merge`. */
  resultsFiles: string[];
  view: ListView;
  /** Both sides replay as `replay` would with these flags. */
  options: ReplayOptions;
  scale: ScaleFlags;
  base: string | undefined;
  head: string | undefined;
  dialect: PolicyDialect | undefined;
  cedar: CedarFlags;
  failOn: { change: boolean; loosen: boolean };
}

export function diffFlags(given: FlagValues): DiffFlags {
  const { values, files: resultsFiles } = takeResultsReports(given);
  return {
    output: outputFlags(values, DIFF_FORMATS),
    resultsFiles,
    view: listViewFrom(values),
    options: replayFlagsFrom(values),
    scale: scaleFlagsFrom(values),
    base: values.string("base"),
    head: values.string("head"),
    dialect: policyDialectFrom(values),
    cedar: cedarFlagsFrom(values),
    failOn: { change: values.bool("failOnChange"), loosen: values.bool("failOnLoosen") },
  };
}

export const diffCommand = command(diffFlags, diff);

async function diff(args: string[], flags: DiffFlags, io: Io): Promise<number> {
  const { options, view, failOn } = flags;
  const stdin = await spoolReadOnceArgs(args, [flags.base, flags.head]);
  const changesOnly = listsChangesOnly(flags);
  const plan = planRun(expandTapePaths(stdin.args), flags.scale, options.together, changesOnly);
  const { cedar, claims, limits } = flags.cedar;
  const how = { dialect: flags.dialect, cedar };
  const base = await requirePolicy(stdin.policies[0], "--base", how, io);
  const head = await requirePolicy(stdin.policies[1], "--head", how, io);
  refuseUnusedCedarFlags(flags.cedar, [base.policy, head.policy]);
  const setup: RunSetup = {
    command: "diff",
    policies: [setupPolicy(base.name, base.text, base.policy, flags.dialect), setupPolicy(head.name, head.text, head.policy, flags.dialect)],
    cedar,
    ...(claims ? { claims: [...claims] } : {}),
    ...(limits ? { limits } : {}),
    options,
  };
  const gateways = setupGateways(setup, [base.policy, head.policy]);

  const render = { failOn: [...(failOn.change ? ["change"] : []), ...(failOn.loosen ? ["loosen"] : [])], view: viewData(view) };
  const header = resultsHeader(setup, render, plan.units, plan.shard, plan.mine);
  const together = options.together
    ? (listeners: UnitListeners) => diffReplayBatches({ base: gateways[0]!, head: gateways[1]! }, { ...listeners, tapes: plan.tapes }, options)
    : undefined;
  const work = PlannedWork.start(plan, setup, unitRunner(setup, gateways), together, { ...(changesOnly ? { changesOnly } : {}), ...(flags.resultsFiles.length > 0 ? { records: true } : {}) });
  const progress = startProgress(io, plan.tapes);
  try {
    // As for replay: reports that cannot be read cut short (files appear only whole) need no read-through first.
    const readOnce = Outputs.cannotBeCut(flags.output, flags.resultsFiles);
    if (!readOnce) await work.check();
    const onBytes = (bytes: number) => progress.read(bytes);
    const events = readOnce ? work.eventsUnchecked(onBytes) : work.events(onBytes);
    const report = { flags: flags.output, resultsFiles: flags.resultsFiles, header, base: base.policy, head: head.policy, tapes: plan.tapes, failOn, view };
    return await reportDiff(io, report, events, (tape, n) => progress.tick(tape, n));
  } finally {
    progress.stop();
    await work.close();
  }
}

/** Whether every output of this diff lists changed calls only (a results file's records are made on the threads). */
function listsChangesOnly(flags: DiffFlags): boolean {
  const formats = [flags.output.format, ...flags.output.reports.map((r) => r.format)];
  return formats.every((format) => diffRenderer(format, false).changesOnly === true);
}

/** What a diff's reports are made from besides its calls: a run's flags, or a merge's results headers. */
export interface DiffReport {
  flags: OutputFlags;
  resultsFiles: string[];
  header: ResultsHeader;
  base: LoadedPolicy;
  head: LoadedPolicy;
  tapes: string[];
  failOn: { change: boolean; loosen: boolean };
  view: ListView;
}

/** The policy's model when `name` is a file (whose rule lines a report may point at), not REV:PATH. */
function inCheckout(name: string, policy: LoadedPolicy): Policy | undefined {
  return gitRevPath(name) ? undefined : policyModel(policy);
}

/** Renders a diff's unit events in every format asked for; a run and `mcptape merge` both report through here. */
export async function reportDiff(io: Io, run: DiffReport, events: AsyncIterable<UnitEvent>, onBatch: (tape: string, calls: number) => void = () => {}): Promise<number> {
  const [base, head] = run.header.setup.policies as [RunSetup["policies"][number], RunSetup["policies"][number]];
  const outputs = Outputs.open(io, run.flags, diffRenderer);
  const results = ResultsOutput.open(run.resultsFiles, run.header);
  const warnings: string[] = [];
  const flags = run.flags;
  const meta: DiffMeta = {
    base: base.name,
    head: head.name,
    tapes: run.tapes,
    failOnChange: run.failOn.change,
    failOnLoosen: run.failOn.loosen,
    // Only markdown shows the policy diff; it can take a while on big policies.
    patch: [flags.format, ...flags.reports.map((r) => r.format)].includes("markdown") ? policyPatch(base, head) : "",
    warnings,
    view: run.view,
    // github and sarif point at a rule's line; a policy read from git (REV:PATH) is no file in the checkout to point at.
    policies: { base: inCheckout(base.name, run.base), head: inCheckout(head.name, run.head) },
    ...(gatewayKind(run.base) !== gatewayKind(run.head) ? { gateways: migration(run.base, run.head, run.header.setup.limits !== undefined) } : {}),
  };
  outputs.write((r) => r.start(meta));

  const counter = new DiffTotalsCounter();
  let index = 0;
  const onCall = (call: DiffedCall) => {
    counter.add(call);
    const at = index++; // one index for every output's renderer
    outputs.write((r) => r.call(call, at));
  };
  // A changes-only run's workers hand back the changed calls with their places; the rest count as unchanged.
  const onChanges = (calls: UnitCall[], at: number[], count: number) => {
    const first = index;
    calls.forEach((call, k) => {
      counter.add(call as DiffedCall);
      outputs.write((r) => r.call(call as DiffedCall, first + at[k]!));
    });
    counter.addUnchanged(count - calls.length);
    index += count;
  };
  await reportEvents(events, results, warnings, onCall, () => outputs.drain(), onBatch, { onChanges });

  const end = { totals: counter.totals };
  outputs.write((r) => r.end(end));
  await outputs.close(results.ending());
  for (const w of warnings) io.stderr.write(`mcptape: warning: ${w}\n`);
  const { changed, loosened } = counter.totals.summary;
  const fails: string[] = [];
  if (meta.failOnChange && changed > 0) fails.push(`--fail-on-change: ${plural(changed, "decision")} changed`);
  if (meta.failOnLoosen && loosened > 0) fails.push(`--fail-on-loosen: ${plural(loosened, "refused call")} became allowed`);
  for (const line of fails) io.stderr.write(`mcptape: ${line}\n`);
  return fails.length > 0 ? 1 : 0;
}

/** Base and head are different gateways: which, and what became of one side's rate limits. */
function migration(base: LoadedPolicy, head: LoadedPolicy, limits: boolean): NonNullable<DiffMeta["gateways"]> {
  const left = limitsLeftOut(base, head, limits);
  return { base: gatewayKind(base), head: gatewayKind(head), ...(left ? { limits: left } : {}) };
}
