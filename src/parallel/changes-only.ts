/**
 * A diff whose every output lists changed calls only (text, markdown, github, sarif) needs of
 * an unchanged call nothing but that it was one. Its workers hand back only the changed calls,
 * each with its place, and how many calls there were; the main thread counts the rest as
 * unchanged. A month of traffic where a policy edit changes a few calls then costs the main
 * thread those few, not every call parsed a second time.
 */
import type { DiffedCall } from "../diff/types.js";

/** The changed calls among `count` calls in a row, and where each is among them. */
export interface Changes {
  calls: DiffedCall[];
  at: number[];
  count: number;
}

/** About this many calls per message: one per batch read would cost a worker a tenth of its time in postMessage. */
const CALLS_PER_MESSAGE = 1024;

/** Takes a unit's batches on a worker thread and posts its changes, about a thousand calls at a time. */
export async function postChanges(batches: AsyncIterable<DiffedCall[]>, post: (changes: Changes) => void): Promise<void> {
  let pending: Changes = { calls: [], at: [], count: 0 };
  for await (const calls of batches) {
    for (const call of calls) {
      if (call.change !== null) {
        pending.calls.push(call);
        pending.at.push(pending.count);
      }
      pending.count++;
    }
    if (pending.count >= CALLS_PER_MESSAGE) {
      post(pending);
      pending = { calls: [], at: [], count: 0 };
    }
  }
  if (pending.count > 0) post(pending);
}
