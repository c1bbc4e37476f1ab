/** A rule as compiled from one dialect form, before cross-rule checks turn it into the model. */
import type { Condition, CounterKeying, RuleAction, Window } from "../model.js";
import type { Where } from "../../yaml-source.js";

export interface DraftState {
  counter: string;
  window: Window;
  keying: CounterKeying;
  increment: number;
  incrementFrom?: string;
  at: Where;
  counterAt: Where;
}

export interface DraftRule {
  /** The key under `tools` ("*" for wildcard rules). */
  tool: string;
  index: number;
  at: Where;
  /** `tools.<tool>.rules[<i>]`, Intercept's name for the rule in its messages. */
  where: string;
  id: string;
  action: RuleAction;
  conditions: Condition[];
  /** on_deny as written, "" when absent; the default messages depend on it. */
  denyMessage: string;
  limitMessage: string;
  state?: DraftState;
  /** The catalogue form of the seed documents (not Intercept's own syntax). */
  catalogue: boolean;
}

/** Counter scope as Intercept builds keys: the tool name, `_global` for `"*"` rules. */
export function scopeOf(tool: string): string {
  return tool === "*" ? "_global" : tool;
}
