/**
 * The one line a run that fails on a `--fail-on*` flag or a coverage threshold prints on
 * stderr: which outcome failed it and how many, so a red CI job says why without a report.
 */
import type { DecisionKind } from "../engine/types.js";
import type { DecidedCall } from "../replay/types.js";
import { failsOn } from "./replay-renderer.js";

export type FailOutcome = DecisionKind | "changed";

/** Counts failing calls by the outcome that failed them (their decision first, else `changed`). */
export class FailCounts {
  private readonly counts = new Map<FailOutcome, number>();
  total = 0;

  constructor(private readonly failOn: Set<FailOutcome>) {}

  /** Notes a call; returns whether it fails the run. */
  add(call: DecidedCall): boolean {
    if (!failsOn(call, this.failOn)) return false;
    const decision = call.decision.decision;
    const outcome: FailOutcome = this.failOn.has(decision) ? decision : "changed";
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
    this.total++;
    return true;
  }

  /** What was counted, for another FailCounts to add (`addCounted`): a unit counted on a worker thread. */
  counted(): [FailOutcome, number][] {
    return [...this.counts];
  }

  addCounted(counted: [FailOutcome, number][]): void {
    for (const [outcome, n] of counted) {
      this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + n);
      this.total += n;
    }
  }

  /** `--fail-on deny,changed: 4 calls failed the run (3 deny, 1 changed)`, or undefined when none did. */
  line(): string | undefined {
    if (this.total === 0) return undefined;
    const parts = [...this.failOn].filter((o) => this.counts.has(o)).map((o) => `${this.counts.get(o)} ${o}`);
    return `--fail-on ${[...this.failOn].join(",")}: ${plural(this.total, "call")} failed the run (${parts.join(", ")})`;
  }
}

export function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}
