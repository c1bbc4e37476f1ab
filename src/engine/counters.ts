/**
 * Counter state for rate limits behind one interface (counters/store.ts), one implementation
 * per window algorithm, chosen for what-if replays:
 * - `fixed` (Intercept): epoch-aligned windows (counters/fixed-window.ts);
 * - `sliding`: at most `limit` in any span of the window's length (counters/sliding-window.ts);
 * - `token-bucket`: capacity `limit`, refilled at `limit` per window length (counters/token-bucket.ts).
 */
import type { Window } from "../policy/model.js";
import { FixedWindowCounters } from "./counters/fixed-window.js";
import { SlidingWindowCounters } from "./counters/sliding-window.js";
import type { CounterStore } from "./counters/store.js";
import { TokenBucketCounters } from "./counters/token-bucket.js";
import type { WindowAlgorithm } from "./types.js";

export type { CounterStore } from "./counters/store.js";
export { fixedWindowStart } from "./counters/fixed-window.js";

/** A fresh store for `algorithm` (the gateway's own, `fixed`, unless asked otherwise). */
export function createCounterStore(algorithm: WindowAlgorithm = "fixed"): CounterStore {
  switch (algorithm) {
    case "fixed":
      return new FixedWindowCounters();
    case "sliding":
      return new SlidingWindowCounters();
    case "token-bucket":
      return new TokenBucketCounters();
  }
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A window's length in ms (at least 1). */
export function windowMs(w: Window): number {
  if (w.kind === "calendar") return w.unit === "minute" ? MINUTE_MS : w.unit === "hour" ? HOUR_MS : DAY_MS;
  const ms = Math.round(w.seconds * 1000);
  return ms >= 1 ? ms : 1;
}
