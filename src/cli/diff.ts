/** `mcptape diff`: two policies over the same tapes in one pass; exit 1 on --fail-on-change/--fail-on-loosen. */
import { diffReplayBatches } from "../diff/diff-replay.js";
import { policyPatch } from "../diff/policy-patch.js";
import { DiffTotalsCounter } from "../diff/totals.js";
import { diffRenderer } from "../report/diff-formats.js";
import { DIFF_FORMATS } from "../report/formats.js";
import type { DiffMeta } from "../report/diff-renderer.js";
import { expandTapePaths } from "../tape/paths.js";
import { gatewayFactory, policyModel } from "../gateway/create.js";
import { cedarFlagsFrom, type CedarFlags } from "./cedar-flags.js";
import { command, type FlagValues } from "./flags.js";
import type { Io } from "./io.js";
import { outputFlags, Outputs, type OutputFlags } from "./outputs.js";
import { policyDialectFrom, requirePolicy } from "./policy-arg.js";
import { checkTapes } from "./tape-check.js";
import { startProgress } from "./progress.js";
import { replayFlagsFrom } from "./replay-flags.js";
import type { ReplayOptions } from "../replay/types.js";
import type { ListView } from "../report/list-view.js";
import type { PolicyDialect } from "../policy/model.js";
import { plural } from "./verdict.js";
import { listViewFrom } from "./list-flags.js";
import { readStdinArgs } from "./stdin.js";

export interface DiffFlags {
  output: OutputFlags;
  view: ListView;
  /** Both sides replay as `replay` would with these flags. */
  options: ReplayOptions;
  base: string | undefined;
  head: string | undefined;
  dialect: PolicyDialect | undefined;
  cedar: CedarFlags;
  failOnChange: boolean;
  failOnLoosen: boolean;
}

export function diffFlags(values: FlagValues): DiffFlags {
  return {
    output: outputFlags(values, DIFF_FORMATS),
    view: listViewFrom(values),
    options: replayFlagsFrom(values),
    base: values.string("base"),
    head: values.string("head"),
    dialect: policyDialectFrom(values),
    cedar: cedarFlagsFrom(values),
    failOnChange: values.bool("failOnChange"),
    failOnLoosen: values.bool("failOnLoosen"),
  };
}

export const diffCommand = command(diffFlags, diff);

async function diff(args: string[], flags: DiffFlags, io: Io): Promise<number> {
  const { options, view } = flags;
  const stdin = await readStdinArgs(args, [flags.base, flags.head]);
  const tapes = expandTapePaths(stdin.args);
  const how = { dialect: flags.dialect, cedar: flags.cedar.cedar };
  const base = await requirePolicy(stdin.policies[0], "--base", how, io);
  const head = await requirePolicy(stdin.policies[1], "--head", how, io);
  const gatewayOptions = { window: options.window, claims: flags.cedar.claims, limits: flags.cedar.limits };
  await checkTapes(tapes);

  const outputs = Outputs.open(io, flags.output, diffRenderer);
  const warnings: string[] = [];
  const meta: DiffMeta = {
    base: base.name,
    head: head.name,
    tapes,
    failOnChange: flags.failOnChange,
    failOnLoosen: flags.failOnLoosen,
    // Only markdown shows the policy diff; it can take a while on big policies.
    patch: [flags.output.format, ...flags.output.reports.map((r) => r.format)].includes("markdown") ? policyPatch(base, head) : "",
    warnings,
    view,
    policies: { base: policyModel(base.policy), head: policyModel(head.policy) },
  };
  outputs.write((r) => r.start(meta));

  const counter = new DiffTotalsCounter();
  const progress = startProgress(io, tapes);
  let index = 0;
  const source = {
    tapes,
    onWarning: (w: { file: string; line: number; message: string }) => warnings.push(`${w.file}:${w.line}: ${w.message}`),
    onBytes: (bytes: number) => progress.read(bytes),
  };
  for await (const batch of diffReplayBatches({ base: gatewayFactory(base.policy, gatewayOptions), head: gatewayFactory(head.policy, gatewayOptions) }, source, options)) {
    for (const call of batch) {
      counter.add(call);
      outputs.write((r) => r.call(call, index));
      index++;
    }
    await outputs.drain();
    progress.tick(batch[batch.length - 1]!.tape, batch.length);
  }
  progress.stop();

  const end = { totals: counter.totals };
  outputs.write((r) => r.end(end));
  await outputs.close();
  for (const w of warnings) io.stderr.write(`mcptape: warning: ${w}\n`);
  const { changed, loosened } = counter.totals.summary;
  const fails: string[] = [];
  if (meta.failOnChange && changed > 0) fails.push(`--fail-on-change: ${plural(changed, "decision")} changed`);
  if (meta.failOnLoosen && loosened > 0) fails.push(`--fail-on-loosen: ${plural(loosened, "refused call")} became allowed`);
  for (const line of fails) io.stderr.write(`mcptape: ${line}\n`);
  return fails.length > 0 ? 1 : 0;
}
