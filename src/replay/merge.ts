/** Streaming k-way merge by time: holds one pending item per source, never a whole tape. */
import { MinHeap } from "./heap.js";

export async function* mergeByTime<T extends { t: number }>(sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const heap = new MinHeap<{ item: T; source: number }>();
  const pull = async (source: number) => {
    const next = await iterators[source]!.next();
    if (!next.done) heap.push(next.value.t, { item: next.value, source });
  };
  // Sources are pulled in index order so equal times keep tape order.
  for (let i = 0; i < iterators.length; i++) await pull(i);
  while (heap.size > 0) {
    const { item, source } = heap.pop()!;
    yield item;
    await pull(source);
  }
}
