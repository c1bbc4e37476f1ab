/**
 * The policy model arranged for the hot path of `decide`: per tool, its rules followed by the
 * wildcard rules, operands prepared once, counter keys and window lengths worked out once.
 * Built on first use and cached per Policy object (a Policy is not changed after loading).
 */
import type { Condition, CounterKeying, CounterSpec, Op, Policy, Rule, RuleAction } from "../policy/model.js";
import { type Operand, prepareOperand } from "../policy/ops.js";
import { windowMs } from "./counters.js";

/**
 * Where a condition's value comes from; `other` (neither `args.` nor `state.`) is "missing"
 * to Go. String literals, not imported constants: under tsx an imported binding is a getter
 * call on every use in the hot loop.
 */
export type PathKind = "args" | "state" | "other";

/** A counter as conditions and reservations address it. */
export interface CounterRef {
  /** `<scope>.<counter>`, before any session/identity prefix. */
  base: string;
  keying: CounterKeying;
  spanMs: number;
  limit: number | undefined;
}

export interface CompiledCondition {
  source: Condition;
  kind: PathKind;
  op: Op;
  operand: Operand;
  /** For args paths: the segments after `args`. */
  argSegments: string[];
  /** For state paths. */
  counter: CounterRef | undefined;
}

export interface CompiledRule {
  rule: Rule;
  action: RuleAction;
  conditions: CompiledCondition[];
}

export interface CompiledCounter extends CounterRef {
  rule: Rule;
  increment: number;
  /** Segments of `increment_from` after `args`. */
  incrementFrom: string[] | undefined;
}

export interface CompiledTool {
  rules: CompiledRule[];
  /** Counters to reserve, in order: the tool's rules' then the wildcard rules'. */
  counters: CompiledCounter[];
}

export interface CompiledPolicy {
  hideAll: boolean;
  tools: Map<string, CompiledTool>;
  /** For tools not listed under default allow: the wildcard rules alone. */
  unlisted: CompiledTool;
}

const cache = new WeakMap<Policy, CompiledPolicy>();
let lastPolicy: Policy | undefined;
let lastCompiled: CompiledPolicy | undefined;

export function compiledPolicy(policy: Policy): CompiledPolicy {
  if (policy === lastPolicy) return lastCompiled!;
  let c = cache.get(policy);
  if (c === undefined) {
    c = compilePolicy(policy);
    cache.set(policy, c);
  }
  lastPolicy = policy;
  lastCompiled = c;
  return c;
}

function compilePolicy(policy: Policy): CompiledPolicy {
  const specs = new Map<string, CounterSpec>();
  const allRules = [...[...policy.tools.values()].flatMap((t) => t.rules), ...policy.wildcard];
  for (const r of allRules) {
    const base = r.counter && `${r.counter.scope}.${r.counter.counter}`;
    if (base !== undefined && !specs.has(base)) specs.set(base, r.counter!);
  }
  const refOf = (base: string): CounterRef => {
    const spec = specs.get(base);
    return spec === undefined
      ? { base, keying: "gateway", spanMs: 1, limit: undefined }
      : { base, keying: spec.keying, spanMs: windowMs(spec.window), limit: spec.limit };
  };
  const wildcardRules = policy.wildcard.map((r) => compileRule(r, refOf));
  const wildcardCounters = policy.wildcard.flatMap((r) => compileCounter(r));
  const tools = new Map<string, CompiledTool>();
  for (const [name, tool] of policy.tools) {
    tools.set(name, {
      rules: [...tool.rules.map((r) => compileRule(r, refOf)), ...wildcardRules],
      counters: [...tool.rules.flatMap((r) => compileCounter(r)), ...wildcardCounters],
    });
  }
  if (policy.starTool) {
    // The tool named `*`: its rules are the wildcard rules, once; its counters twice.
    const scoped = policy.starTool.counters; // one per wildcard rule with a counter, in order
    const starCounters = policy.wildcard.filter((r) => r.counter).flatMap((r, i) => compileCounter(r, scoped[i]));
    tools.set("*", { rules: wildcardRules, counters: [...starCounters, ...wildcardCounters] });
  }
  return {
    hideAll: policy.hide.has("*"),
    tools,
    unlisted: { rules: wildcardRules, counters: wildcardCounters },
  };
}

function compileRule(rule: Rule, refOf: (base: string) => CounterRef): CompiledRule {
  return {
    rule,
    action: rule.action,
    conditions: rule.conditions.map((c) => compileCondition(c, refOf)),
  };
}

function compileCondition(c: Condition, refOf: (base: string) => CounterRef): CompiledCondition {
  const kind: PathKind = c.path.startsWith("args.") ? "args" : c.path.startsWith("state.") ? "state" : "other";
  return {
    source: c,
    kind,
    op: c.op,
    operand: prepareOperand(c.value, c.matcher),
    // From the path itself, so nothing depends on how a dialect filled `segments`.
    argSegments: kind === "args" ? c.path.slice("args.".length).split(".") : [],
    // Intercept reads the key after `state.` as is (so a scope may itself contain dots).
    counter: kind === "state" ? refOf(c.path.slice("state.".length)) : undefined,
  };
}

function compileCounter(rule: Rule, spec = rule.counter): CompiledCounter[] {
  if (spec === undefined) return [];
  return [{
    rule,
    base: `${spec.scope}.${spec.counter}`,
    keying: spec.keying,
    spanMs: windowMs(spec.window),
    limit: spec.limit,
    increment: spec.increment,
    // Intercept trims a leading `args.` and walks the rest.
    incrementFrom: spec.incrementFrom ? trimArgs(spec.incrementFrom.path).split(".") : undefined,
  }];
}

function trimArgs(path: string): string {
  return path.startsWith("args.") ? path.slice("args.".length) : path;
}
