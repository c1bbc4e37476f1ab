/**
 * Whether a tape can be replayed, found by reading it through once (parse only, no deciding).
 * Tapes that can be read only once (pipes) were copied to files before (cli/read-once.ts).
 */
import { InputError } from "../errors.js";
import { readTapeBatches } from "./reader.js";

/** What is wrong with the tape, or undefined when it reads. */
export async function tapeProblem(tape: string): Promise<InputError | undefined> {
  try {
    for await (const batch of readTapeBatches(tape)) void batch;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return err;
  }
  return undefined;
}
