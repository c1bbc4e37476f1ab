/**
 * `mcptape test`: runs scenario files; exit 0 when every expectation holds, 1 when any fails,
 * 2 when a file or scenario could not run (the others still ran and are reported).
 */
import { runSuite } from "../scenario/run.js";
import { passed } from "../scenario/types.js";
import { TEST_FORMATS } from "../report/formats.js";
import { testRenderer } from "../report/test-formats.js";
import { cedarOptionsFrom, claimsFileFrom, limitsFileFrom } from "./cedar-flags.js";
import type { Io } from "./io.js";
import { outputFlags, Outputs } from "./outputs.js";
import { suiteSelectionFrom } from "./test-flags.js";
import { watchTests } from "./test-watch.js";
import type { TestRun } from "../scenario/types.js";

export async function testAction(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const flags = outputFlags(opts, TEST_FORMATS);
  const claims = claimsFileFrom(opts);
  const limits = limitsFileFrom(opts);
  const defaults = { cedar: cedarOptionsFrom(opts), ...(claims ? { claims } : {}), ...(limits ? { limits } : {}) };
  const select = suiteSelectionFrom(opts);
  const once = async (): Promise<TestRun> => {
    const run = await runSuite(args, defaults, select);
    const outputs = Outputs.open(io, flags, testRenderer);
    outputs.write((render) => render(run));
    await outputs.close();
    for (const e of run.errored) io.stderr.write(`mcptape: ${e.message}\n`);
    return run;
  };
  if (opts.watch === true) return watchTests(args, once, io);
  const run = await once();
  if (run.errored.length > 0) return 2;
  return run.results.every(passed) ? 0 : 1;
}
