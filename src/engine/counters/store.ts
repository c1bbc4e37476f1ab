/**
 * What decide() needs from counter state: read a counter, reserve from it, give a reservation
 * back. Counters are keyed by `<scope>.<counter>` (prefixed by session or identity when the
 * counter is keyed so); time is a number of ms since the epoch, passed in. One implementation
 * per window algorithm (fixed-window.ts, sliding-window.ts, token-bucket.ts); counters.ts
 * picks one.
 */
import type { Reservation, WindowAlgorithm } from "../types.js";

export interface CounterStore {
  readonly algorithm: WindowAlgorithm;
  /** The counter's value at `now` (0 when never set or passed). */
  read(key: string, now: number): number;
  /** Adds `amount` when the counter stays within `limit`; otherwise changes nothing and returns undefined. */
  tryReserve(key: string, amount: number, limit: number, spanMs: number, now: number): Reservation | undefined;
  /** Gives a reservation back, floored at 0. */
  rollback(r: Reservation): void;
  /** Every counter that reads non-zero at `now`, sorted by key (for reports and tests). */
  snapshot(now: number): { key: string; value: number }[];
  /** Forgets every counter. */
  clear(): void;
}

/** What every implementation shares: its entries by key, read out by snapshot() and forgotten by clear(). */
export abstract class KeyedCounters<Entry> implements CounterStore {
  abstract readonly algorithm: WindowAlgorithm;
  protected readonly entries = new Map<string, Entry>();

  abstract read(key: string, now: number): number;
  abstract tryReserve(key: string, amount: number, limit: number, spanMs: number, now: number): Reservation | undefined;
  abstract rollback(r: Reservation): void;

  snapshot(now: number): { key: string; value: number }[] {
    const out: { key: string; value: number }[] = [];
    for (const key of [...this.entries.keys()].sort()) {
      const value = this.read(key, now);
      if (value !== 0) out.push({ key, value });
    }
    return out;
  }

  clear(): void {
    this.entries.clear();
  }
}
