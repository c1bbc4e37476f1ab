/**
 * What-if counters: a bucket of capacity `limit`, refilled at `limit` per window length. Reads
 * as the capacity in use (capacity minus tokens), so `lte N` conditions keep their meaning.
 */
import type { Reservation } from "../types.js";
import { KeyedCounters } from "./store.js";

/**
 * A bucket in units of 1/span of a call, so that refilling `limit` per span is `limit` units
 * per ms: integer arithmetic, no drift.
 */
interface BucketEntry {
  units: number;
  last: number;
  limit: number;
  span: number;
}

export class TokenBucketCounters extends KeyedCounters<BucketEntry> {
  readonly algorithm = "token-bucket" as const;

  read(key: string, now: number): number {
    const e = this.entries.get(key);
    if (e === undefined) return 0;
    return (e.limit * e.span - refilled(e, now)) / e.span;
  }

  tryReserve(key: string, amount: number, limit: number, spanMs: number, now: number): Reservation | undefined {
    let e = this.entries.get(key);
    if (e === undefined) {
      e = { units: limit * spanMs, last: now, limit, span: spanMs };
      this.entries.set(key, e);
    }
    e.units = refilled(e, now);
    e.last = Math.max(e.last, now);
    const need = amount * e.span;
    if (need > e.units) return undefined;
    e.units -= need;
    return { key, amount, at: now };
  }

  rollback(r: Reservation): void {
    const e = this.entries.get(r.key);
    if (e !== undefined) e.units = Math.min(e.limit * e.span, e.units + r.amount * e.span);
  }
}

/** Tokens (in units) a bucket holds at `now`, without changing it. */
function refilled(e: BucketEntry, now: number): number {
  const elapsed = now > e.last ? now - e.last : 0;
  return Math.min(e.limit * e.span, e.units + elapsed * e.limit);
}
