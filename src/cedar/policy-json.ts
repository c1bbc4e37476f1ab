/**
 * Each policy of a Cedar text in Cedar's own JSON form (cedar-wasm's policyToJson), for what
 * reads a policy's conditions without deciding (fuzzing takes the constants it compares with).
 */
import { cedar } from "./wasm.js";

/** The policies' JSON (effect, scope, conditions), or [] when the text does not parse. */
export function policiesAsJson(text: string): unknown[] {
  const wasm = cedar();
  const parts = wasm.policySetTextToParts(text);
  if (parts.type === "failure") return [];
  return parts.policies.flatMap((p) => {
    const json = wasm.policyToJson(p);
    return json.type === "success" ? [json.json as unknown] : [];
  });
}
