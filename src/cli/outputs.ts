/**
 * The one way every command writes its output: `--format` (text unless told) to stdout or to
 * `-o FILE`, and each `--report FORMAT=FILE` to its file, all from the same run. A renderer is
 * made per output for its format; only the main output on a terminal gets colours. Text goes
 * out as it comes (buffered, waiting for a slow reader), so a long replay streams; commands
 * that render a finished run write once and close.
 */
import { InputError } from "../errors.js";
import { isReportTargets, sameReportFile, writtenTwice, type Io, type ReportTarget } from "./io.js";
import type { FlagValues } from "./flags.js";
import { closeAll, Sink } from "./sink.js";
import { COLOR_MODES, type ColorMode } from "../report/color-mode.js";

export interface OutputFlags {
  format: string;
  /** `-o FILE`; stdout when absent. */
  output?: string;
  reports: ReportTarget[];
  /** `--color`: colours in text output (auto: only on a terminal, as NO_COLOR/FORCE_COLOR say). */
  color: ColorMode;
}

/** Reads `--format`, `-o` and `--report` and checks every format against what the command writes. */
export function outputFlags(values: FlagValues, formats: readonly string[]): OutputFlags {
  const format = values.string("format") ?? "text";
  const reports = values.parsed("report", isReportTargets) ?? [];
  checkFormat(format, formats, "--format");
  for (const r of reports) checkFormat(r.format, formats, "--report");
  const colorText = values.string("color") ?? "auto";
  const color = COLOR_MODES.find((m) => m === colorText);
  if (color === undefined) {
    throw new InputError(`--color ${JSON.stringify(colorText)} is not a colour mode`, undefined, `use one of: ${COLOR_MODES.join(", ")}`);
  }
  const output = values.string("output");
  const twice = output === undefined ? undefined : reports.find((r) => sameReportFile(r.file, output));
  if (twice) throw writtenTwice(`-o ${output}`, `--report ${twice.format}=${twice.file}`);
  // Each github output appends its table to the step summary: twice would show it twice.
  if ([format, ...reports.map((r) => r.format)].filter((f) => f === "github").length > 1) {
    throw new InputError("github is asked for twice: each would add its table to the step summary", undefined, "give github once, as --format github (the runner reads annotations from the step's output)");
  }
  return { format, ...(output !== undefined ? { output } : {}), reports, color };
}

function checkFormat(format: string, allowed: readonly string[], flag: string): void {
  if (!allowed.includes(format)) {
    throw new InputError(`${flag} ${JSON.stringify(format)} is not a format this command writes`, undefined, `use one of: ${allowed.join(", ")}`);
  }
}

/** One output's format, and whether it goes to a terminal and in which colours. */
export interface Rendering {
  format: string;
  toTerminal: boolean;
  color: ColorMode;
}

/** Every output of one run, each with its own renderer `R`. */
export class Outputs<R> {
  private constructor(private readonly targets: { sink: Sink; renderer: R }[]) {}

  /** No output, nor any of `files` also written, can be read cut short (stdout can): a run that fails halfway leaves no cut report. */
  static cannotBeCut(flags: OutputFlags, files: readonly string[] = []): boolean {
    return flags.output !== undefined && [flags.output, ...flags.reports.map((r) => r.file), ...files].every((file) => Sink.cannotBeCut(file));
  }

  /**
   * How each output is rendered, in the order `write` counts them (stdout or `-o` first, then
   * each `--report`): only the main output on a terminal is fitted to it and coloured.
   */
  static renderings(io: Io, flags: OutputFlags): Rendering[] {
    const toTerminal = flags.output === undefined && io.stdout.isTTY === true;
    return [{ format: flags.format, toTerminal, color: flags.color }, ...flags.reports.map((r) => ({ format: r.format, toTerminal: false, color: "never" as const }))];
  }

  /** Opens stdout or `-o FILE` and every report file (files are truncated now). */
  static open<R>(io: Io, flags: OutputFlags, rendererFor: (format: string, toTerminal: boolean, color: ColorMode) => R): Outputs<R> {
    const sinks = [flags.output === undefined ? Sink.toStream(io.stdout) : Sink.toFile(flags.output), ...flags.reports.map((r) => Sink.toFile(r.file))];
    return new Outputs(Outputs.renderings(io, flags).map((o, k) => ({ sink: sinks[k]!, renderer: rendererFor(o.format, o.toTerminal, o.color) })));
  }

  /** Gives each output the text its renderer makes (buffered until `drain` or `close`); `output` counts them, stdout or `-o` first. */
  write(render: (renderer: R, output: number) => string | Uint8Array): void {
    this.targets.forEach((t, output) => t.sink.write(render(t.renderer, output)));
  }

  /** Like `write`, for text that may come in pieces (too long to hold at once), passed on as it comes. */
  async writeStreamed(render: (renderer: R) => string | Iterable<string>): Promise<void> {
    for (const t of this.targets) {
      const out = render(t.renderer);
      if (typeof out === "string") t.sink.write(out);
      else {
        for (const piece of out) {
          t.sink.write(piece);
          await t.sink.drain();
        }
      }
    }
  }

  /** Passes buffered text on once there is enough of it, waiting for a slow reader. */
  async drain(): Promise<void> {
    for (const t of this.targets) await t.sink.drain();
  }

  /** Closes every output, and `others` of the same run (results files) with them: all written, then all put in place. */
  async close(others: readonly Sink[] = []): Promise<void> {
    await closeAll([...this.targets.map((t) => t.sink), ...others]);
  }
}
