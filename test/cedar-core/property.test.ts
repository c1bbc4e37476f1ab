/**
 * For generated calls, the request a profile builds, handed to cedar-wasm's stateless
 * isAuthorized directly, gets the decision the engine gives (through its preparsed set and its
 * cache), once the profile's error rule is applied.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CedarProfile } from "../../src/cedar/index.js";
import type { Profile } from "../../src/cedar/engine.js";
import { toolhiveProfile } from "../../src/cedar/toolhive.js";
import { agentcoreProfile } from "../../src/cedar/agentcore.js";
import { dockerProfile } from "../../src/cedar/docker.js";
import { cedarForAgentsProfile } from "../../src/cedar/cedar-for-agents.js";
import { cedar } from "../../src/cedar/wasm.js";
import { callOf, engineFor } from "./helpers.js";

const POLICIES: Record<CedarProfile, string> = {
  toolhive: `
    permit(principal, action == Action::"call_tool", resource) when { context has arg_a && context.arg_a == "x" };
    permit(principal in THVGroup::"eng", action, resource == Tool::"deploy");
    permit(principal, action, resource) when { context has arg_n && context.arg_n > decimal("1.5") };
    forbid(principal, action, resource) when { resource has destructiveHint && resource.destructiveHint };
    permit(principal, action, resource) when { context.arg_b };`,
  agentcore: `
    permit(principal, action in AgentCore::Action::"CallTool", resource) when { context.input has a && context.input.a == "x" };
    permit(principal, action, resource) when { principal.hasTag("role") && principal.getTag("role") == "admin" };
    forbid(principal, action, resource) when { context.input has n && context.input.n > 3 };
    permit(principal, action, resource) when { context.input.b };`,
  docker: `
    @requireApproval("destructive")
    permit(principal, action, resource) when { resource.destructive };
    permit(principal, action, resource) when { context has args && context.args has a && context.args.a == "x" };
    forbid(principal, action, resource == MCP::Tool::"deploy") when { context.oauth_scopes.contains("ro") };
    permit(principal, action, resource) when { context.args.b };`,
  "cedar-for-agents": `
    permit(principal == N::User::"alice", action, resource) when { context.input has a && context.input.a == "x" };
    forbid(principal, action == N::Action::"rm", resource) when { context.input has n && context.input.n == N::Number::"1" };
    permit(principal, action, resource) when { context.input.b };`,
};
const STUB = `namespace N { @mcp_principal entity User; @mcp_resource entity Server; }`;
/** Every argument the generated calls use, so the generator's validation refuses only mistyped ones. */
const SCHEMA = { type: "object", properties: { a: { type: "string" }, b: { type: "boolean" }, n: { type: "number" }, z: {} } };
const SETTINGS = { server: "s", target: "T", stub: STUB };
const PROFILES: Record<CedarProfile, Profile> = {
  toolhive: toolhiveProfile(SETTINGS),
  agentcore: agentcoreProfile(SETTINGS),
  docker: dockerProfile(SETTINGS),
  "cedar-for-agents": cedarForAgentsProfile(SETTINGS, "stub").profile!,
};

const value = fc.oneof(
  fc.string({ maxLength: 3 }), fc.constant("x"), fc.boolean(), fc.integer({ min: -5, max: 5 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }), fc.constant(null),
  fc.array(fc.string({ maxLength: 2 }), { maxLength: 2 }), fc.constant({ k: 1 }),
);
const callArb = fc.record({
  tool: fc.constantFrom("deploy", "read", "rm"),
  args: fc.option(fc.dictionary(fc.constantFrom("a", "b", "n", "z"), value, { maxKeys: 4 }), { nil: undefined }),
  claims: fc.option(fc.record({
    sub: fc.constantFrom("alice", "bob", ""),
    groups: fc.constantFrom(["eng"], [], "eng"),
    role: fc.constantFrom("admin", "user"),
    scope: fc.constantFrom("ro", "rw ro", "rw"),
  }, { requiredKeys: ["sub"] }), { nil: undefined }),
  destructive: fc.option(fc.boolean(), { nil: undefined }),
});

describe.each(Object.keys(POLICIES) as CedarProfile[])("%s: the engine decides as cedar-wasm does on the built request", (profile) => {
  it("for generated calls", () => {
    const engine = engineFor(POLICIES[profile], profile, SETTINGS);
    fc.assert(fc.property(callArb, (shape) => {
      const annotations = shape.destructive === undefined ? {} : { annotations: { destructiveHint: shape.destructive } };
      const tools = [{ name: shape.tool, inputSchema: SCHEMA, ...annotations }];
      const call = callOf({ ...shape, tools });
      const outcome = engine.decide(call);
      const built = PROFILES[profile].build(call);
      if ("refused" in built) {
        expect(outcome).toMatchObject({ decision: "deny", rule: built.refused });
        return;
      }
      if ("unbuilt" in built) {
        expect(outcome).toMatchObject({ decision: "undecided", message: built.unbuilt });
        return;
      }
      if (built.undecidable !== undefined) {
        expect(outcome).toMatchObject({ decision: "undecided", message: built.undecidable });
        return;
      }
      const direct = cedar().isAuthorized({ ...built.request, policies: { staticPolicies: POLICIES[profile] } });
      if (direct.type !== "success") throw new Error(direct.errors[0]?.message);
      const { decision, diagnostics } = direct.response;
      const errored = diagnostics.errors.length > 0;
      expect(outcome.errors.length).toBe(diagnostics.errors.length);
      if (errored && PROFILES[profile].errorsDeny) {
        expect(outcome.decision).toBe("deny");
        expect(outcome.rule).toBe("(evaluation error)");
        return;
      }
      expect(outcome.decision === "deny" ? "deny" : "allow").toBe(decision);
      expect(outcome.rule ?? "").toBe(diagnostics.reason.length === 0 ? "(no permit)" : [...diagnostics.reason].sort(byIndex).join(", "));
    }), { numRuns: profile === "cedar-for-agents" ? 100 : 300 });
  });
});

function byIndex(a: string, b: string): number {
  return Number(a.slice("policy".length)) - Number(b.slice("policy".length));
}
