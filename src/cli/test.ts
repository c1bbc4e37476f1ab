/** `mcptape test`: runs scenario files; exit 0 when every expectation holds, 1 when any fails. */
import { runSuite } from "../scenario/run.js";
import { passed } from "../scenario/types.js";
import { TEST_FORMATS, testRenderer } from "../report/test-formats.js";
import { checkFormat, defaultFormat, emit, type Io, type ReportTarget } from "./io.js";

export async function testAction(args: string[], opts: Record<string, unknown>, io: Io): Promise<number> {
  const format = (opts.format as string | undefined) ?? defaultFormat(io);
  const reports = (opts.report as ReportTarget[] | undefined) ?? [];
  checkFormat(format, TEST_FORMATS);
  for (const r of reports) checkFormat(r.format, TEST_FORMATS, "--report");
  const output = opts.output as string | undefined;

  const run = await runSuite(args);
  const toTerminal = !output && io.stdout.isTTY === true;
  let first = true; // emit renders the main output first: only it may go to a terminal
  const render = (f: string) => {
    const colour = first && toTerminal;
    first = false;
    return testRenderer(f, colour)(run);
  };
  emit(io, render, format, output, reports);
  return run.results.every(passed) ? 0 : 1;
}
