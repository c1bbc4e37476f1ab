/** `--only`, `--quiet`, `--all` and `--wide` (replay and diff): which calls text and markdown list. */
import { Command } from "commander";
import { InputError } from "../errors.js";
import type { FlagValues } from "./flags.js";
import { LIST_KINDS, type ListKind, type ListView } from "../report/list-view.js";

export const listFlags = (cmd: Command) =>
  cmd
    .option("--only <kinds>", `list only these calls in text and markdown (totals count all): ${LIST_KINDS.join(",")}`)
    .option("--quiet", "print the summary alone, no call lines")
    .option("--all", "past 1,000 calls keep listing every call (text lists only refused, approval, undecided and changed ones)")
    .option("--wide", "never cut ids, names or rules to the terminal's columns");

export function listViewFrom(values: FlagValues): ListView {
  const view: ListView = { quiet: values.bool("quiet"), all: values.bool("all"), wide: values.bool("wide") };
  const kinds = values.string("only");
  if (kinds === undefined) return view;
  const only = new Set<ListKind>();
  for (const part of kinds.split(",").map((s) => s.trim()).filter(Boolean)) {
    const kind = LIST_KINDS.find((k) => k === part);
    if (kind === undefined) {
      throw new InputError(`--only ${JSON.stringify(part)} is not a kind of call`, undefined, `use any of ${LIST_KINDS.join(",")}, like --only deny,changed`);
    }
    only.add(kind);
  }
  if (only.size === 0) throw new InputError("--only names no kind of call", undefined, `use any of ${LIST_KINDS.join(",")}, like --only deny,changed`);
  return { ...view, only };
}
