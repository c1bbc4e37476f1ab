/**
 * Counter state for rate limits, keyed by `<scope>.<counter>` (prefixed by session or identity
 * when the counter is keyed so). Time is a number of ms since the epoch, passed in.
 *
 * Algorithms (one per store, chosen for what-if replays):
 * - `fixed` (Intercept): windows aligned to the epoch, which for minute/hour/day is the UTC
 *   calendar. A value from an earlier window reads 0; a reservation in a new window starts
 *   from 0. Rollback subtracts from whatever the key holds now, floored at 0, without looking
 *   at windows — exactly Intercept's SQLite and Redis stores, so a rollback that arrives after
 *   the window rolled over takes from the new window's count when a newer call already
 *   reserved there, and is lost otherwise.
 * - `sliding`: at most `limit` in any span of the window's length (events in (now-span, now]).
 * - `token-bucket`: capacity `limit`, refilled at `limit` per window length; reads as the
 *   capacity in use (capacity minus tokens), so `lte N` conditions keep their meaning.
 */
import type { Window } from "../policy/model.js";
import type { Reservation, WindowAlgorithm } from "./types.js";


const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A window's length in ms (at least 1). */
export function windowMs(w: Window): number {
  if (w.kind === "calendar") return w.unit === "minute" ? MINUTE_MS : w.unit === "hour" ? HOUR_MS : DAY_MS;
  const ms = Math.round(w.seconds * 1000);
  return ms >= 1 ? ms : 1;
}

/**
 * Start of the fixed window holding `now`. Unix time has no leap seconds, so epoch-aligned
 * minutes, hours and days are the UTC calendar's.
 */
export function fixedWindowStart(now: number, spanMs: number): number {
  return now - (((now % spanMs) + spanMs) % spanMs);
}

/** What a fixed counter holds. */
interface FixedEntry {
  value: number;
  start: number;
  span: number;
}

/** What a sliding counter holds: its events in time order from `head`. */
interface SlidingEntry {
  times: number[];
  amounts: number[];
  head: number;
  sum: number;
  span: number;
}

/**
 * What a token bucket holds, in units of 1/span of a call so that refilling `limit` per span
 * is `limit` units per ms: integer arithmetic, no drift.
 */
interface BucketEntry {
  units: number;
  last: number;
  limit: number;
  span: number;
}

export interface CounterStoreOptions {
  algorithm?: WindowAlgorithm;
}

export class CounterStore {
  readonly algorithm: WindowAlgorithm;
  private readonly fixed = new Map<string, FixedEntry>();
  private readonly sliding = new Map<string, SlidingEntry>();
  private readonly buckets = new Map<string, BucketEntry>();

  constructor(options: CounterStoreOptions = {}) {
    this.algorithm = options.algorithm ?? "fixed";
  }

  /** The counter's value in the window holding `now` (0 when never set or passed). */
  read(key: string, now: number): number {
    switch (this.algorithm) {
      case "fixed": {
        const e = this.fixed.get(key);
        return e !== undefined && e.start === fixedWindowStart(now, e.span) ? e.value : 0;
      }
      case "sliding": {
        const e = this.sliding.get(key);
        if (e === undefined) return 0;
        prune(e, now);
        return e.sum;
      }
      case "token-bucket": {
        const e = this.buckets.get(key);
        if (e === undefined) return 0;
        return (e.limit * e.span - refilled(e, now)) / e.span;
      }
    }
  }

  /**
   * Adds `amount` when `value + amount <= limit`, the sum taken in Go int64 as Intercept's
   * SQLite store does (internal/state/sqlite.go at 77f0429), so it wraps around past 2^63-1; otherwise changes nothing and returns
   * undefined (Intercept's Reserve).
   */
  tryReserve(key: string, amount: number, limit: number, spanMs: number, now: number): Reservation | undefined {
    switch (this.algorithm) {
      case "fixed": {
        const start = fixedWindowStart(now, spanMs);
        const e = this.fixed.get(key);
        const value = e !== undefined && e.start === start ? e.value : 0;
        const sum = int64Add(value, amount);
        if (sum > limit) return undefined;
        if (e === undefined) this.fixed.set(key, { value: sum, start, span: spanMs });
        else {
          e.value = sum;
          e.start = start;
          e.span = spanMs;
        }
        return { key, amount, at: start };
      }
      case "sliding": {
        let e = this.sliding.get(key);
        if (e === undefined) {
          e = { times: [], amounts: [], head: 0, sum: 0, span: spanMs };
          this.sliding.set(key, e);
        }
        e.span = spanMs;
        prune(e, now);
        if (e.sum + amount > limit) return undefined;
        e.times.push(now);
        e.amounts.push(amount);
        e.sum += amount;
        return { key, amount, at: now };
      }
      case "token-bucket": {
        let e = this.buckets.get(key);
        if (e === undefined) {
          e = { units: limit * spanMs, last: now, limit, span: spanMs };
          this.buckets.set(key, e);
        }
        e.units = refilled(e, now);
        e.last = Math.max(e.last, now);
        const need = amount * e.span;
        if (need > e.units) return undefined;
        e.units -= need;
        return { key, amount, at: now };
      }
    }
  }

  /** Gives a reservation back, floored at 0 (see the class comment for window roll-over). */
  rollback(r: Reservation): void {
    switch (this.algorithm) {
      case "fixed": {
        const e = this.fixed.get(r.key);
        if (e !== undefined) e.value = Math.max(0, int64Add(e.value, -r.amount));
        return;
      }
      case "sliding": {
        const e = this.sliding.get(r.key);
        if (e === undefined) return;
        // The latest event of that instant still holding something; an expired one is gone.
        for (let i = e.times.length - 1; i >= e.head; i--) {
          if (e.times[i] !== r.at || e.amounts[i] === 0) continue;
          const before = e.amounts[i]!;
          const after = Math.max(0, before - r.amount);
          e.amounts[i] = after;
          e.sum -= before - after;
          return;
        }
        return;
      }
      case "token-bucket": {
        const e = this.buckets.get(r.key);
        if (e !== undefined) e.units = Math.min(e.limit * e.span, e.units + r.amount * e.span);
        return;
      }
    }
  }

  /** Every counter that reads non-zero at `now`, sorted by key (for reports and tests). */
  snapshot(now: number): { key: string; value: number }[] {
    const keys = new Set([...this.fixed.keys(), ...this.sliding.keys(), ...this.buckets.keys()]);
    const out: { key: string; value: number }[] = [];
    for (const key of [...keys].sort()) {
      const value = this.read(key, now);
      if (value !== 0) out.push({ key, value });
    }
    return out;
  }

  clear(): void {
    this.fixed.clear();
    this.sliding.clear();
    this.buckets.clear();
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

/** Tokens (in units) a bucket holds at `now`, without changing it. */
function refilled(e: BucketEntry, now: number): number {
  const elapsed = now > e.last ? now - e.last : 0;
  return Math.min(e.limit * e.span, e.units + elapsed * e.limit);
}

/**
 * `a + b` as Go adds two int64s: past 2^63-1 (or below -2^63) the sum wraps around. Exact
 * while the sum is a safe integer; beyond, as near as a number holds the int64.
 */
export function int64Add(a: number, b: number): number {
  const sum = a + b;
  if (Number.isSafeInteger(sum) || !Number.isInteger(a) || !Number.isInteger(b)) return sum;
  return Number(BigInt.asIntN(64, BigInt(a) + BigInt(b)));
}
