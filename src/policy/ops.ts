/**
 * Condition operators with Intercept's (Go) semantics. Values follow the representation
 * described in gofmt.ts (number = float64, bigint = YAML int).
 *
 * - eq: both sides numbers -> numeric equality; otherwise the two `%v` texts are compared,
 *   so "1" eq 1 and true eq "true", but the argument 1000000 prints `1e+06`.
 * - neq / not_in: negations of eq / in (so they pass on null, a present value).
 * - in: eq against any element; false when the operand is not a list.
 * - lt lte gt gte: false unless both sides are numbers (a numeric string is not a number).
 * - regex: unanchored RE2 search, only on a string value with a string pattern.
 * - contains: substring for a string value and string operand; element eq for a list value.
 * - exists: (present and not null) == operand; false when the operand is not a bool.
 * - every operator except exists is false on a MISSING path.
 */
import type { Matcher, Op } from "./model.js";
import { formatFloat, formatGo, goFloat } from "./gofmt.js";
import { MISSING as MISSING_BINDING } from "./path.js";

/** A local copy: under tsx an imported binding is a getter call on every use. */
const MISSING = MISSING_BINDING;

/** A policy operand with what every comparison needs worked out once, at load time. */
export interface Operand {
  raw: unknown;
  /** `conv.ToFloat64(raw)`, or undefined when Go does not see a number. */
  num: number | undefined;
  /** Go `%v` of raw. */
  text: string;
  /** Prepared elements when raw is a list (for in / not_in). */
  list: Operand[] | undefined;
  matcher: Matcher | undefined;
}

export function prepareOperand(raw: unknown, matcher?: Matcher): Operand {
  return {
    raw,
    num: goFloat(raw),
    text: formatGo(raw),
    list: Array.isArray(raw) ? raw.map((item: unknown) => prepareOperand(item)) : undefined,
    matcher,
  };
}

/** Intercept's `evalEq(actual, operand)`. */
export function goEq(actual: unknown, o: Operand): boolean {
  switch (typeof actual) {
    case "string":
      // A string is never a number to Go: always the text comparison.
      return actual === o.text;
    case "number":
      return o.num !== undefined ? actual === o.num : formatFloat(actual) === o.text;
    case "boolean":
      return (actual ? "true" : "false") === o.text;
    case "bigint": {
      const n = goFloat(actual);
      return n !== undefined && o.num !== undefined ? n === o.num : formatGo(actual) === o.text;
    }
    case "undefined":
      return o.text === "<nil>";
    case "object":
      if (actual === null) return o.text === "<nil>";
      // Cheap refusals before printing a whole structure.
      if (Array.isArray(actual)) return o.text.startsWith("[") && formatGo(actual) === o.text;
      return o.text.startsWith("map[") && formatGo(actual) === o.text;
    default:
      return false;
  }
}

function goIn(actual: unknown, o: Operand): boolean {
  const list = o.list;
  if (list === undefined) return false;
  for (let i = 0; i < list.length; i++) if (goEq(actual, list[i]!)) return true;
  return false;
}

function goNum(actual: unknown): number | undefined {
  return typeof actual === "number" ? actual : goFloat(actual);
}

function goContains(actual: unknown, o: Operand): boolean {
  if (typeof actual === "string") return typeof o.raw === "string" && actual.includes(o.raw);
  if (Array.isArray(actual)) {
    for (let i = 0; i < actual.length; i++) if (goEq(actual[i], o)) return true;
  }
  return false;
}

/**
 * Evaluates one operator against a prepared operand. `actual` is the resolved value, or
 * MISSING when the path did not resolve.
 */
export function evalPrepared(op: Op, actual: unknown, o: Operand): boolean {
  if (op === "exists") {
    if (typeof o.raw !== "boolean") return false;
    return (actual !== MISSING && actual !== null && actual !== undefined) === o.raw;
  }
  if (actual === MISSING) return false;
  switch (op) {
    case "eq":
      return goEq(actual, o);
    case "neq":
      return !goEq(actual, o);
    case "in":
      return goIn(actual, o);
    case "not_in":
      return !goIn(actual, o);
    case "lt": {
      const a = goNum(actual);
      return a !== undefined && o.num !== undefined && a < o.num;
    }
    case "lte": {
      const a = goNum(actual);
      return a !== undefined && o.num !== undefined && a <= o.num;
    }
    case "gt": {
      const a = goNum(actual);
      return a !== undefined && o.num !== undefined && a > o.num;
    }
    case "gte": {
      const a = goNum(actual);
      return a !== undefined && o.num !== undefined && a >= o.num;
    }
    case "regex":
      // A pattern that did not compile has no matcher: Go's evalRegex is then false.
      return typeof actual === "string" && typeof o.raw === "string" && o.matcher !== undefined
        && o.matcher.test(actual);
    case "contains":
      return goContains(actual, o);
    default:
      return false;
  }
}

/** One-off form of `evalPrepared` (prepares the operand on every call; not for hot paths). */
export function evalOp(op: Op, actual: unknown, operand: unknown, matcher?: Matcher): boolean {
  return evalPrepared(op, actual, prepareOperand(operand, matcher));
}
