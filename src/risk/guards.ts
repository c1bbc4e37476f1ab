/** What a policy already does to one tool: the protections a risk class can ask for. */
import type { Policy, Rule } from "../policy/model.js";
import type { Position } from "../errors.js";

export interface Guards {
  /** Why no call of the tool gets through (hidden, not listed under default deny, a plain deny), if so. */
  blocked?: string;
  approval: boolean;
  /** A counter with a limit counts the tool's calls (its own rule or a `"*"` rule). */
  rateLimited: boolean;
  /** Some rule looks at the call's arguments. */
  argumentChecks: boolean;
  /** An argument is held to a number (lt/lte), or a counter adds up an argument (a budget). */
  amountCap: boolean;
  /** Where the tool is listed, for warnings. */
  pos?: Position;
}

export function guardsOf(policy: Policy, tool: string): Guards {
  const own = policy.tools.get(tool);
  const rules: Rule[] = [...(own?.rules ?? []), ...policy.wildcard];
  const guards: Guards = { approval: false, rateLimited: false, argumentChecks: false, amountCap: false, ...(own?.pos ? { pos: own.pos } : {}) };
  if (policy.hide.has("*") || policy.hide.has(tool)) return { ...guards, blocked: "hidden" };
  if (!own && policy.defaultAction === "deny") return { ...guards, blocked: "not listed under default: deny" };
  for (const rule of rules) {
    const argConditions = rule.conditions.filter((c) => c.path.startsWith("args."));
    if (rule.action === "deny" && rule.conditions.length === 0) return { ...guards, blocked: `denied by rule "${rule.id}"` };
    if (rule.action === "require_approval") guards.approval = true;
    if (rule.counter?.limit !== undefined) {
      if (rule.counter.incrementFrom) guards.amountCap = true;
      else guards.rateLimited = true;
    }
    if (argConditions.length > 0) guards.argumentChecks = true;
    if (argConditions.some((c) => c.op === "lt" || c.op === "lte" || (rule.action === "deny" && (c.op === "gt" || c.op === "gte")))) {
      guards.amountCap = true;
    }
  }
  return guards;
}
