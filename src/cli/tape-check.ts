/**
 * Replay and diff over several tapes check every tape before writing any output: a bad tape
 * found halfway would otherwise leave the report cut off (invalid JSON on stdout). The cost
 * is one more read of each tape (parse only, no deciding). A tape that is not a regular file
 * (a pipe) can be read only once: it is checked as it is replayed.
 */
import { statSync } from "node:fs";
import { InputError } from "../errors.js";
import { readTapeBatches } from "../tape/reader.js";

export async function checkTapes(tapes: readonly string[]): Promise<void> {
  const bad: InputError[] = [];
  for (const tape of tapes) {
    if (!isRegularFile(tape)) continue;
    try {
      for await (const batch of readTapeBatches(tape)) void batch;
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      bad.push(err);
    }
  }
  if (bad.length === 1) throw bad[0];
  if (bad.length > 1) {
    throw new InputError(`${bad.length} of ${tapes.length} tapes cannot be replayed, so nothing was written:\n${bad.map((e) => e.format()).join("\n")}`);
  }
}

/**
 * `batches` as they come; a bad tape among them is reported as checkTapes reports it, every bad
 * tape named. For runs whose outputs cannot be read cut short (files that appear only whole,
 * the null device): they leave the check before output out and read each tape once.
 */
export async function* reportingBadTapes<T>(tapes: readonly string[], batches: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* batches;
  } catch (err) {
    if (err instanceof InputError) await checkTapes(tapes);
    throw err;
  }
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return true; // let the reader say what is wrong with it
  }
}
