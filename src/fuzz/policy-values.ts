/**
 * What a policy itself says about a tool's arguments: every `args.` path its rules (and the
 * wildcard rules) test, with values at and around each threshold, list member, pattern and
 * substring. The fuzzer sets these paths to these values.
 */
import fc from "fast-check";
import type { Condition, Policy, Rule } from "../policy/model.js";
import { GoTime } from "../policy/gofmt.js";
import type { ForbidExpr } from "./expr.js";
import { CONFUSING, matchingStrings, nearNumbers, nearStrings, nearValues, patternLiterals } from "./near.js";

/** A path inside the arguments (`["a", "b"]` for `args.a.b`) and values worth putting there. */
export interface PathValues {
  path: string[];
  values: fc.Arbitrary<unknown>;
}

/** Values gathered for one path: constants, and string generators (patterns). */
export interface Gathered {
  path: string[];
  constants: unknown[];
  strings: fc.Arbitrary<string>[];
}

/** The rules that can decide a call of `tool`: its own, then the wildcard rules. */
export function rulesFor(policy: Policy, tool: string): Rule[] {
  return [...(policy.tools.get(tool)?.rules ?? []), ...policy.wildcard];
}

/** Values per argument path from the policies' conditions and counters and from forbidden expressions. */
export function policyPathValues(policies: readonly Policy[], tool: string, forbids: readonly ForbidExpr[]): PathValues[] {
  const byPath = new Map<string, Gathered>();
  const at = gatherer(byPath);
  for (const policy of policies) {
    for (const rule of rulesFor(policy, tool)) {
      for (const c of rule.conditions) {
        if (c.segments[0] === "args" && c.segments.length > 1) gather(at(c.segments.slice(1)), c.op, c.value);
      }
      const from = rule.counter?.incrementFrom;
      if (from && from.segments[0] === "args") {
        // An amount taken from the arguments: negative, fractional and huge amounts move counters oddly.
        at(from.segments.slice(1)).constants.push(-1, -1000, 0.5, 0.9999, -0.5, 1e15, 1e300, "1", "5");
      }
    }
  }
  for (const f of forbids) if (f.segments[0] === "args" && f.segments.length > 1) gather(at(f.segments.slice(1)), f.op, f.value);
  return [...byPath.values()].map((g) => ({ path: g.path, values: valuesArb(g) }));
}

/** Finds or starts the values of a path (starting with the wrong-typed values every path gets). */
export function gatherer(byPath: Map<string, Gathered>): (segments: readonly string[]) => Gathered {
  return (segments) => {
    const key = segments.join("\u0000");
    let g = byPath.get(key);
    if (g === undefined) {
      g = { path: segments.slice(), constants: [...CONFUSING], strings: [] };
      byPath.set(key, g);
    }
    return g;
  };
}

/** Values at and around what `op` compares with. */
export function gather(g: Gathered, op: Condition["op"], value: unknown): void {
  switch (op) {
    case "lt":
    case "lte":
    case "gt":
    case "gte": {
      const n = typeof value === "bigint" ? Number(value) : typeof value === "number" ? value : undefined;
      if (n !== undefined) g.constants.push(...nearNumbers(n));
      return;
    }
    case "in":
    case "not_in":
      if (Array.isArray(value)) for (const v of value) g.constants.push(...nearValues(v));
      if (Array.isArray(value)) g.constants.push(value);
      return;
    case "eq":
    case "neq":
      g.constants.push(...nearValues(value));
      return;
    case "regex":
      if (typeof value === "string") {
        const matching = matchingStrings(value);
        if (matching) g.strings.push(nearStrings(matching));
        g.strings.push(nearStrings(fc.constantFrom(...patternLiterals(value))));
      }
      return;
    case "contains":
      if (typeof value === "string") {
        g.strings.push(nearStrings(fc.constantFrom(value, `x${value}`, `${value}x`, `/srv/${value}/x`)));
      } else g.constants.push(...nearValues(value), [value]);
      return;
    case "exists":
      g.constants.push("x", 1);
      return;
  }
}

export function valuesArb(g: Gathered): fc.Arbitrary<unknown> {
  const constants = dedupe(g.constants.map(jsonValue).filter((v) => typeof v !== "number" || Number.isFinite(v)));
  const arbs: fc.Arbitrary<unknown>[] = [fc.constantFrom(...constants), ...g.strings];
  return arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs);
}

/** Policy values as they can arrive in JSON arguments (a YAML integer is a JSON number). */
export function jsonValue(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (v instanceof GoTime) return v.source;
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  }
  return v;
}

function dedupe(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of values) {
    const key = `${typeof v}:${Object.is(v, -0) ? "-0" : JSON.stringify(v)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}
