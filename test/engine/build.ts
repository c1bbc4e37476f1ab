/**
 * Builds a Policy model from a compact object, without YAML: for engine tests and benchmarks.
 * It follows Intercept's loader where it matters to the engine: rate_limit shorthand, the
 * limit taken from the rule's own lt/lte condition on its counter, default messages.
 *
 * Values: a JS number is a Go float64, a bigint a YAML integer (see src/policy/gofmt.ts).
 */
import { RE2JS } from "re2js";
import type {
  Condition, CounterKeying, Dialect, Matcher, Op, Policy, Rule, RuleAction, ToolPolicy, Window,
} from "../../src/policy/model.js";
import { goFloat, goQuote } from "../../src/policy/gofmt.js";

export type CompactCondition = [path: string, op: Op, value: unknown];

export interface CompactRule {
  name: string;
  action?: RuleAction;
  when?: CompactCondition[];
  onDeny?: string;
  /** `N/minute|hour|day` (Intercept shorthand). */
  rateLimit?: string;
  state?: {
    counter: string;
    /** Calendar unit, or a number of seconds (epoch-aligned). */
    window: "minute" | "hour" | "day" | number;
    increment?: number;
    incrementFrom?: string;
    keying?: CounterKeying;
  };
}

export interface CompactPolicy {
  dialect?: Dialect;
  default?: "allow" | "deny";
  hide?: string[];
  grants?: string[];
  /** Tool name -> rules; the key `"*"` holds the wildcard rules. */
  tools?: Record<string, CompactRule[]>;
}

export function compileMatcher(source: string): Matcher | undefined {
  try {
    const re = RE2JS.compile(source);
    return { source, test: (text: string) => re.test(text) };
  } catch {
    return undefined;
  }
}

function condition(c: CompactCondition): Condition {
  const [path, op, value] = c;
  const cond: Condition = { path, segments: path.split("."), op, value };
  if (op === "regex" && typeof value === "string") {
    const m = compileMatcher(value);
    if (m) cond.matcher = m;
  }
  return cond;
}

/** Intercept's extractLimit: the first lt/lte with a numeric value on the rule's own counter. */
function limitOf(conditions: Condition[], counterPath: string): number | undefined {
  for (const c of conditions) {
    if (c.path !== counterPath) continue;
    const n = goFloat(c.value);
    if (n === undefined) continue;
    if (c.op === "lt") return Math.trunc(n) - 1;
    if (c.op === "lte") return Math.trunc(n);
  }
  return undefined;
}

function rule(r: CompactRule, tool: string): Rule {
  const scope = tool === "*" ? "_global" : tool;
  let conditions = (r.when ?? []).map(condition);
  let state = r.state;
  let onDeny = r.onDeny;
  let action: RuleAction = r.action ?? "evaluate";
  if (r.rateLimit !== undefined) {
    const [count, unit] = r.rateLimit.split("/") as [string, "minute" | "hour" | "day"];
    const counter = `_rate_${unit}`;
    conditions = [condition([`state.${scope}.${counter}`, "lte", BigInt(count)])];
    state = { counter, window: unit };
    onDeny ??= `Rate limit of ${count} per ${unit} reached. Try again later.`;
    action = "evaluate";
  }
  const out: Rule = {
    id: r.name,
    action,
    conditions,
    denyMessage: onDeny ?? `Denied by rule ${goQuote(r.name)}`,
    limitMessage: onDeny ?? `Rate limit exceeded for ${r.name}`,
  };
  if (state) {
    const window: Window = typeof state.window === "number"
      ? { kind: "seconds", seconds: state.window }
      : { kind: "calendar", unit: state.window };
    out.counter = {
      scope,
      counter: state.counter,
      window,
      keying: state.keying ?? "gateway",
      increment: state.increment || 1,
      limit: limitOf(conditions, `state.${scope}.${state.counter}`),
    };
    if (state.incrementFrom) {
      out.counter.incrementFrom = { path: state.incrementFrom, segments: state.incrementFrom.split(".") };
    }
  }
  return out;
}

export function buildPolicy(p: CompactPolicy): Policy {
  const tools = new Map<string, ToolPolicy>();
  let wildcard: Rule[] = [];
  for (const [name, rules] of Object.entries(p.tools ?? {})) {
    const built = rules.map((r) => rule(r, name));
    if (name === "*") wildcard = built;
    else tools.set(name, { rules: built });
  }
  const policy: Policy = {
    dialect: p.dialect ?? "intercept",
    file: "<built>",
    defaultAction: p.default ?? "allow",
    hide: new Set(p.hide ?? []),
    tools,
    wildcard,
    messages: {
      hidden: (t) => `Tool ${goQuote(t)} is hidden by policy`,
      defaultDeny: (t) => `Tool ${goQuote(t)} is not permitted by policy`,
      noPolicy: (t) => `No policy is attached to this grant (tool ${goQuote(t)})`,
      internalError: "Internal policy error",
    },
  };
  if (p.grants) policy.grants = new Set(p.grants);
  return policy;
}
