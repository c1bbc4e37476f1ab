/**
 * Replay and diff over several tapes check every tape before writing any output: a bad tape
 * found halfway would otherwise leave the report cut off (invalid JSON on stdout). The cost
 * is one more read of each tape (parse only, no deciding), spread over the worker threads
 * when the run has them (`check`).
 */
import { InputError } from "../errors.js";
import { tapeProblem } from "../tape/check.js";

export async function checkTapes(tapes: readonly string[], check: (tapes: readonly string[]) => Promise<(InputError | undefined)[]> = inOrder): Promise<void> {
  const bad = (await check(tapes)).filter((e) => e !== undefined);
  if (bad.length === 1) throw bad[0];
  if (bad.length > 1) {
    throw new InputError(`${bad.length} of ${tapes.length} tapes cannot be replayed, so nothing was written:\n${bad.map((e) => e.format()).join("\n")}`);
  }
}

async function inOrder(tapes: readonly string[]): Promise<(InputError | undefined)[]> {
  const out: (InputError | undefined)[] = [];
  for (const tape of tapes) out.push(await tapeProblem(tape));
  return out;
}
