/** `test --run REGEX`, `--shard I/N` and `--fail-fast`: which scenarios run, and whether the first failure stops the run. */
import { InputError } from "../errors.js";
import { parseShard } from "../shard/partition.js";
import type { SuiteSelection } from "../scenario/run.js";
import type { FlagValues } from "./flags.js";

export function suiteSelectionFrom(values: FlagValues): SuiteSelection {
  const shard = parseShard(values.string("shard"));
  const select: SuiteSelection = { failFast: values.bool("failFast"), ...(shard ? { shard } : {}) };
  const run = values.string("run");
  if (run !== undefined) {
    try {
      select.run = new RegExp(run);
    } catch (err) {
      throw new InputError(`--run ${JSON.stringify(run)} is not a regular expression: ${(err as Error).message}`, undefined, 'write a JavaScript regex matched against scenario names, like --run "^limits"');
    }
  }
  return select;
}
