/**
 * Arguments from a tool's `inputSchema` (JSON Schema as MCP servers publish it): the keywords
 * tools use (type, properties, required, enum, const, minimum/maximum and their exclusive
 * forms, minLength/maxLength, pattern, items, minItems/maxItems, anyOf/oneOf, allOf, local
 * $ref). Other keywords are not held to. Our own small bridge: no maintained package
 * maps JSON Schema to fast-check arbitraries.
 */
import fc from "fast-check";
import { matchingStrings } from "./near.js";

type Schema = Record<string, unknown>;

const MAX_DEPTH = 5;

/**
 * Characters that matter to paths and comparisons, drawn more often than chance would; one
 * code point each (JSON Schema lengths count code points). Not fast-check's "binary" unit:
 * building it costs seconds.
 */
const STRING_UNITS = ["a", "b", "Z", "/", ".", "-", "_", "1", " ", "\u0000", "\u00e9", "\uFF0E", "\u4e2d", "\u{1F600}"];

export function schemaArb(schema: unknown): fc.Arbitrary<unknown> {
  return toArb(schema, schema, 0);
}

function toArb(schema: unknown, root: unknown, depth: number): fc.Arbitrary<unknown> {
  if (schema === true || schema === undefined) return anyJson(depth);
  if (schema === false || typeof schema !== "object" || schema === null) return fc.constant(null);
  const s = schema as Schema;
  if (depth > MAX_DEPTH) return fc.constant(null);
  if (typeof s.$ref === "string") return toArb(resolveRef(root, s.$ref), root, depth + 1);
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined) as unknown[] | undefined;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map((a) => toArb(a, root, depth + 1)));
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return toArb(mergeAll(s, root), root, depth + 1);
  let type = s.type;
  if (Array.isArray(type)) {
    const types = type.filter((t): t is string => typeof t === "string");
    if (types.length === 0) return anyJson(depth);
    return fc.oneof(...types.map((t) => typed(t, s, root, depth)));
  }
  if (typeof type !== "string") type = s.properties ? "object" : s.items ? "array" : undefined;
  return typeof type === "string" ? typed(type, s, root, depth) : anyJson(depth);
}

function typed(type: string, s: Schema, root: unknown, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      return stringArb(s);
    case "integer": {
      const [min, max] = integerRange(s);
      return fc.integer({ min, max });
    }
    case "number": {
      const r = numberRange(s);
      const doubles = fc.double({ ...r, noNaN: true, noDefaultInfinity: true });
      const whole = wholeIn(r);
      return whole ? fc.oneof(fc.integer(whole), doubles) : doubles;
    }
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const items = Array.isArray(s.items) ? fc.oneof(...(s.items as unknown[]).map((i) => toArb(i, root, depth + 1))) : toArb(s.items, root, depth + 1);
      const minLength = num(s.minItems) ?? 0;
      return fc.array(items, { minLength, maxLength: Math.max(minLength, Math.min(num(s.maxItems) ?? 4, 8)) });
    }
    case "object":
      return objectArb(s, root, depth);
    default:
      return anyJson(depth);
  }
}

function objectArb(s: Schema, root: unknown, depth: number): fc.Arbitrary<unknown> {
  const props = (s.properties && typeof s.properties === "object" ? s.properties : {}) as Record<string, unknown>;
  const required = Array.isArray(s.required) ? (s.required as unknown[]).filter((k): k is string => typeof k === "string") : [];
  // No prototype: a property named __proto__ or toString is a key like any other.
  const model = Object.create(null) as Record<string, fc.Arbitrary<unknown>>;
  for (const [k, v] of Object.entries(props)) model[k] = toArb(v, root, depth + 1);
  // A required key the schema gives no subschema for may hold anything.
  for (const k of required) if (!Object.hasOwn(model, k)) model[k] = anyJson(depth + 1);
  return fc.record(model, { requiredKeys: [...new Set(required)] });
}

/** Generated strings stay this short unless the schema asks for longer ones. */
const LONGEST_STRING = 64;

function stringArb(s: Schema): fc.Arbitrary<string> {
  const minLength = num(s.minLength) ?? 0;
  const maxLength = Math.max(minLength, num(s.maxLength) ?? 24);
  const lengths = { minLength, maxLength: Math.max(minLength, Math.min(maxLength, LONGEST_STRING)) };
  if (typeof s.pattern === "string") {
    // Held to maxLength only: filtering for minLength could wait forever on a pattern that
    // cannot be that long. A pattern JavaScript cannot read falls through: plain strings of
    // the allowed lengths come near enough.
    const matching = matchingStrings(s.pattern, lengths.maxLength);
    if (matching) return matching;
  }
  return fc.oneof(fc.string({ ...lengths, unit: fc.constantFrom(...STRING_UNITS) }), fc.string(lengths));
}


const SPAN = 1_000_000;

interface Bound {
  value: number;
  exclusive: boolean;
}

/**
 * One side of the schema's range: `minimum`/`maximum`, with `exclusiveMinimum`/`exclusiveMaximum`
 * either as a number of its own (draft 6 on; the tighter of the two wins) or as a flag (draft 4).
 */
function bound(s: Schema, side: "min" | "max"): Bound | undefined {
  const inclusive = num(s[side === "min" ? "minimum" : "maximum"]);
  const ex = s[side === "min" ? "exclusiveMinimum" : "exclusiveMaximum"];
  if (ex === true && inclusive !== undefined) return { value: inclusive, exclusive: true };
  const exclusive = num(ex);
  if (exclusive === undefined) return inclusive === undefined ? undefined : { value: inclusive, exclusive: false };
  if (inclusive === undefined) return { value: exclusive, exclusive: true };
  const tighter = side === "min" ? exclusive >= inclusive : exclusive <= inclusive;
  return tighter ? { value: exclusive, exclusive: true } : { value: inclusive, exclusive: false };
}

/** The schema's range for numbers, filled in around what it gives, kept to safe integers. */
function numberRange(s: Schema): { min: number; max: number; minExcluded: boolean; maxExcluded: boolean } {
  const lo = bound(s, "min");
  const hi = bound(s, "max");
  let min = lo?.value ?? (hi === undefined ? -SPAN : hi.value - SPAN);
  let max = hi?.value ?? min + 2 * SPAN;
  min = Math.max(min, Number.MIN_SAFE_INTEGER);
  max = Math.min(max, Number.MAX_SAFE_INTEGER);
  // A range with nothing in it (a schema no value meets): its upper end, so generation goes on.
  if (min > max || (min === max && (lo?.exclusive || hi?.exclusive))) return { min: max, max, minExcluded: false, maxExcluded: false };
  return { min, max, minExcluded: lo?.exclusive === true, maxExcluded: hi?.exclusive === true };
}

/** The whole numbers of a number range, if it holds any. */
function wholeIn(r: ReturnType<typeof numberRange>): { min: number; max: number } | undefined {
  const min = r.minExcluded && Number.isInteger(r.min) ? r.min + 1 : Math.ceil(r.min);
  const max = r.maxExcluded && Number.isInteger(r.max) ? r.max - 1 : Math.floor(r.max);
  return min <= max ? { min, max } : undefined;
}

function integerRange(s: Schema): [number, number] {
  const whole = wholeIn(numberRange(s));
  if (whole) return [whole.min, whole.max];
  const end = Math.floor(numberRange(s).max);
  return [end, end];
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return true;
  let node: unknown = root;
  for (const raw of ref.slice(1).split("/").filter((p) => p !== "")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object") return true;
    node = (node as Record<string, unknown>)[key];
  }
  return node ?? true;
}

/**
 * allOf as one schema, the schema's own keywords included: properties merged (a key's
 * subschemas joined by allOf), required lists joined, the tightest bounds kept, any other
 * keyword taken from the first part that has it.
 */
function mergeAll(s: Schema, root: unknown): Schema {
  const { allOf, ...own } = s;
  const out: Schema = {};
  const props: Record<string, unknown[]> = Object.create(null) as Record<string, unknown[]>;
  const required: unknown[] = [];
  const tightest: Record<string, (a: number, b: number) => number> = {
    minimum: Math.max, exclusiveMinimum: Math.max, minLength: Math.max, minItems: Math.max,
    maximum: Math.min, exclusiveMaximum: Math.min, maxLength: Math.min, maxItems: Math.min,
  };
  const parts = [own, ...(allOf as unknown[])];
  for (let i = 0; i < parts.length; i++) {
    const raw = parts[i];
    const part = (raw && typeof raw === "object" ? raw : {}) as Schema;
    const p = typeof part.$ref === "string" ? (resolveRef(root, part.$ref) as Schema) : part;
    if (Array.isArray(p.allOf) && i > 0) parts.push(...(p.allOf as unknown[]));
    for (const [key, value] of Object.entries(p)) {
      if (key === "properties" && value && typeof value === "object") {
        for (const [k, v] of Object.entries(value as Schema)) (props[k] ??= []).push(v);
      } else if (key === "required" && Array.isArray(value)) required.push(...(value as unknown[]));
      else if (Object.hasOwn(tightest, key) && typeof value === "number" && typeof out[key] === "number") {
        out[key] = tightest[key]!(out[key], value);
      } else if (key !== "allOf" && key !== "$ref" && !(key in out)) out[key] = value;
    }
  }
  const merged = Object.entries(props).map(([k, vs]) => [k, vs.length === 1 ? vs[0] : { allOf: vs }] as const);
  if (merged.length > 0) out.properties = Object.fromEntries(merged);
  if (required.length > 0) out.required = required;
  return out;
}

function anyJson(depth: number): fc.Arbitrary<unknown> {
  return depth >= MAX_DEPTH ? fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null)) : fc.jsonValue({ maxDepth: 1 });
}
