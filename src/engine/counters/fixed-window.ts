/**
 * Intercept's counters: windows aligned to the epoch, which for minute/hour/day is the UTC
 * calendar. A value from an earlier window reads 0; a reservation in a new window starts from
 * 0. Rollback subtracts from whatever the key holds now, floored at 0, without looking at
 * windows — exactly Intercept's SQLite and Redis stores, so a rollback that arrives after the
 * window rolled over takes from the new window's count when a newer call already reserved
 * there, and is lost otherwise.
 */
import type { Reservation } from "../types.js";
import { KeyedCounters } from "./store.js";

interface FixedEntry {
  value: number;
  start: number;
  span: number;
}

export class FixedWindowCounters extends KeyedCounters<FixedEntry> {
  readonly algorithm = "fixed" as const;

  read(key: string, now: number): number {
    const e = this.entries.get(key);
    return e !== undefined && e.start === fixedWindowStart(now, e.span) ? e.value : 0;
  }

  /**
   * The sum is taken in Go int64 as Intercept's SQLite store does (internal/state/sqlite.go at
   * 77f0429), so it wraps around past 2^63-1 (Intercept's Reserve).
   */
  tryReserve(key: string, amount: number, limit: number, spanMs: number, now: number): Reservation | undefined {
    const start = fixedWindowStart(now, spanMs);
    const e = this.entries.get(key);
    const value = e !== undefined && e.start === start ? e.value : 0;
    const sum = int64Add(value, amount);
    if (sum > limit) return undefined;
    if (e === undefined) this.entries.set(key, { value: sum, start, span: spanMs });
    else {
      e.value = sum;
      e.start = start;
      e.span = spanMs;
    }
    return { key, amount, at: start };
  }

  rollback(r: Reservation): void {
    const e = this.entries.get(r.key);
    if (e !== undefined) e.value = Math.max(0, int64Add(e.value, -r.amount));
  }
}

/**
 * Start of the fixed window holding `now`. Unix time has no leap seconds, so epoch-aligned
 * minutes, hours and days are the UTC calendar's.
 */
export function fixedWindowStart(now: number, spanMs: number): number {
  return now - (((now % spanMs) + spanMs) % spanMs);
}

/**
 * `a + b` as Go adds two int64s: past 2^63-1 (or below -2^63) the sum wraps around. Exact
 * while the sum is a safe integer; beyond, as near as a number holds the int64.
 */
function int64Add(a: number, b: number): number {
  const sum = a + b;
  if (Number.isSafeInteger(sum) || !Number.isInteger(a) || !Number.isInteger(b)) return sum;
  return Number(BigInt.asIntN(64, BigInt(a) + BigInt(b)));
}
