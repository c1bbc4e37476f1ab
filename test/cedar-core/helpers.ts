import { loadCedar, type CedarCall, type CedarEngine, type CedarOutcome, type CedarProfile, type ProfileSettings, type ToolDescription } from "../../src/cedar/index.js";

export function engineFor(text: string, profile: CedarProfile, settings: ProfileSettings = {}): CedarEngine {
  const loaded = loadCedar(text, "test.cedar", profile, settings);
  if (!loaded.engine) throw new Error(`policy did not load: ${loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join("; ")}`);
  return loaded.engine;
}

export interface CallShape {
  tool: string;
  args?: unknown;
  claims?: Record<string, unknown>;
  identity?: string;
  tools?: ToolDescription[];
  t?: number;
}

export function callOf(shape: CallShape): CedarCall {
  return {
    tool: shape.tool,
    args: shape.args,
    claims: shape.claims,
    identity: shape.identity,
    tools: new Map((shape.tools ?? []).map((t) => [t.name, t])),
    t: shape.t ?? Date.parse("2026-01-01T00:00:00Z"),
  };
}

export function decide(text: string, profile: CedarProfile, shape: CallShape, settings: ProfileSettings = {}): CedarOutcome {
  return engineFor(text, profile, settings).decide(callOf(shape));
}

/** ToolHive's config takes a list of policies, each one named policy<i> by its index. */
export function toolhive(policies: string[], shape: CallShape, settings: ProfileSettings = {}): CedarOutcome {
  return decide(policies.join("\n"), "toolhive", shape, settings);
}
