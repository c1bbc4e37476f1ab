/** The shared types of deciding: a call in, a decision out. */

/** How a counter's window is cut: as the gateway does (fixed), or what-if alternatives. */
export type WindowAlgorithm = "fixed" | "sliding" | "token-bucket";

export const WINDOW_ALGORITHMS: readonly WindowAlgorithm[] = ["fixed", "sliding", "token-bucket"];

/** `undecided`: a call the tape lacks the arguments to decide (an imported audit log keeps only their hash). */
export type DecisionKind = "allow" | "deny" | "throttle" | "approval" | "undecided";

export const DECISION_KINDS: readonly DecisionKind[] = ["allow", "deny", "throttle", "approval", "undecided"];

export interface Call {
  tool: string;
  /** The `arguments` of `tools/call`, as JSON. */
  args: unknown;
  session: string;
  /** Who called (grant label or hashed token), when known. */
  identity?: string;
}

/** A counter this call took from, so the replay can give it back when the answer fails. */
export interface Reservation {
  key: string;
  amount: number;
  /**
   * When the amount was taken (ms). Fixed windows ignore it: like Intercept's stores, a rollback
   * subtracts from whatever the key holds now, floored at 0. Sliding windows use it to find the entry.
   */
  at: number;
}

/** A counter as the deciding rule saw it, for failure messages. */
export interface CounterReading {
  key: string;
  value: number;
  limit?: number;
}

export interface Decision {
  decision: DecisionKind;
  /** The deciding rule's id; null when allowed with no rule involved. */
  rule: string | null;
  message: string | null;
  reservations: Reservation[];
  counters: CounterReading[];
  /** Errors the engine met while deciding (Cedar's evaluation errors), whatever it made of them. */
  errors?: string[];
  /** An `allow` after a human approved the call a `require_approval` rule (`rule`) held. */
  approved?: true;
}
