/**
 * Streaming k-way merge by time: holds one batch per source, never a whole tape.
 * Sources and output come in batches so a long merge does not await once per item.
 */
import { MinHeap } from "./heap.js";

const OUT_BATCH = 1024;

export async function* mergeBatchesByTime<T extends { t: number }>(sources: AsyncIterable<T[]>[]): AsyncGenerator<T[]> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const batches: T[][] = sources.map(() => []);
  const positions = sources.map(() => 0);
  const heap = new MinHeap<number>();
  /** Makes sure the source has an item at its position; false when it is done. */
  const fill = async (source: number): Promise<boolean> => {
    while (positions[source]! >= batches[source]!.length) {
      const next = await iterators[source]!.next();
      if (next.done) return false;
      batches[source] = next.value;
      positions[source] = 0;
    }
    return true;
  };
  // Sources enter in index order so equal times keep the order the tapes were given in.
  const ready = (source: number): boolean => positions[source]! < batches[source]!.length;
  for (let i = 0; i < iterators.length; i++) if (await fill(i)) heap.push(batches[i]![0]!.t, i);
  let out: T[] = [];
  while (heap.size > 0) {
    const source = heap.pop()!;
    out.push(batches[source]![positions[source]!++]!);
    if (out.length >= OUT_BATCH) {
      yield out;
      out = [];
    }
    if (ready(source) || (await fill(source))) heap.push(batches[source]![positions[source]!]!.t, source);
  }
  if (out.length > 0) yield out;
}

