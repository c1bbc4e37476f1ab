/** `test --run REGEX` and `--fail-fast`: which scenarios run, and whether the first failure stops the run. */
import { InputError } from "../errors.js";
import type { SuiteSelection } from "../scenario/run.js";
import type { FlagValues } from "./flags.js";

export function suiteSelectionFrom(values: FlagValues): SuiteSelection {
  const select: SuiteSelection = { failFast: values.bool("failFast") };
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
