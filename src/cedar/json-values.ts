/**
 * JSON arguments and claims as Cedar values, for the profiles that type them the way the Rust
 * engine and the MCP schema generator do (AgentCore, Docker): strings, booleans, Sets, records;
 * a number is a Long where the input schema says `integer` (or, without a schema, where it is
 * whole), a decimal (4 places, rounded) where the schema says `number` or it has a fraction.
 * Cedar has no null: a null value leaves no key.
 */
import type { CedarValueJson } from "./wasm.js";

/** Cedar's decimal range, ±922337203685477.5807. */
const DECIMAL_LIMIT = 922337203685477;

export function typedValue(value: unknown, schema: unknown): CedarValueJson | undefined {
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    const type = schemaType(schema);
    if (type === "integer" || (type !== "number" && Number.isInteger(value))) {
      return Number.isSafeInteger(value) ? value : undefined;
    }
    return decimal(value);
  }
  if (Array.isArray(value)) {
    const items = field(schema, "items");
    return value.map((v) => typedValue(v, items)).filter((v): v is CedarValueJson => v !== undefined);
  }
  if (value !== null && typeof value === "object") return typedRecord(value as Record<string, unknown>, schema);
  return undefined;
}

export function typedRecord(value: Record<string, unknown>, schema: unknown): Record<string, CedarValueJson> {
  const properties = field(schema, "properties");
  const out: Record<string, CedarValueJson> = {};
  for (const [k, v] of Object.entries(value)) {
    const typed = typedValue(v, field(properties, k));
    if (typed !== undefined) out[k] = typed;
  }
  return out;
}

export function decimal(x: number): CedarValueJson | undefined {
  if (!Number.isFinite(x) || Math.abs(x) > DECIMAL_LIMIT) return undefined;
  const text = x.toFixed(4);
  return { __extn: { fn: "decimal", arg: text === "-0.0000" ? "0.0000" : text } };
}

function schemaType(schema: unknown): string | undefined {
  const type = field(schema, "type");
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === "string" && t !== "null");
  return undefined;
}

/** A key of a JSON object; undefined for anything else. */
export function field(object: unknown, key: string): unknown {
  return object !== null && typeof object === "object" && !Array.isArray(object)
    ? (object as Record<string, unknown>)[key]
    : undefined;
}
