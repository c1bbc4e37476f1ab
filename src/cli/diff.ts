/** `mcptape diff`: two policies over the same tapes in one pass; exit 1 on --fail-on-change/--fail-on-loosen. */
import { diffReplayBatches } from "../diff/diff-replay.js";
import { policyPatch } from "../diff/policy-patch.js";
import { DiffTotalsCounter } from "../diff/totals.js";
import { DIFF_FORMATS, diffRenderer } from "../report/diff-formats.js";
import { diffFails, type DiffMeta, type DiffRenderer } from "../report/diff-renderer.js";
import { expandTapePaths } from "../tape/paths.js";
import { requireDiffPolicy } from "./diff-policy.js";
import { checkFormat, defaultFormat, type Io, type ReportTarget } from "./io.js";
import { startProgress } from "./progress.js";
import { replayOptionsFrom } from "./replay-options.js";
import { Sink } from "./sink.js";

export async function diffAction(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const format = (opts.format as string | undefined) ?? defaultFormat(io);
  const reports = (opts.report as ReportTarget[] | undefined) ?? [];
  checkFormat(format, DIFF_FORMATS);
  for (const r of reports) checkFormat(r.format, DIFF_FORMATS, "--report");
  // diff takes no replay flags today; any the command gains later are read the same way.
  const options = replayOptionsFrom(opts);
  const tapes = expandTapePaths(args);
  const base = await requireDiffPolicy(opts.base, opts.dialect, io, "--base");
  const head = await requireDiffPolicy(opts.head, opts.dialect, io, "--head");
  const output = opts.output as string | undefined;

  const outputs: { sink: Sink; renderer: DiffRenderer }[] = [
    { sink: output ? Sink.toFile(output) : Sink.toStream(io.stdout), renderer: diffRenderer(format, !output && io.stdout.isTTY === true) },
    ...reports.map((r) => ({ sink: Sink.toFile(r.file), renderer: diffRenderer(r.format, false) })),
  ];
  const warnings: string[] = [];
  const meta: DiffMeta = {
    base: base.name,
    head: head.name,
    tapes,
    failOnChange: opts.failOnChange === true,
    failOnLoosen: opts.failOnLoosen === true,
    // Only markdown shows the policy diff; it can take a while on big policies.
    patch: [format, ...reports.map((r) => r.format)].includes("markdown") ? policyPatch(base, head) : "",
    warnings,
  };
  for (const o of outputs) o.sink.write(o.renderer.start(meta));

  const counter = new DiffTotalsCounter();
  const progress = startProgress(io, tapes);
  let index = 0;
  const source = { tapes, onWarning: (w: { file: string; line: number; message: string }) => warnings.push(`${w.file}:${w.line}: ${w.message}`) };
  for await (const batch of diffReplayBatches({ base: base.policy, head: head.policy }, source, options)) {
    for (const call of batch) {
      counter.add(call);
      for (const o of outputs) o.sink.write(o.renderer.call(call, index));
      index++;
    }
    for (const o of outputs) await o.sink.drain();
    progress.tick(batch[batch.length - 1]!.tape, batch.length);
  }
  progress.stop();

  const end = { totals: counter.totals };
  for (const o of outputs) {
    o.sink.write(o.renderer.end(end));
    await o.sink.close();
  }
  for (const w of warnings) io.stderr.write(`mcptape: warning: ${w}\n`);
  return diffFails(meta, counter.totals) ? 1 : 0;
}
