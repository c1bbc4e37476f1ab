/** The policy-model engine behind the Gateway interface: engine/decide() with its counters. */
import { createCounterStore, type CounterStore } from "../engine/counters.js";
import { decide, rollback } from "../engine/decide.js";
import type { Decision, Reservation, WindowAlgorithm } from "../engine/types.js";
import type { Policy } from "../policy/model.js";
import { recogniseAnswer, type RecognisedAnswer } from "../tape/recorded.js";
import type { DecideOptions, Gateway, GatewayCall } from "./types.js";

export class ModelGateway implements Gateway {
  private readonly counters: CounterStore;
  readonly kind: string;

  constructor(
    private readonly policy: Policy,
    window: WindowAlgorithm,
  ) {
    this.counters = createCounterStore(window);
    this.kind = policy.dialect;
  }

  decide(call: GatewayCall, now: number, options?: DecideOptions): Decision {
    return decide(this.policy, call, this.counters, now, options);
  }

  rollback(reservations: readonly Reservation[]): void {
    rollback(this.counters, reservations);
  }

  readCounter(key: string, now: number): number {
    return this.counters.read(key, now);
  }

  /** The model decides by name alone: what a server lists changes nothing. */
  listTools(): void {}

  recognise(response: Record<string, unknown>, httpStatus?: number): RecognisedAnswer {
    return recogniseAnswer(response, httpStatus);
  }

  ruleNames(): string[] {
    return modelRuleIds(this.policy);
  }

  hasOwnRules(tool: string): boolean {
    return (this.policy.tools.get(tool)?.rules.length ?? 0) > 0;
  }

  /** Forgets every counter: the gateway as if just started (fuzzing reuses one per case). */
  reset(): void {
    this.counters.clear();
  }
}

/** Every rule id of a model policy, in file order: each tool's rules, then the wildcard rules. */
export function modelRuleIds(policy: Policy): string[] {
  const ids: string[] = [];
  for (const tool of policy.tools.values()) for (const rule of tool.rules) ids.push(rule.id);
  for (const rule of policy.wildcard) ids.push(rule.id);
  return [...new Set(ids)];
}
