/** `mcptape diff`: two policies over the same tapes in one pass; exit 1 on --fail-on-change/--fail-on-loosen. */
import { diffReplayBatches } from "../diff/diff-replay.js";
import { policyPatch } from "../diff/policy-patch.js";
import { DiffTotalsCounter } from "../diff/totals.js";
import { diffRenderer } from "../report/diff-formats.js";
import { DIFF_FORMATS } from "../report/formats.js";
import type { DiffMeta } from "../report/diff-renderer.js";
import { expandTapePaths } from "../tape/paths.js";
import { gatewayFactory, policyModel } from "../gateway/create.js";
import { cedarOptionsFrom, claimsFileFrom, limitsFileFrom } from "./cedar-flags.js";
import { requireDiffPolicy } from "./diff-policy.js";
import type { Io } from "./io.js";
import { outputFlags, Outputs } from "./outputs.js";
import { checkTapes } from "./tape-check.js";
import { startProgress } from "./progress.js";
import { replayOptionsFromFlags } from "../replay/options.js";
import { plural } from "./verdict.js";
import { listViewFrom } from "./list-flags.js";
import { readStdinArgs } from "./stdin.js";

export async function diffAction(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const flags = outputFlags(opts, DIFF_FORMATS);
  const view = listViewFrom(opts);
  const options = replayOptionsFromFlags(opts); // both sides replay as `replay` would with these flags
  const tapes = expandTapePaths(await readStdinArgs(args, opts, ["base", "head"]));
  const cedar = cedarOptionsFrom(opts);
  const base = await requireDiffPolicy(opts.base, opts.dialect, io, "--base", undefined, cedar);
  const head = await requireDiffPolicy(opts.head, opts.dialect, io, "--head", undefined, cedar);
  const gatewayOptions = { window: options.window, claims: claimsFileFrom(opts), limits: limitsFileFrom(opts) };
  await checkTapes(tapes);

  const outputs = Outputs.open(io, flags, diffRenderer);
  const warnings: string[] = [];
  const meta: DiffMeta = {
    base: base.name,
    head: head.name,
    tapes,
    failOnChange: opts.failOnChange === true,
    failOnLoosen: opts.failOnLoosen === true,
    // Only markdown shows the policy diff; it can take a while on big policies.
    patch: [flags.format, ...flags.reports.map((r) => r.format)].includes("markdown") ? policyPatch(base, head) : "",
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
