/**
 * `mcptape test`: runs scenario files; exit 0 when every expectation holds, 1 when any fails,
 * 2 when a file or scenario could not run (the others still ran and are reported).
 */
import { runSuite } from "../scenario/run.js";
import { passed } from "../scenario/types.js";
import { TEST_FORMATS } from "../report/formats.js";
import { testRenderer } from "../report/test-formats.js";
import { cedarFlagsFrom, type CedarFlags } from "./cedar-flags.js";
import { command, type FlagValues } from "./flags.js";
import type { Io } from "./io.js";
import { outputFlags, Outputs, type OutputFlags } from "./outputs.js";
import { suiteSelectionFrom } from "./test-flags.js";
import { watchTests } from "./test-watch.js";
import type { SuiteSelection } from "../scenario/run.js";
import type { TestRun } from "../scenario/types.js";

export interface TestFlags {
  output: OutputFlags;
  /** Cedar settings for scenarios that leave them out. */
  cedar: CedarFlags;
  select: SuiteSelection;
  watch: boolean;
}

export function testFlags(values: FlagValues): TestFlags {
  return { output: outputFlags(values, TEST_FORMATS), cedar: cedarFlagsFrom(values), select: suiteSelectionFrom(values), watch: values.bool("watch") };
}

export const testCommand = command(testFlags, test);

async function test(args: string[], flags: TestFlags, io: Io): Promise<number> {
  const once = async (): Promise<TestRun> => {
    const run = await runSuite(args, flags.cedar, flags.select);
    const outputs = Outputs.open(io, flags.output, testRenderer);
    outputs.write((render) => render(run));
    await outputs.close();
    for (const e of run.errored) io.stderr.write(`mcptape: ${e.message}\n`);
    return run;
  };
  if (flags.watch) return watchTests(args, once, io);
  const run = await once();
  if (run.errored.length > 0) return 2;
  return run.results.every(passed) ? 0 : 1;
}
