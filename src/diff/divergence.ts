/**
 * Which sessions have diverged: once a call of a session is decided differently, the agent
 * would have seen a different answer, so every later call of that session is counterfactual.
 * Sessions are told apart by tape too, since hand-written tapes reuse ids like "s1".
 * Memory grows with the number of sessions that changed, never with calls.
 */
export class Divergence {
  private readonly diverged = new Set<string>();

  /** Whether this call is counterfactual; records the session as diverged when it changed. */
  mark(tape: string, session: string, changed: boolean): boolean {
    const key = `${tape}\u0000${session}`;
    const counterfactual = this.diverged.has(key);
    if (changed && !counterfactual) this.diverged.add(key);
    return counterfactual;
  }
}
