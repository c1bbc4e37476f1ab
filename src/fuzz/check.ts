/**
 * Running one case: its calls in order through a gateway just reset, held against every
 * property. Pure apart from the gateways' state; the same case always gives the same answer.
 */
import { DECISION_KINDS, type Decision } from "../engine/types.js";
import type { Gateway, GatewayCall } from "../gateway/types.js";
import { forbidHolds } from "./expr.js";
import type { CallOutcome, FuzzCase, Property, Violation } from "./types.js";

export interface CheckContext {
  /** The policy's gateway, reset before each case. */
  gateway: Gateway;
  /** `--against`: a second policy's gateway that must decide every call alike (or no looser, below). */
  against?: Gateway;
  /**
   * `--against` as a migration check: only a call this policy allows and the other does not is
   * a finding (a Cedar policy on either side: the gateways' error rules differ, and tightening is
   * what a migration may do).
   */
  againstLoosensOnly?: boolean;
  /** The properties for this case's tool. */
  properties: readonly Property[];
  /** Property ids set aside (already found in an earlier round). */
  skip?: ReadonlySet<string>;
}

export const THROWS_ID = "throws";
export const AGAINST_ID = "against";

export function propertyId(p: Property): string {
  return p.kind === "forbid" ? `forbid:${p.expr.source}` : `max_calls:${p.source}`;
}

export function describeProperty(p: Property): string {
  return p.kind === "forbid"
    ? `allowed while ${p.expr.source}`
    : `more than ${p.max} allowed calls of ${p.tool} within ${p.perMs / 1000}s`;
}

/** The first property the case breaks, or null. */
export function checkCase(ctx: CheckContext, c: FuzzCase): Violation | null {
  const skip = ctx.skip;
  const checkThrows = !skip?.has(THROWS_ID);
  const checkAgainst = ctx.against !== undefined && !skip?.has(AGAINST_ID);
  const props = skip && skip.size > 0 ? ctx.properties.filter((p) => !skip.has(propertyId(p))) : ctx.properties;
  const gateway = ctx.gateway;
  gateway.reset();
  const other = checkAgainst ? ctx.against : undefined;
  other?.reset();
  const outcomes: CallOutcome[] = [];
  const allowedAt: number[] = [];
  let t = c.start;
  for (let i = 0; i < c.calls.length; i++) {
    const fc = c.calls[i]!;
    t += fc.gapMs;
    const call: GatewayCall = { tool: c.tool, args: fc.args, session: "s1", ...(c.claims ? { claims: c.claims } : {}) };
    let d: Decision;
    try {
      d = gateway.decide(call, t);
    } catch (err) {
      if (!checkThrows) return null;
      outcomes.push({ t, args: fc.args, decision: "error", rule: null, message: null });
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return { kind: "throws", property: "the engine threw", propertyId: THROWS_ID, callIndex: i, expected: "deny", outcomes, error };
    }
    outcomes.push({ t, args: fc.args, decision: d.decision, rule: d.rule, message: d.message });
    if (checkThrows && !DECISION_KINDS.includes(d.decision)) {
      return { kind: "undecided", property: "the engine decided nothing", propertyId: THROWS_ID, callIndex: i, expected: "deny", outcomes };
    }
    if (other !== undefined) {
      const o = other.decide(call, t);
      const differs = ctx.againstLoosensOnly ? d.decision === "allow" && o.decision !== "allow" : o.decision !== d.decision;
      if (differs) {
        return {
          kind: "against", property: ctx.againstLoosensOnly ? "allowed where the --against policy refuses" : "decided otherwise by the --against policy", propertyId: AGAINST_ID, callIndex: i,
          expected: o.decision, outcomes, other: { decision: o.decision, rule: o.rule },
        };
      }
    }
    if (d.decision !== "allow") continue;
    allowedAt.push(t);
    for (let k = 0; k < props.length; k++) {
      const p = props[k]!;
      if (p.kind === "forbid") {
        if ((p.tool === undefined || p.tool === c.tool) && forbidHolds(p.expr, fc.args, c.claims)) {
          return violation(p, i, "deny", outcomes);
        }
      } else if (p.tool === c.tool && allowedWithin(allowedAt, t - p.perMs) > p.max) {
        return violation(p, i, "throttle", outcomes);
      }
    }
  }
  return null;
}

function violation(p: Property, callIndex: number, expected: Violation["expected"], outcomes: CallOutcome[]): Violation {
  return { kind: p.kind, property: describeProperty(p), propertyId: propertyId(p), callIndex, expected, outcomes };
}

/** How many allowed calls are in (after, now]: the list is in time order. */
function allowedWithin(times: readonly number[], after: number): number {
  let n = 0;
  for (let i = times.length - 1; i >= 0 && times[i]! > after; i--) n++;
  return n;
}
