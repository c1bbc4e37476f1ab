/** `mcptape test`: runs scenario files; exit 0 when every expectation holds, 1 when any fails. */
import { runSuite } from "../scenario/run.js";
import { passed } from "../scenario/types.js";
import { TEST_FORMATS, testRenderer } from "../report/test-formats.js";
import { cedarOptionsFrom, claimsFileFrom, limitsFileFrom } from "./cedar-flags.js";
import type { Io } from "./io.js";
import { outputFlags, Outputs } from "./outputs.js";

export async function testAction(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const flags = outputFlags(opts, TEST_FORMATS);
  const claims = claimsFileFrom(opts);
  const limits = limitsFileFrom(opts);
  const run = await runSuite(args, { cedar: cedarOptionsFrom(opts), ...(claims ? { claims } : {}), ...(limits ? { limits } : {}) });
  const outputs = Outputs.open(io, flags, testRenderer);
  outputs.write((render) => render(run));
  await outputs.close();
  return run.results.every(passed) ? 0 : 1;
}
