/**
 * Whether a tape can be replayed, found by reading it through once (parse only, no deciding).
 * A tape that is not a regular file (a pipe) can be read only once: it is not checked here.
 */
import { statSync } from "node:fs";
import { InputError } from "../errors.js";
import { readTapeBatches } from "./reader.js";

/** What is wrong with the tape, or undefined when it reads. */
export async function tapeProblem(tape: string): Promise<InputError | undefined> {
  if (!isRegularFile(tape)) return undefined;
  try {
    for await (const batch of readTapeBatches(tape)) void batch;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return err;
  }
  return undefined;
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return true; // let the reader say what is wrong with it
  }
}
