/**
 * `mcptape merge RESULTS...`: the results files of every shard of one command line, rendered
 * in any of that command's formats as the unsharded run would have printed them, exit code
 * included. It reports through the command's own report function; the flags a results header
 * records (--only, --coverage, --fail-on, ...) apply unless merge is given its own --fail-on
 * (or --fail-on-change, --fail-on-loosen) or its own --only, --quiet, --all and --wide.
 */
import { InputError } from "../errors.js";
import { DIFF_FORMATS, REPLAY_FORMATS } from "../report/formats.js";
import { LIST_KINDS, type ListView } from "../report/list-view.js";
import type { ResultsHeader } from "../parallel/results.js";
import { parseFailOn } from "../replay/options.js";
import { loadSetupPolicies } from "../parallel/setup.js";
import { mergedEvents, openResults } from "../merge/read-results.js";
import type { TapeSightings } from "../tape/sessions.js";
import { command, type FlagValues } from "./flags.js";
import type { Io } from "./io.js";
import { outputFlags, type OutputFlags } from "./outputs.js";
import { reportReplay } from "./replay.js";
import { reportDiff } from "./diff.js";
import { takeResultsReports } from "./results-output.js";
import { spoolReadOnceArgs } from "./read-once.js";
import { listViewFrom } from "./list-flags.js";

export interface MergeFlags {
  /** The output flags, checked against the formats of the command the results come from. */
  output: (formats: readonly string[]) => OutputFlags;
  resultsFiles: string[];
  /** Left out: as the shards were run. */
  failOn: string | undefined;
  failOnChange: boolean | undefined;
  failOnLoosen: boolean | undefined;
  /** `--only`, `--quiet`, `--all`, `--wide`; left out (all four): as the shards were run. */
  view: ListView | undefined;
}

export function mergeFlags(given: FlagValues): MergeFlags {
  const { values, files: resultsFiles } = takeResultsReports(given);
  return {
    output: (formats) => outputFlags(values, formats),
    resultsFiles,
    failOn: values.string("failOn"),
    failOnChange: values.optionalBool("failOnChange"),
    failOnLoosen: values.optionalBool("failOnLoosen"),
    view: values.string("only") !== undefined || ["quiet", "all", "wide"].some((f) => values.optionalBool(f) !== undefined) ? listViewFrom(values) : undefined,
  };
}

export const mergeCommand = command(mergeFlags, merge);

async function merge(args: string[], flags: MergeFlags, io: Io): Promise<number> {
  const { resultsFiles } = flags;
  const files = await openResults((await spoolReadOnceArgs(args, [], "results")).args);
  const first = files[0]!.header;
  const header: ResultsHeader = { ...first, shard: null, units: first.tapes.map((_, i) => i) };
  const command = first.setup.command;
  const sightings: [number, TapeSightings][] = [];
  const events = mergedEvents(files, sightings);
  const view = flags.view ?? viewOf(first.render.view);
  const tapes = first.tapes.map((t) => t.path);
  const policies = loadSetupPolicies(first.setup);
  const diffFailOn = flags.failOnChange !== undefined || flags.failOnLoosen !== undefined;
  if (command === "replay") {
    if (diffFailOn) throw notFor("--fail-on-change and --fail-on-loosen are diff's", "use --fail-on deny,throttle,approval,undecided,changed for replay results");
    // The shards' words were checked when they ran; none (no --fail-on then) is no flag, not an empty one.
    const failOn = parseFailOn(flags.failOn ?? (first.render.failOn.length > 0 ? first.render.failOn.join(",") : undefined));
    const output = flags.output(REPLAY_FORMATS);
    return reportReplay(io, { flags: output, resultsFiles, header, policy: policies[0]!, tapes, failOn, view, threshold: first.render.coverageThreshold, coverage: first.render.coverage === true }, events, async () => sightings);
  }
  if (flags.failOn !== undefined) throw notFor("--fail-on is replay's", "use --fail-on-change or --fail-on-loosen for diff results");
  const recorded = new Set(first.render.failOn);
  const failOn = {
    change: flags.failOnChange ?? (!diffFailOn && recorded.has("change")),
    loosen: flags.failOnLoosen ?? (!diffFailOn && recorded.has("loosen")),
  };
  const output = flags.output(DIFF_FORMATS);
  return reportDiff(io, { flags: output, resultsFiles, header, base: policies[0]!, head: policies[1]!, tapes, failOn, view }, events);
}

function notFor(what: string, hint: string): InputError {
  return new InputError(`${what}, not for these results`, undefined, hint);
}

function viewOf(v: ResultsHeader["render"]["view"]): ListView {
  const only = v.only?.flatMap((k) => LIST_KINDS.filter((kind) => kind === k));
  return { quiet: v.quiet, all: v.all, wide: v.wide, ...(only ? { only: new Set(only) } : {}) };
}
