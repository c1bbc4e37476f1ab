/** `test --run REGEX`, `--shard I/N` and `--fail-fast`: which scenarios run, and whether the first failure stops the run. */
import { InputError } from "../errors.js";
import { parseShard } from "../shard/partition.js";
import type { SuiteSelection } from "../scenario/run.js";

export function suiteSelectionFrom(opts: Record<string, unknown>): SuiteSelection {
  const shard = parseShard(opts.shard);
  const select: SuiteSelection = { failFast: opts.failFast === true, ...(shard ? { shard } : {}) };
  if (typeof opts.run === "string") {
    try {
      select.run = new RegExp(opts.run);
    } catch (err) {
      throw new InputError(`--run ${JSON.stringify(opts.run)} is not a regular expression: ${(err as Error).message}`, undefined, 'write a JavaScript regex matched against scenario names, like --run "^limits"');
    }
  }
  return select;
}
