/**
 * Reads a Cedar policy set with the official parser: parse errors at file:line:col, each
 * policy's name (`@id`, else `policy<N>` by file position, as Cedar and ToolHive number them)
 * and annotations.
 */
import type { Diagnostic } from "../errors.js";
import type { ProfileSettings } from "./types.js";
import { cedar, type DetailedError, type PolicyJson } from "./wasm.js";

export interface ParsedPolicy {
  /** Cedar's own id for it (`policy<N>`, 0-based in file order). */
  id: string;
  /** What mcptape calls it: `@id("...")` when given, else the id. */
  name: string;
  effect: "permit" | "forbid";
  annotations: Record<string, string>;
  /** Cedar's JSON form of it, for checks that walk the policy (validate's profile warnings). */
  json: PolicyJson;
  /** Its own text, and the UTF-8 byte offset where that text starts in the policy set. */
  text: string;
  start: number;
}

export interface ParsedPolicySet {
  policies: ParsedPolicy[];
  diagnostics: Diagnostic[];
}

/** Where a byte offset of the policy text is in the file: lines and columns count from 1. */
export type Placer = (byteOffset: number) => { line: number; col: number };

/** Where a loaded policy set came from: what validate's checks place their findings with. */
export interface CedarSource {
  /** The policy set as Cedar text (a ToolHive config's policies joined one a line). */
  text: string;
  file: string;
  place: Placer;
  settings: ProfileSettings;
}

export function parsePolicySet(text: string, file: string, place: Placer = placerFor(text)): ParsedPolicySet {
  const wasm = cedar();
  const parts = wasm.policySetTextToParts(text);
  if (parts.type === "failure") {
    return { policies: [], diagnostics: parts.errors.map((e) => toDiagnostic(e, file, place)) };
  }
  const diagnostics: Diagnostic[] = [];
  if (parts.policy_templates.length > 0) {
    diagnostics.push({
      file, line: 1, col: 1, severity: "error",
      message: "the policy set holds templates (policies with ?principal or ?resource slots); no MCP gateway links them: write static policies",
    });
  }
  // The parts come back ordered by Cedar's id as text (policy0, policy1, policy10, policy11, ...,
  // policy2): a BTreeMap. Zip them with the ids in that same order to give each its file position.
  const ids = parts.policies.map((_, i) => `policy${i}`).sort();
  const byId = new Map<string, ParsedPolicy>();
  parts.policies.forEach((policyText, k) => {
    const id = ids[k]!;
    const json = wasm.policyToJson(policyText);
    if (json.type === "failure") throw new Error(`cedar-wasm could not re-read ${id}: ${json.errors[0]?.message}`);
    const annotations = { ...(json.json.annotations ?? {}) } as Record<string, string>;
    byId.set(id, { id, name: annotations.id ?? id, effect: json.json.effect, annotations, json: json.json, text: policyText, start: 0 });
  });
  const policies = parts.policies.map((_, i) => byId.get(`policy${i}`)!);
  // Each part is the policy's own source text: found in file order, it gives the policy's place.
  let cursor = 0;
  for (const policy of policies) {
    const at = text.indexOf(policy.text, cursor);
    if (at < 0) continue;
    policy.start = Buffer.byteLength(text.slice(0, at), "utf8");
    cursor = at + policy.text.length;
  }
  diagnostics.push(...nameSharedIds(policies, file, place));
  return { policies, diagnostics };
}

/**
 * Policies that share a name (`@id("a")` twice, or an `@id` that is another's `policy<N>`) are
 * each named `<name> (policy<N>)`: under one name a report could not tell which decided, and
 * coverage would count a policy that never fired as covered by its twin. Cedar accepts the
 * duplicate, so it is a warning.
 */
function nameSharedIds(policies: ParsedPolicy[], file: string, place: Placer): Diagnostic[] {
  const byName = new Map<string, ParsedPolicy[]>();
  for (const p of policies) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const diagnostics: Diagnostic[] = [];
  for (const [name, shared] of byName) {
    if (shared.length < 2) continue;
    for (const p of shared) p.name = `${name} (${p.id})`;
    for (const p of shared.slice(1)) {
      const first = place(shared[0]!.start);
      diagnostics.push({
        file, ...place(p.start), severity: "warning",
        message: `policy ${p.id} is named ${JSON.stringify(name)} like the policy at ${first.line}:${first.col}; reports call them ${shared.map((s) => JSON.stringify(s.name)).join(" and ")}: give each policy its own @id`,
      });
    }
  }
  return diagnostics;
}

function toDiagnostic(error: DetailedError, file: string, place: Placer): Diagnostic {
  const at = error.sourceLocations?.[0];
  const { line, col } = at ? place(at.start) : { line: 1, col: 1 };
  const label = at?.label ? ` (${at.label})` : "";
  const help = error.help ? `; ${error.help}` : "";
  return { file, line, col, severity: "error", message: `${error.message}${label}${help}` };
}

/** Cedar reports UTF-8 byte offsets; a column counts characters. */
export function placerFor(text: string): Placer {
  const bytes = Buffer.from(text, "utf8");
  return (offset) => {
    const before = bytes.subarray(0, Math.min(offset, bytes.length)).toString("utf8");
    const lines = before.split("\n");
    return { line: lines.length, col: [...lines[lines.length - 1]!].length + 1 };
  };
}
