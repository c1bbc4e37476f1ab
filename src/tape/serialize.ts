/**
 * One tape line as JSON text, keys in KEY_ORDER so tapes diff cleanly in git.
 * Undefined fields are left out. Keys not in KEY_ORDER go last, in the order given, so a line
 * read from a newer tape writes back unchanged. Payloads (`msg`, `args`, `redaction`) are
 * written as given: their key order is the sender's, not ours.
 */
import { KEY_ORDER, NESTED_KEY_ORDER, type TapeLine } from "./schema.js";

type Fields = Record<string, unknown>;

/**
 * `line` as one line of JSON text, without the newline.
 * `rawMsg`, when given, is spliced in verbatim as the value of `msg` (it must be valid JSON
 * without line breaks; the writer checks).
 */
export function serializeLine(line: TapeLine | Fields, rawMsg?: string): string {
  const fields = line as Fields;
  const order = KEY_ORDER[fields.kind as TapeLine["kind"]];
  let out = "{";
  const put = (key: string, json: string | undefined): void => {
    if (json === undefined) return;
    if (out.length > 1) out += ",";
    out += JSON.stringify(key) + ":" + json;
  };
  for (const key of order) {
    if (key === "msg" && rawMsg !== undefined) put(key, rawMsg);
    else put(key, valueJson(key, fields[key]));
  }
  for (const key of Object.keys(fields)) {
    if (!order.includes(key)) put(key, JSON.stringify(fields[key]));
  }
  return out + "}";
}

function valueJson(key: string, value: unknown): string | undefined {
  const nested = NESTED_KEY_ORDER[key];
  if (nested && typeof value === "object" && value !== null && !Array.isArray(value)) {
    return objectJson(value as Fields, nested);
  }
  return JSON.stringify(value);
}

/** Like JSON.stringify(value), with the known keys first. */
function objectJson(value: Fields, known: readonly string[]): string {
  const keys = known.filter((k) => Object.hasOwn(value, k));
  for (const k of Object.keys(value)) if (!known.includes(k)) keys.push(k);
  const parts: string[] = [];
  for (const k of keys) {
    const json = JSON.stringify(value[k]);
    if (json !== undefined) parts.push(JSON.stringify(k) + ":" + json);
  }
  return "{" + parts.join(",") + "}";
}
