/**
 * AgentCore Policy, from AWS's documentation (no source is public):
 * docs.aws.amazon.com/bedrock-agentcore/latest/devguide/policy-authorization-flow.html (the
 * refund request: JWT claims as tags, `RefundTool___process_refund`, context.input),
 * policy-schema-constraints.html (CallTool → Mcp, integer → Long, number → Decimal) and the
 * starter toolkit's policy-integration example (refunds under 500 for the refund agent),
 * policy-scope.html ("IAM Entity Principal": with AWS_IAM authorization the principal is an
 * AgentCore::IamEntity whose `id` attribute is the caller's IAM ARN, matched with `like`).
 */
import { describe, expect, it } from "vitest";
import { AGENTCORE_DENY_MESSAGE } from "../../src/cedar/index.js";
import { decide } from "./helpers.js";

const GATEWAY = "arn:aws:bedrock-agentcore:us-west-2:123456789012:gateway/refund-gateway";
const CLAIMS = {
  sub: "12345678-1234-1234-1234-123456789012",
  iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Vg2efaoGO",
  username: "refund-agent",
  scope: "aws.cognito.signin.user.admin refund:write",
  role: "admin",
  department: "finance",
};
const REFUND_TOOL = {
  name: "RefundTool___process_refund",
  inputSchema: { type: "object", properties: { orderId: { type: "string" }, amount: { type: "integer" }, reason: { type: "string" } } },
};
const REFUND_POLICY = `@id("small refunds by the refund agent")
permit(
  principal is AgentCore::OAuthUser,
  action == AgentCore::Action::"RefundTool___process_refund",
  resource == AgentCore::Gateway::"${GATEWAY}"
) when {
  principal.hasTag("username") && principal.getTag("username") == "refund-agent" && context.input.amount < 500
};`;
const refund = (amount: number, claims: Record<string, unknown> = CLAIMS) =>
  decide(REFUND_POLICY, "agentcore", {
    tool: "RefundTool___process_refund",
    args: { orderId: "12345", amount, reason: "Defective product" },
    claims,
    tools: [REFUND_TOOL],
  }, { gatewayArn: GATEWAY });

describe("AgentCore: the documented refund request", () => {
  it("permits the refund agent's refund of 450", () => {
    expect(refund(450)).toEqual({ decision: "allow", rule: "small refunds by the refund agent", message: null, errors: [] });
  });

  it("denies a refund of 600 with AgentCore's denial text", () => {
    expect(refund(600)).toEqual({ decision: "deny", rule: "(no permit)", message: AGENTCORE_DENY_MESSAGE, errors: [] });
  });

  it("denies another user: the claims are tags, not attributes", () => {
    expect(refund(450, { ...CLAIMS, username: "someone-else" }).decision).toBe("deny");
    const byAttribute = `permit(principal, action, resource) when { principal has username };`;
    expect(decide(byAttribute, "agentcore", { tool: "RefundTool___process_refund", claims: CLAIMS }).decision).toBe("deny");
    const byId = `permit(principal, action, resource) when { principal.id == "${CLAIMS.sub}" && principal.getTag("scope") like "*refund:write*" };`;
    expect(decide(byId, "agentcore", { tool: "RefundTool___process_refund", claims: CLAIMS }).decision).toBe("allow");
  });
});

describe("AgentCore: actions, resource and context", () => {
  it("puts every tool action in CallTool, itself in Mcp", () => {
    const p = `permit(principal, action in AgentCore::Action::"Mcp", resource) when { action in AgentCore::Action::"CallTool" };`;
    expect(decide(p, "agentcore", { tool: "T___x", claims: { sub: "u" } }).decision).toBe("allow");
  });

  it("puts a tool's action in its gateway target's action group (policy-scope.html, 'Multiple actions': action in AgentCore::Action::\"ReadToolsTarget\")", () => {
    const p = `permit(principal, action in AgentCore::Action::"ReadToolsTarget", resource is AgentCore::Gateway);`;
    expect(decide(p, "agentcore", { tool: "read_invoice", claims: { sub: "u" } }, { target: "ReadToolsTarget" }).decision).toBe("allow");
    expect(decide(p, "agentcore", { tool: "ReadToolsTarget___read_invoice", claims: { sub: "u" } }).decision).toBe("allow");
    // Another target's tool is not in the group.
    expect(decide(p, "agentcore", { tool: "WriteTools___delete_invoice", claims: { sub: "u" } }).decision).toBe("deny");
  });

  it("prefixes a bare tool name with the target; without one the call is undecided, as no gateway sends that action", () => {
    const p = `permit(principal, action == AgentCore::Action::"RefundTool___process_refund", resource);`;
    expect(decide(p, "agentcore", { tool: "process_refund", claims: { sub: "u" } }, { target: "RefundTool" }).decision).toBe("allow");
    const bare = decide(p, "agentcore", { tool: "process_refund", claims: { sub: "u" } });
    expect(bare.decision).toBe("undecided");
    expect(bare.message).toMatch(/cannot decide without --target/);
    // Even a permit on every action does not make it an allow: the request is not one AgentCore makes.
    expect(decide(`permit(principal, action, resource);`, "agentcore", { tool: "process_refund", claims: { sub: "u" } }).decision).toBe("undecided");
  });

  it("types numbers by the input schema: integer → Long, number → decimal", () => {
    const tools = [{ name: "T___pay", inputSchema: { type: "object", properties: { count: { type: "integer" }, price: { type: "number" } } } }];
    const p = `permit(principal, action, resource) when { context.input.count == 3 && context.input.price == decimal("3.0") };`;
    expect(decide(p, "agentcore", { tool: "T___pay", args: { count: 3, price: 3 }, claims: { sub: "u" }, tools }).decision).toBe("allow");
  });

  it("skips a policy that errors (Rust semantics): another permit still allows", () => {
    const ps = `permit(principal, action, resource) when { context.input.missing == 1 };\npermit(principal, action, resource);`;
    const out = decide(ps, "agentcore", { tool: "T___x", args: {}, claims: { sub: "u" } });
    expect(out.decision).toBe("allow");
    expect(out.rule).toBe("policy1");
    expect(out.errors).toHaveLength(1);
  });

  it("reports a skipped erroring permit that leaves nothing as (no permit)", () => {
    const out = decide(`permit(principal, action, resource) when { context.input.missing == 1 };`, "agentcore", { tool: "T___x", args: {}, claims: { sub: "u" } });
    expect(out).toMatchObject({ decision: "deny", rule: "(no permit)" });
    expect(out.errors).toHaveLength(1);
  });
});

describe("AgentCore: AWS_IAM callers (policy-scope.html, IAM Entity Principal)", () => {
  const ROLE = "arn:aws:sts::123456789012:assumed-role/refund-agent/session-1";
  const ACCOUNT = `@id("our account's roles")
permit(principal is AgentCore::IamEntity, action, resource) when { principal.id like "arn:aws:sts::123456789012:assumed-role/*" };`;
  const call = (identity: string | undefined, claims?: Record<string, unknown>) => ({ tool: "RefundTool___process_refund", identity, ...(claims ? { claims } : {}) });

  it("is an IamEntity whose id attribute is the caller's ARN: a like pattern on it scopes by account and role", () => {
    expect(decide(ACCOUNT, "agentcore", call(ROLE))).toMatchObject({ decision: "allow", rule: "our account's roles" });
    expect(decide(ACCOUNT, "agentcore", call("arn:aws:sts::999999999999:assumed-role/refund-agent/s")).decision).toBe("deny");
    expect(decide(`permit(principal == AgentCore::IamEntity::"${ROLE}", action, resource);`, "agentcore", call(ROLE)).decision).toBe("allow");
  });

  it("a caller with a token is an OAuthUser, never an IamEntity, and the other way round", () => {
    expect(decide(ACCOUNT, "agentcore", call(ROLE, { sub: "u" })).decision).toBe("deny");
    expect(decide(`permit(principal is AgentCore::OAuthUser, action, resource);`, "agentcore", call(ROLE)).decision).toBe("deny");
  });

  it("an identity that is no IAM ARN, without a token, has no principal: refused before Cedar", () => {
    for (const identity of ["refund-agent", "arn:aws:s3:::bucket", undefined]) {
      expect(decide(`permit(principal, action, resource);`, "agentcore", call(identity)).rule).toBe("(no principal)");
    }
  });
});
