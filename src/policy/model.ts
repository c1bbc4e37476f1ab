/**
 * The one internal policy model. Every dialect (Intercept YAML, the catalogue form,
 * PolicyLayer JSON) compiles into this; the engine reads only this.
 */
import type { Position } from "../errors.js";

export type Op =
  | "eq" | "neq" | "in" | "not_in"
  | "lt" | "lte" | "gt" | "gte"
  | "regex" | "contains" | "exists";

export const OPS: readonly Op[] = [
  "eq", "neq", "in", "not_in", "lt", "lte", "gt", "gte", "regex", "contains", "exists",
];

/** A compiled Go RE2 pattern: unanchored search over a string. */
export interface Matcher {
  source: string;
  test(text: string): boolean;
}

export interface Condition {
  /** `args.a.b` (walks nested objects) or `state.<scope>.<counter>`. */
  path: string;
  /** `path` split on dots, precompiled for the hot path. */
  segments: string[];
  op: Op;
  value: unknown;
  /** Present when op is `regex`. */
  matcher?: Matcher;
  pos?: Position;
}

/**
 * How a counter's window is cut.
 * `calendar`: fixed windows aligned to the UTC calendar (Intercept's minute/hour/day).
 * `seconds`: fixed windows of N seconds aligned to the Unix epoch (the catalogue form).
 * The replay option `--window sliding|token-bucket` reinterprets either as a span length.
 */
export type Window =
  | { kind: "calendar"; unit: "minute" | "hour" | "day" }
  | { kind: "seconds"; seconds: number };

/** Whose calls a counter counts: the whole gateway, one session, or one identity (grant). */
export type CounterKeying = "gateway" | "session" | "identity";

export interface CounterSpec {
  /** Scope in the counter key: the tool name, or `_global` for wildcard rules. */
  scope: string;
  counter: string;
  window: Window;
  keying: CounterKeying;
  /** Fixed amount per call (Intercept `increment`, default 1). */
  increment: number;
  /** `args.x`: the amount is this argument, truncated toward zero. */
  incrementFrom?: { path: string; segments: string[] };
  /**
   * The most a window may hold. Undefined when no lt/lte condition of the same rule limits
   * this counter: Intercept then never reserves (never increments) it.
   */
  limit?: number;
}

export type RuleAction =
  /** All conditions must hold, or the call is refused. */
  | "evaluate"
  /** Refuses when all conditions hold (no conditions: always). */
  | "deny"
  /** Holds the call for a human when all conditions hold (no conditions: always). */
  | "require_approval";

export interface Rule {
  /** What reports name as the deciding rule (Intercept: the name; PolicyLayer: a JSON Pointer). */
  id: string;
  action: RuleAction;
  conditions: Condition[];
  /** Message when this rule refuses the call by a condition or a deny. */
  denyMessage: string;
  /** Message when a reservation of this rule's counter fails. */
  limitMessage: string;
  counter?: CounterSpec;
  pos?: Position;
}

export interface ToolPolicy {
  rules: Rule[];
  pos?: Position;
}

export type Dialect = "intercept" | "policylayer";

export const DIALECTS: readonly Dialect[] = ["intercept", "policylayer"];

/** Every dialect a policy file can be in: the model's, and Cedar (decided by its own engine, src/cedar/). */
export type PolicyDialect = Dialect | "cedar";

export const POLICY_DIALECTS: readonly PolicyDialect[] = [...DIALECTS, "cedar"];

export interface Policy {
  dialect: Dialect;
  /** Where the policy came from, for messages. */
  file: string;
  defaultAction: "allow" | "deny";
  /** `"*"` hides every tool. */
  hide: Set<string>;
  tools: Map<string, ToolPolicy>;
  /** Rules that apply after every tool's own rules (Intercept `"*"`, PolicyLayer `all_tools`). */
  wildcard: Rule[];
  /**
   * Intercept: the `"*"` entry also lists a tool literally named `*`. Its `"*"` rules run once,
   * and their counters are reserved twice: first these, under scope `*` (limit from a
   * `state.*.<counter>` condition), then as wildcard counters under `_global`.
   */
  starTool?: { counters: CounterSpec[] };
  /**
   * PolicyLayer: identities (grants) that have this policy attached. Undefined means every
   * caller has it. A call from an identity outside the set is refused with `(no policy)`.
   */
  grants?: Set<string>;
  /** Message texts that differ by dialect. */
  messages: {
    hidden(tool: string): string;
    defaultDeny(tool: string): string;
    noPolicy(tool: string): string;
    internalError: string;
  };
}
