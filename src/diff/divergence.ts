/**
 * Which sessions have diverged: once a call of a session is decided differently, the agent
 * would have seen a different answer, so every later call of that session is counterfactual.
 * Sessions are told apart by tape too, since hand-written tapes reuse ids like "s1".
 * Memory grows with the number of sessions that changed, never with calls.
 */
export class Divergence {
  /** Diverged sessions by tape; asked once a call, so no key strings are built. */
  private readonly diverged = new Map<string, Set<string>>();

  /** Whether this call is counterfactual; records the session as diverged when it changed. */
  mark(tape: string, session: string, changed: boolean): boolean {
    let sessions = this.diverged.get(tape);
    if (sessions === undefined) {
      if (!changed) return false;
      this.diverged.set(tape, (sessions = new Set()));
    }
    if (sessions.has(session)) return true;
    if (changed) sessions.add(session);
    return false;
  }
}

/**
 * How a change stands to its session's history. `direct`: the first change in its session, the
 * history up to it identical under both policies, so the edit alone changed it. `after
 * divergence` (the json `counterfactual` flag): an earlier call of the session changed first,
 * so the agent would have seen another answer before; the edit may well change this call on
 * its own too, but under head the call may not have happened at all.
 */
export type ChangeOrigin = "direct" | "after divergence";

export function originOf(call: { counterfactual: boolean }): ChangeOrigin {
  return call.counterfactual ? "after divergence" : "direct";
}
