/** What-if counters: at most `limit` in any span of the window's length (events in (now-span, now]). */
import type { Reservation } from "../types.js";
import { KeyedCounters } from "./store.js";

/** A counter's events in time order from `head`. */
interface SlidingEntry {
  times: number[];
  amounts: number[];
  head: number;
  sum: number;
  span: number;
}

export class SlidingWindowCounters extends KeyedCounters<SlidingEntry> {
  readonly algorithm = "sliding" as const;

  read(key: string, now: number): number {
    const e = this.entries.get(key);
    if (e === undefined) return 0;
    prune(e, now);
    return e.sum;
  }

  tryReserve(key: string, amount: number, limit: number, spanMs: number, now: number): Reservation | undefined {
    let e = this.entries.get(key);
    if (e === undefined) {
      e = { times: [], amounts: [], head: 0, sum: 0, span: spanMs };
      this.entries.set(key, e);
    }
    e.span = spanMs;
    prune(e, now);
    if (e.sum + amount > limit) return undefined;
    e.times.push(now);
    e.amounts.push(amount);
    e.sum += amount;
    return { key, amount, at: now };
  }

  /** Takes from the latest event of that instant still holding something; an expired one is gone. */
  rollback(r: Reservation): void {
    const e = this.entries.get(r.key);
    if (e === undefined) return;
    for (let i = e.times.length - 1; i >= e.head; i--) {
      if (e.times[i] !== r.at || e.amounts[i] === 0) continue;
      const before = e.amounts[i]!;
      const after = Math.max(0, before - r.amount);
      e.amounts[i] = after;
      e.sum -= before - after;
      return;
    }
  }
}

/** Drops events that left the span (now-span, now], compacting now and then. */
function prune(e: SlidingEntry, now: number): void {
  const cutoff = now - e.span;
  let h = e.head;
  while (h < e.times.length && e.times[h]! <= cutoff) {
    e.sum -= e.amounts[h]!;
    h++;
  }
  if (h > 64 && h * 2 > e.times.length) {
    e.times.splice(0, h);
    e.amounts.splice(0, h);
    h = 0;
  }
  e.head = h;
}
