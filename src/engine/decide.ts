/**
 * Deciding one `tools/call`: a pure function of (policy, call, counters, now), apart from
 * the reservations it makes in the given CounterStore.
 *
 * Order (Intercept's engine then proxy; PolicyLayer's documented order fits the same steps):
 * 1. hidden; 2. no policy for the caller's grant; 3. default deny for unlisted tools;
 * 4. the tool's rules, then the wildcard rules, in order: a `deny` rule whose conditions hold
 *    (none: always) refuses; an `evaluate` rule refuses at its first false condition; state
 *    conditions read the counter before this call;
 * 5. approval, when a matching `require_approval` rule was met and nothing refused;
 * 6. reservations: every counter of the tool's rules then the wildcard rules resolves its
 *    amount (a missing or non-numeric `increment_from` is `Internal policy error`, even for a
 *    counter without a limit, as in Intercept); those with a limit are reserved all-or-nothing.
 * Kinds: a refusal from a reservation or from a false `state.` condition is "throttle";
 * every other refusal is "deny".
 *
 * Approval (Intercept PR #3, as docs/spec/dialect-intercept.md quotes it; its source is not
 * one we could read): a matching approval rule does not stop the walk, so a deny rule wins
 * wherever it stands, and an approval reserves nothing (the call is not forwarded). With
 * `approve: true` (a human said yes) approval rules are passed and the call goes on to its
 * reservations, as the approved retry does. What a human answered is the replay's to apply.
 */
import { goInt64OfFloat } from "../policy/gofmt.js";
import type { Policy } from "../policy/model.js";
import { evalPrepared } from "../policy/ops.js";
import { MISSING as MISSING_BINDING, resolveSegments } from "../policy/path.js";
import { type CompiledCondition, type CompiledRule, type CounterRef, compiledPolicy } from "./compile.js";
import type { CounterStore } from "./counters.js";
import type { Call, CounterReading, Decision, DecisionKind, Reservation } from "./types.js";

/** A local copy: under tsx an imported binding is a getter call on every use. */
const MISSING = MISSING_BINDING;

export interface DecideOptions {
  /** A human approved this call: `require_approval` rules let it through. */
  approve?: boolean;
}

export const RULE_HIDDEN = "(hidden)";
export const RULE_NO_POLICY = "(no policy)";
export const RULE_DEFAULT_DENY = "(default deny)";

export function decide(policy: Policy, call: Call, counters: CounterStore, now: number, options?: DecideOptions): Decision {
  const cp = compiledPolicy(policy);
  const tool = call.tool;
  if (cp.hideAll || policy.hide.has(tool)) {
    return refusal("deny", RULE_HIDDEN, policy.messages.hidden(tool), []);
  }
  if (policy.grants !== undefined && (call.identity === undefined || !policy.grants.has(call.identity))) {
    return refusal("deny", RULE_NO_POLICY, policy.messages.noPolicy(tool), []);
  }
  let ct = cp.tools.get(tool);
  if (ct === undefined) {
    if (policy.defaultAction === "deny") {
      return refusal("deny", RULE_DEFAULT_DENY, policy.messages.defaultDeny(tool), []);
    }
    ct = cp.unlisted;
  }

  const args = call.args;
  const approve = options?.approve === true;
  let approval: CompiledRule | undefined;
  const rules = ct.rules;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    const failed = firstFalse(r.conditions, args, call, counters, now);
    if (r.action === "deny") {
      if (failed < 0) return refusal("deny", r.rule.id, r.rule.denyMessage, readings(r, call, counters, now));
    } else if (r.action === "require_approval") {
      if (failed < 0 && !approve && approval === undefined) approval = r;
    } else if (failed >= 0) {
      const kind = r.conditions[failed]!.kind === "state" ? "throttle" : "deny";
      return refusal(kind, r.rule.id, r.rule.denyMessage, readings(r, call, counters, now));
    }
  }
  if (approval !== undefined) {
    return { decision: "approval", rule: approval.rule.id, message: approval.rule.denyMessage, reservations: [], counters: [] };
  }

  const specs = ct.counters;
  const made: Reservation[] = [];
  for (let i = 0; i < specs.length; i++) {
    const c = specs[i]!;
    let amount = c.increment;
    if (c.incrementFrom !== undefined) {
      const n = goInt64(resolveSegments(args, c.incrementFrom));
      if (n === undefined) {
        rollback(counters, made);
        return refusal("deny", c.rule.id, policy.messages.internalError, []);
      }
      amount = n;
    }
    if (c.limit === undefined) continue;
    const key = counterKey(c, call);
    const r = counters.tryReserve(key, amount, c.limit, c.spanMs, now);
    if (r === undefined) {
      const reading: CounterReading = { key, value: counters.read(key, now), limit: c.limit };
      rollback(counters, made);
      return refusal("throttle", c.rule.id, c.rule.limitMessage, [reading]);
    }
    made.push(r);
  }
  return { decision: "allow", rule: null, message: null, reservations: made, counters: [] };
}

/** Gives back a call's reservations (its upstream answer failed), newest first. */
export function rollback(counters: CounterStore, reservations: readonly Reservation[]): void {
  for (let i = reservations.length - 1; i >= 0; i--) counters.rollback(reservations[i]!);
}

/** The key a counter has for this call: `<scope>.<counter>`, prefixed when keyed. */
export function counterKey(ref: CounterRef, call: Call): string {
  switch (ref.keying) {
    case "gateway":
      return ref.base;
    case "session":
      return `session:${call.session}/${ref.base}`;
    case "identity":
      return `identity:${call.identity ?? ""}/${ref.base}`;
  }
}

/** Index of the first condition that does not hold, or -1. */
function firstFalse(conds: readonly CompiledCondition[], args: unknown, call: Call, counters: CounterStore, now: number): number {
  for (let i = 0; i < conds.length; i++) {
    const c = conds[i]!;
    let actual: unknown;
    if (c.kind === "args") actual = resolveSegments(args, c.argSegments);
    else if (c.kind === "state") {
      // Go reads an int64 here: a bigint keeps its `%v` an integer in text comparisons.
      const v = counters.read(counterKey(c.counter!, call), now);
      actual = Number.isInteger(v) && c.operand.num !== undefined ? v : stateValue(v);
    } else actual = MISSING;
    if (!evalPrepared(c.op, actual, c.operand)) return i;
  }
  return -1;
}

/** A counter value as Go holds it (int64), for comparisons that print it. */
function stateValue(v: number): unknown {
  return Number.isInteger(v) ? BigInt(v) : v;
}

/** The counters a rule's state conditions read, for messages. */
function readings(r: CompiledRule, call: Call, counters: CounterStore, now: number): CounterReading[] {
  const out: CounterReading[] = [];
  for (const c of r.conditions) {
    if (c.kind !== "state") continue;
    const key = counterKey(c.counter!, call);
    const reading: CounterReading = { key, value: counters.read(key, now) };
    if (c.counter!.limit !== undefined) reading.limit = c.counter!.limit;
    out.push(reading);
  }
  return out;
}

function refusal(kind: DecisionKind, rule: string, message: string, counters: CounterReading[]): Decision {
  return { decision: kind, rule, message, reservations: [], counters };
}

/**
 * Intercept's `conv.ToInt64` on an argument: a number truncated toward zero (see
 * goInt64OfFloat); anything else (missing, null, string, bool, list, object) is an error.
 */
function goInt64(v: unknown): number | undefined {
  if (typeof v === "number") return Number(goInt64OfFloat(v));
  if (typeof v === "bigint") return Number(BigInt.asIntN(64, v));
  return undefined;
}
