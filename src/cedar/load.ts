/**
 * loadCedar: a policy text under a profile becomes an engine, or diagnostics at file:line:col.
 */
import type { Diagnostic } from "../errors.js";
import type { CedarProfile, LoadedCedar, ProfileSettings } from "./types.js";
import { Engine, type Profile } from "./engine.js";
import { parsePolicySet, placerFor, type Placer } from "./policies.js";
import { toolhiveProfile } from "./toolhive.js";
import { agentcoreProfile } from "./agentcore.js";
import { dockerProfile } from "./docker.js";
import { cedarForAgentsProfile } from "./cedar-for-agents.js";
import { cedar, type EntityJson } from "./wasm.js";

let nextSetId = 0;

export function loadCedar(text: string, file: string, profile: CedarProfile, settings: ProfileSettings): LoadedCedar {
  return loadPolicyText(text, file, profile, settings, placerFor(text));
}

/** The loader with a placer of its own, for policies read out of another file (a ToolHive config). */
export function loadPolicyText(
  text: string,
  file: string,
  profile: CedarProfile,
  settings: ProfileSettings,
  place: Placer,
): LoadedCedar {
  const { policies, diagnostics } = parsePolicySet(text, file, place);
  const built = profileFor(profile, settings, file);
  diagnostics.push(...built.diagnostics);
  if (profile === "toolhive" && policies.length === 0 && diagnostics.length === 0) {
    // NewCedarAuthorizer: ErrNoPolicies; ToolHive will not start on an empty set.
    diagnostics.push({ file, line: 1, col: 1, severity: "error", message: "no policies: ToolHive refuses to start without at least one policy" });
  }
  if (settings.entities && settings.entities.length > 0) {
    const checked = cedar().checkParseEntities({ entities: settings.entities as EntityJson[] });
    if (checked.type === "failure") {
      // Bad extra entities would fail every request: say so once, here.
      diagnostics.push({ file, line: 1, col: 1, severity: "error", message: `the extra entities do not parse: ${checked.errors[0]?.message}` });
    }
  }
  if (diagnostics.some((d) => d.severity === "error") || !built.profile) return { engine: null, diagnostics };
  const setId = `mcptape-${process.pid}-${nextSetId++}`;
  const parsed = cedar().preparsePolicySet(setId, { staticPolicies: text });
  if (parsed.type === "failure") throw new Error(`cedar-wasm refused a policy set it had parsed: ${parsed.errors[0]?.message}`);
  return { engine: new Engine(built.profile, policies, setId, (settings.entities ?? []) as EntityJson[], { text, file, place, settings }), diagnostics };
}

function profileFor(
  profile: CedarProfile,
  settings: ProfileSettings,
  file: string,
): { profile: Profile | null; diagnostics: Diagnostic[] } {
  switch (profile) {
    case "toolhive":
      return { profile: toolhiveProfile(settings), diagnostics: [] };
    case "agentcore":
      return { profile: agentcoreProfile(settings), diagnostics: [] };
    case "docker":
      return { profile: dockerProfile(settings), diagnostics: [] };
    case "cedar-for-agents":
      return cedarForAgentsProfile(settings, file);
  }
}
