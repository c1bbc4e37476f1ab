import { createCounterStore } from "../../src/engine/counters.js";
import { decide } from "../../src/engine/decide.js";
import type { Call, Decision } from "../../src/engine/types.js";
import type { Diagnostic } from "../../src/errors.js";
import { loadPolicyText, type ModelLoad } from "../../src/policy/load.js";
import type { Policy } from "../../src/policy/model.js";

export function loadJson(doc: unknown): ModelLoad {
  return loadPolicyText(typeof doc === "string" ? doc : JSON.stringify(doc, null, 2), "p.json", "policylayer");
}

/** A valid policy, or the test fails with its diagnostics. */
export function policyOf(doc: unknown): Policy {
  const loaded = loadJson(doc);
  if (!loaded.policy) throw new Error(`policy has errors:\n${loaded.diagnostics.map(show).join("\n")}`);
  return loaded.policy;
}

export function show(d: Diagnostic): string {
  return `${d.line}:${d.col} ${d.severity} ${d.message}`;
}

export function diags(text: string): string[] {
  return loadJson(text).diagnostics.map(show);
}

export const NOW = Date.parse("2026-03-04T10:31:00Z");

export function call(tool: string, args: unknown = {}, identity: string | undefined = "alice", session = "s1"): Call {
  return identity === undefined ? { tool, args, session } : { tool, args, session, identity };
}

/** Decides the calls in order against one counter store, all at `now` unless a call says otherwise. */
export function run(policy: Policy, calls: (Call & { at?: number })[], store = createCounterStore()): Decision[] {
  return calls.map((c) => decide(policy, c, store, c.at ?? NOW));
}
