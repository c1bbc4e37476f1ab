/**
 * Arguments from a tool's `inputSchema` (JSON Schema as MCP servers publish it): the keywords
 * tools use (type, properties, required, enum, const, minimum/maximum, minLength/maxLength,
 * pattern, items, anyOf/oneOf, allOf, local $ref). Our own small bridge: no maintained package
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
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return toArb(mergeAll(s.allOf as unknown[], root), root, depth + 1);
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
      const [min, max] = range(s, true);
      return fc.integer({ min, max });
    }
    case "number": {
      const [min, max] = range(s, false);
      const doubles = fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
      return Math.ceil(min) <= Math.floor(max) ? fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), doubles) : doubles;
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
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(props)) model[k] = toArb(v, root, depth + 1);
  return fc.record(model, { requiredKeys: required.filter((k) => k in model) });
}

function stringArb(s: Schema): fc.Arbitrary<string> {
  const minLength = num(s.minLength) ?? 0;
  const maxLength = Math.max(minLength, num(s.maxLength) ?? 24);
  if (typeof s.pattern === "string") {
    const matching = matchingStrings(s.pattern);
    // Not feasible in JavaScript: plain strings of the allowed lengths come near enough.
    if (matching) return matching;
  }
  const lengths = { minLength, maxLength: Math.min(maxLength, 64) };
  return fc.oneof(fc.string({ ...lengths, unit: fc.constantFrom(...STRING_UNITS) }), fc.string(lengths));
}

const SPAN = 1_000_000;

/** The schema's range, filled in around what it gives, kept to safe integers. */
function range(s: Schema, integer: boolean): [number, number] {
  let min = bound(s, "min", integer);
  let max = bound(s, "max", integer);
  if (min === undefined) min = max === undefined ? -SPAN : max - SPAN;
  if (max === undefined) max = min + 2 * SPAN;
  min = Math.max(min, Number.MIN_SAFE_INTEGER);
  max = Math.min(max, Number.MAX_SAFE_INTEGER);
  if (integer && Math.ceil(min) > Math.floor(max)) return [Math.floor(max), Math.floor(max)];
  return min <= max ? [min, max] : [max, max];
}

function bound(s: Schema, side: "min" | "max", integer: boolean): number | undefined {
  const key = side === "min" ? "minimum" : "maximum";
  const exclusiveKey = side === "min" ? "exclusiveMinimum" : "exclusiveMaximum";
  const step = integer ? 1 : Number.EPSILON;
  let v = num(s[key]);
  const ex = s[exclusiveKey];
  if (typeof ex === "number") v = side === "min" ? ex + step : ex - step;
  else if (ex === true && v !== undefined) v = side === "min" ? v + step : v - step;
  if (v === undefined) return undefined;
  return integer ? (side === "min" ? Math.ceil(v) : Math.floor(v)) : v;
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

/** allOf as one schema: properties and required merged, the first type kept. */
function mergeAll(parts: unknown[], root: unknown): Schema {
  const out: Schema = { properties: {}, required: [] };
  for (const part of parts) {
    const p = (part && typeof part === "object" ? part : {}) as Schema;
    const resolved = typeof p.$ref === "string" ? (resolveRef(root, p.$ref) as Schema) : p;
    Object.assign(out.properties as Schema, resolved.properties ?? {});
    (out.required as unknown[]).push(...((resolved.required as unknown[]) ?? []));
    if (out.type === undefined && resolved.type !== undefined) out.type = resolved.type;
  }
  return out;
}

function anyJson(depth: number): fc.Arbitrary<unknown> {
  return depth >= MAX_DEPTH ? fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null)) : fc.jsonValue({ maxDepth: 1 });
}
