/** `mcptape replay`: flags in, report out, exit code from --fail-on and --coverage-threshold. */
import { coverageOf, TotalsCounter } from "../replay/totals.js";
import { replayBatches } from "../replay/replay.js";
import { expandTapePaths } from "../tape/paths.js";
import { REPLAY_FORMATS } from "../report/formats.js";
import { replayRenderer } from "../report/replay-formats.js";
import type { ReplayMeta } from "../report/replay-renderer.js";
import type { Io } from "./io.js";
import { outputFlags, Outputs, type OutputFlags } from "./outputs.js";
import { checkTapes, reportingBadTapes } from "./tape-check.js";
import { parseFailOn, parsePercent } from "../replay/options.js";
import type { ReplayOptions } from "../replay/types.js";
import type { ListView } from "../report/list-view.js";
import { gatewayFactory, policyModel } from "../gateway/create.js";
import { cedarFlagsFrom, type CedarFlags } from "./cedar-flags.js";
import { command, type FlagValues } from "./flags.js";
import { policyDialectFrom, requirePolicy } from "./policy-arg.js";
import { replayFlagsFrom } from "./replay-flags.js";
import { startProgress } from "./progress.js";
import { FailCounts, type FailOutcome } from "./verdict.js";
import { listViewFrom } from "./list-flags.js";
import { readStdinArgs } from "./stdin.js";
import type { PolicyDialect } from "../policy/model.js";

export interface ReplayFlags {
  output: OutputFlags;
  policy: string | undefined;
  dialect: PolicyDialect | undefined;
  cedar: CedarFlags;
  options: ReplayOptions;
  view: ListView;
  failOn: Set<FailOutcome>;
  coverage: boolean;
  coverageThreshold: number | undefined;
}

export function replayFlags(values: FlagValues): ReplayFlags {
  return {
    output: outputFlags(values, REPLAY_FORMATS),
    view: listViewFrom(values),
    failOn: parseFailOn(values.string("failOn")),
    coverageThreshold: parsePercent(values.string("coverageThreshold")),
    options: replayFlagsFrom(values),
    policy: values.string("policy"),
    dialect: policyDialectFrom(values),
    cedar: cedarFlagsFrom(values),
    coverage: values.bool("coverage"),
  };
}

export const replayCommand = command(replayFlags, replay);

async function replay(args: string[], flags: ReplayFlags, io: Io): Promise<number> {
  const { options, failOn, coverageThreshold: threshold } = flags;
  const policyName = flags.policy ?? ""; // as given: `-` stays `-` in reports
  const stdin = await readStdinArgs(args, [flags.policy]);
  const tapes = expandTapePaths(stdin.args);
  const policy = (await requirePolicy(stdin.policies[0], "-p/--policy", { dialect: flags.dialect, cedar: flags.cedar.cedar }, io)).policy;
  const gateways = gatewayFactory(policy, { window: options.window, claims: flags.cedar.claims, limits: flags.cedar.limits });
  const checkFirst = !Outputs.cannotBeCut(flags.output);
  if (checkFirst) await checkTapes(tapes);

  const outputs = Outputs.open(io, flags.output, replayRenderer);
  const warnings: string[] = [];
  const meta: ReplayMeta = { policy: policyName, tapes, failOn, warnings, policyModel: policyModel(policy), options, view: flags.view };
  outputs.write((r) => r.start(meta));

  const counter = new TotalsCounter();
  const progress = startProgress(io, tapes);
  const failing = new FailCounts(failOn);
  let index = 0;
  const source = {
    tapes,
    onWarning: (w: { file: string; line: number; message: string }) => warnings.push(`${w.file}:${w.line}: ${w.message}`),
    onBytes: (bytes: number) => progress.read(bytes),
  };
  const batches = replayBatches(gateways, source, options);
  for await (const batch of checkFirst ? batches : reportingBadTapes(tapes, batches)) {
    for (const call of batch) {
      counter.add(call);
      failing.add(call);
      outputs.write((r) => r.call(call, index));
      index++;
    }
    await outputs.drain();
    progress.tick(batch[batch.length - 1]!.tape, batch.length);
  }
  progress.stop();

  const coverage = flags.coverage || threshold !== undefined ? coverageOf(gateways(), counter.totals) : undefined;
  const model = policyModel(policy);
  // Loaded only for --coverage: the risk rules are a start-up cost every other replay would pay.
  const advice = coverage && model ? await (await import("../risk/tape-advice.js")).adviceForTapes(model, tapes) : undefined;
  if (coverage && advice) {
    coverage.tools = advice.tools;
    warnings.push(...advice.warnings);
  }
  const end = { totals: counter.totals, coverage, coverageThreshold: threshold };
  await outputs.writeStreamed((r) => r.end(end));
  await outputs.close();
  for (const w of warnings) io.stderr.write(`mcptape: warning: ${w}\n`);
  const failLine = failing.line();
  if (failLine) io.stderr.write(`mcptape: ${failLine}\n`);
  const belowThreshold = coverage !== undefined && threshold !== undefined && coverage.percent < threshold;
  if (belowThreshold) {
    io.stderr.write(`mcptape: --coverage-threshold ${threshold}: ${coverage.percent}% of rules decided a call (${coverage.exercised} of ${coverage.rules}), below the threshold\n`);
  }
  return failLine !== undefined || belowThreshold ? 1 : 0;
}
