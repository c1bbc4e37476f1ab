/**
 * `mcptape merge RESULTS...`: the results files of every shard of one command line, rendered
 * in any of that command's formats as the unsharded run would have printed them, exit code
 * included. It reports through the command's own report function; the flags a results header
 * records (--only, --coverage, --fail-on, ...) apply unless merge is given its own --fail-on.
 */
import { InputError } from "../errors.js";
import { DIFF_FORMATS, REPLAY_FORMATS } from "../report/formats.js";
import type { ListView, ListKind } from "../report/list-view.js";
import type { ResultsHeader } from "../report/results.js";
import { parseFailOn } from "../replay/options.js";
import { loadSetupPolicies } from "../parallel/setup.js";
import { mergedEvents, openResults } from "../merge/read-results.js";
import type { ToolInfo } from "../tape/tools.js";
import type { Io } from "./io.js";
import { outputFlags } from "./outputs.js";
import { reportReplay } from "./replay.js";
import { reportDiff } from "./diff.js";
import { takeResultsReports } from "./results-output.js";
import type { FailOutcome } from "./verdict.js";

export async function mergeAction(args: string[], given: Record<string, unknown>, io: Io): Promise<number> {
  const { opts, files: resultsFiles } = takeResultsReports(given);
  const files = await openResults(args);
  const first = files[0]!.header;
  const header: ResultsHeader = { ...first, shard: null, units: first.tapes.map((_, i) => i) };
  const command = first.setup.command;
  const tools: [number, ToolInfo[]][] = [];
  const events = mergedEvents(files, tools);
  const view = viewOf(first.render.view);
  const tapes = first.tapes.map((t) => t.path);
  const policies = loadSetupPolicies(first.setup);
  if (command === "replay") {
    if (opts.failOnChange !== undefined || opts.failOnLoosen !== undefined) throw notFor("--fail-on-change and --fail-on-loosen are diff's", "use --fail-on deny,throttle,approval,undecided,changed for replay results");
    const failOn = opts.failOn === undefined ? (new Set(first.render.failOn) as Set<FailOutcome>) : parseFailOn(opts.failOn);
    const flags = outputFlags(opts, REPLAY_FORMATS);
    return reportReplay(io, { flags, resultsFiles, header, policy: policies[0]!, tapes, failOn, view, threshold: first.render.coverageThreshold, coverage: first.render.coverage === true }, events, async () => tools);
  }
  if (opts.failOn !== undefined) throw notFor("--fail-on is replay's", "use --fail-on-change or --fail-on-loosen for diff results");
  const recorded = new Set(first.render.failOn);
  const failOn = {
    change: opts.failOnChange === true || (opts.failOnChange === undefined && opts.failOnLoosen === undefined && recorded.has("change")),
    loosen: opts.failOnLoosen === true || (opts.failOnChange === undefined && opts.failOnLoosen === undefined && recorded.has("loosen")),
  };
  const flags = outputFlags(opts, DIFF_FORMATS);
  return reportDiff(io, { flags, resultsFiles, header, base: policies[0]!, head: policies[1]!, tapes, failOn, view }, events);
}

function notFor(what: string, hint: string): InputError {
  return new InputError(`${what}, not for these results`, undefined, hint);
}

function viewOf(v: ResultsHeader["render"]["view"]): ListView {
  return { quiet: v.quiet, all: v.all, wide: v.wide, ...(v.only ? { only: new Set(v.only as ListKind[]) } : {}) };
}
