/**
 * ToolHive's Cedar authorizer, pinned with the facts of its own tests:
 * stacklok/toolhive pkg/authz/authorizers/cedar/{core_test.go, entity_test.go, record_test.go}
 * at commit e25de16cf9720b13cf0b400c861a2f6840e2763c. Where ToolHive's tests feed Go ints that
 * never arrive from the wire, the JSON reading is pinned beside them.
 */
import { describe, expect, it } from "vitest";
import { toolhive } from "./helpers.js";

const CALL_WEATHER = `permit(principal, action == Action::"call_tool", resource == Tool::"weather") when { context.claim_name == "John Doe" };`;

describe("ToolHive: JWT claims in the context (core_test.go TestAuthorizeWithJWTClaims)", () => {
  it("permits the weather tool to the user whose name claim matches", () => {
    const out = toolhive([CALL_WEATHER], { tool: "weather", claims: { sub: "user123", name: "John Doe", roles: ["user", "reader"] } });
    expect(out).toEqual({ decision: "allow", rule: "policy0", message: null, errors: [] });
  });

  it("denies it with ToolHive's fixed text when the name differs", () => {
    const out = toolhive([CALL_WEATHER], { tool: "weather", claims: { sub: "user123", name: "Jane Smith" } });
    expect(out).toEqual({ decision: "deny", rule: "(no permit)", message: "Unauthorized", errors: [] });
  });

  it("lets an admin role claim call any tool", () => {
    const p = `permit(principal, action == Action::"call_tool", resource) when { context.claim_role == "admin" };`;
    expect(toolhive([p], { tool: "any_tool", claims: { sub: "admin123", role: "admin" } }).decision).toBe("allow");
  });

  it("permits on a nested act claim matched with like, and denies a wrong SPIFFE id", () => {
    const p = `permit(principal, action == Action::"call_tool", resource == Tool::"deploy")
      when { context.claim_sub == "user@example.com" && context has claim_act && context.claim_act.sub like "spiffe://toolhive.dev/ns/agents/sa/*" };`;
    const act = (sub: string) => ({ sub: "user@example.com", act: { sub } });
    expect(toolhive([p], { tool: "deploy", claims: act("spiffe://toolhive.dev/ns/agents/sa/devops-agent") }).decision).toBe("allow");
    expect(toolhive([p], { tool: "deploy", claims: act("spiffe://evil.example.com/ns/agents/sa/attacker") }).decision).toBe("deny");
    expect(toolhive([p], { tool: "deploy", claims: { sub: "user@example.com" } }).decision).toBe("deny");
  });

  it("lets a forbid on delegated calls win over a permit, naming the forbid", () => {
    const ps = [
      `permit(principal, action == Action::"call_tool", resource);`,
      `forbid(principal, action == Action::"call_tool", resource == Tool::"admin_reset") when { context has claim_act };`,
    ];
    const delegated = toolhive(ps, { tool: "admin_reset", claims: { sub: "user@example.com", act: { sub: "spiffe://x" } } });
    expect(delegated).toMatchObject({ decision: "deny", rule: "policy1", message: "Unauthorized" });
    expect(toolhive(ps, { tool: "admin_reset", claims: { sub: "user@example.com" } })).toMatchObject({ decision: "allow", rule: "policy0" });
  });
});

describe("ToolHive: missing principal (core_test.go TestAuthorizeWithJWTClaimsErrors)", () => {
  const all = [`permit(principal, action, resource);`];
  it.each([
    ["no claims at all", undefined],
    ["claims without sub", { name: "John Doe", role: "user" }],
    ["an empty sub", { sub: "", name: "John Doe" }],
    ["a non-string sub (jwt GetSubject refuses it)", { sub: 42 }],
  ])("refuses %s before Cedar, even under permit-all", (_, claims) => {
    const out = toolhive(all, { tool: "weather", claims: claims as Record<string, unknown> | undefined });
    expect(out.decision).toBe("deny");
    expect(out.rule).toBe("(no principal)");
    expect(out.message).toBe("Unauthorized");
    expect(out.errors).toHaveLength(1);
  });
});

describe("ToolHive: arguments (core_test.go TestPreprocessArguments, TestAuthorizeWithJWTClaims)", () => {
  const amount = (cond: string) => [`permit(principal, action == Action::"call_tool", resource == Tool::"calculator") when { ${cond} };`];
  const claims = { sub: "user123" };

  it("reads a JSON number as a decimal, so a Long literal never equals it (ToolHive's Go-int test case does not occur on the wire)", () => {
    const args = { operation: "add", value1: 5, value2: 10 };
    expect(toolhive(amount(`context.arg_operation == "add" && context.arg_value1 == 5`), { tool: "calculator", args, claims }).decision).toBe("deny");
    expect(toolhive(amount(`context.arg_value1 == decimal("5.0")`), { tool: "calculator", args, claims }).decision).toBe("allow");
  });

  it("gives strings and booleans as they are, on the context and on the resource", () => {
    const args = { name: "test", flag: true };
    expect(toolhive(amount(`context.arg_name == "test" && context.arg_flag && resource.arg_name == "test"`), { tool: "calculator", args, claims }).decision).toBe("allow");
  });

  it("marks objects, arrays and null only as arg_<k>_present", () => {
    const args = { data: { nested: true }, list: [1, 2], nothing: null };
    const cond = `context.arg_data_present && context.arg_list_present && context.arg_nothing_present && !(context has arg_data) && !(context has arg_list) && !(context has arg_nothing)`;
    expect(toolhive(amount(cond), { tool: "calculator", args, claims }).decision).toBe("allow");
  });

  it("turns a comparison of a decimal argument with a Long into an evaluation error, which ToolHive denies", () => {
    const out = toolhive(amount(`context.arg_value1 > 4`), { tool: "calculator", args: { value1: 5 }, claims });
    expect(out.decision).toBe("deny");
    expect(out.rule).toBe("(evaluation error)");
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatch(/^policy0: /);
  });

  it("denies on an error in any policy, even when another permit holds", () => {
    const ps = [`permit(principal, action, resource);`, `permit(principal, action, resource) when { context.arg_missing == "x" };`];
    const out = toolhive(ps, { tool: "calculator", args: {}, claims });
    expect(out).toMatchObject({ decision: "deny", rule: "(evaluation error)", message: "Unauthorized" });
    expect(out.errors[0]).toMatch(/^policy1: /);
  });
});

describe("ToolHive: numbers become decimals the way cedar-go's NewDecimalFromFloat does (record_test.go)", () => {
  const equals = (literal: string) => [`permit(principal, action, resource) when { context.arg_x == decimal("${literal}") };`];
  const claims = { sub: "u" };
  it.each([
    [3.14, "3.14"],
    [2.71828, "2.7182"], // truncated to four places
    [0.29, "0.29"],
    [0.0003, "0.0002"], // 0.0003 * 10000 is 2.9999999999999996 in float64
    [-1.5, "-1.5"],
    [42, "42.0"],
  ])("%s arrives as decimal(%s)", (x, literal) => {
    expect(toolhive(equals(literal), { tool: "t", args: { x }, claims }).decision).toBe("allow");
  });

  it("drops a number whose ten-thousandths overflow int64 (the key is absent)", () => {
    const p = [`permit(principal, action, resource) when { !(context has arg_x) && resource has name };`];
    expect(toolhive(p, { tool: "t", args: { x: 1e300 }, claims }).decision).toBe("allow");
    expect(toolhive(p, { tool: "t", args: { x: 1 }, claims }).decision).toBe("deny");
  });

  it("drops null claims, and keeps a Set of mixed values minus what has no Cedar form", () => {
    const p = [`permit(principal, action, resource) when { !(context has claim_gone) && context.claim_mixed.contains("two") && context.claim_mixed.contains(true) && context.claim_mixed.contains(decimal("1.0")) };`];
    expect(toolhive(p, { tool: "t", claims: { sub: "u", gone: null, mixed: [1, "two", true, null] } }).decision).toBe("allow");
  });

  it("cuts claims nested deeper than ten levels (record_test.go, maxClaimNestingDepth)", () => {
    const nest = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : { nested: nest(levels - 1, leaf) });
    const path = (levels: number) => `context.claim_deep${".nested".repeat(levels)}`;
    const reach = [`permit(principal, action, resource) when { ${path(10)} == "reachable" };`];
    expect(toolhive(reach, { tool: "t", claims: { sub: "u", deep: nest(10, "reachable") } }).decision).toBe("allow");
    const cut = [`permit(principal, action, resource) when { ${path(10)} == {} };`];
    expect(toolhive(cut, { tool: "t", claims: { sub: "u", deep: nest(12, "unreachable") } }).decision).toBe("allow");
  });
});

describe("ToolHive: groups as principal parents (core_test.go GroupMembership, CustomGroupClaimName, DualClaim, BackwardCompat)", () => {
  const platform = [`permit(principal in THVGroup::"platform", action == Action::"call_tool", resource == Tool::"deploy");`];
  const decideWith = (claims: Record<string, unknown>, groupClaimName?: string, roleClaimName?: string) =>
    toolhive(platform, { tool: "deploy", claims: { sub: "user1", ...claims } }, { toolhive: { groupClaimName, roleClaimName } }).decision;

  it.each([
    ["group claim only", { groups: ["platform", "devs"] }, "groups", undefined, "allow"],
    ["role claim only", { roles: ["platform"] }, undefined, "roles", "allow"],
    ["both claims merged", { groups: ["devs"], roles: ["platform"] }, "groups", "roles", "allow"],
    ["neither claim matches", { groups: ["marketing"], roles: ["sales"] }, "groups", "roles", "deny"],
    ["no names configured: well-known groups", { groups: ["platform"] }, undefined, undefined, "allow"],
    ["custom claim absent: falls back to well-known", { groups: ["platform"] }, "https://example.com/groups", undefined, "allow"],
    ["custom claim present but empty: no fallback", { "https://example.com/groups": [], roles: ["platform"] }, "https://example.com/groups", undefined, "deny"],
    ["nested role claim by dot path", { groups: ["devs"], realm_access: { roles: ["platform"] } }, "groups", "realm_access.roles", "allow"],
    ["non-array group claim, role claim still works", { groups: "not-an-array", roles: ["platform"] }, "groups", "roles", "allow"],
    ["both claims by dot path", { custom: { groups: ["devs"], roles: ["platform"] } }, "custom.groups", "custom.roles", "allow"],
    ["custom URL-style claim takes priority over groups", { "https://example.com/groups": ["platform"], groups: ["other"] }, "https://example.com/groups", undefined, "allow"],
  ])("%s", (_, claims, group, role, expected) => {
    expect(decideWith(claims as Record<string, unknown>, group, role)).toBe(expected);
  });

  it.each([["groups"], ["roles"], ["cognito:groups"]])("reads the well-known %s claim when nothing is configured", (key) => {
    const p = [`permit(principal in THVGroup::"eng", action, resource);`];
    expect(toolhive(p, { tool: "x", claims: { sub: "user1", [key]: ["eng"] } }).decision).toBe("allow");
  });

  it("skips a well-known claim that is a string and takes the next array", () => {
    const p = [`permit(principal in THVGroup::"eng", action, resource);`];
    expect(toolhive(p, { tool: "x", claims: { sub: "u", groups: "eng", roles: ["eng"] } }).decision).toBe("allow");
    expect(toolhive(p, { tool: "x", claims: { sub: "u", groups: [], roles: ["eng"] } }).decision).toBe("deny");
  });

  it("keeps a group hierarchy from entities_json (TransitiveHierarchyPreserved)", () => {
    const p = [`permit(principal in THVRole::"developer", action == Action::"call_tool", resource == Tool::"deploy");`];
    const entities = [
      { uid: { type: "THVGroup", id: "engineering" }, attrs: {}, parents: [{ type: "THVRole", id: "developer" }] },
      { uid: { type: "THVRole", id: "developer" }, attrs: {}, parents: [] },
    ];
    const claims = { sub: "user1", groups: ["engineering"] };
    expect(toolhive(p, { tool: "deploy", claims }, { entities, toolhive: { groupClaimName: "groups" } }).decision).toBe("allow");
    expect(toolhive(p, { tool: "deploy", claims }, { toolhive: { groupClaimName: "groups" } }).decision).toBe("deny");
  });

  it("uses group_entity_type for the parents (CustomGroupEntityType)", () => {
    const p = [`permit(principal in OrgRole::"engineering", action, resource);`];
    const claims = { sub: "u", groups: ["engineering"] };
    expect(toolhive(p, { tool: "x", claims }, { toolhive: { groupEntityType: "OrgRole" } }).decision).toBe("allow");
    expect(toolhive(p, { tool: "x", claims }).decision).toBe("deny");
  });
});

describe("ToolHive: multi-valued claims (core_test.go MultiValuedClaimSets)", () => {
  const settings = { toolhive: { multiValuedClaims: ["scp"] } };
  const contains = [`permit(principal, action, resource) when { context.claimset_scp.contains("Mail.Read") };`];
  it.each([
    [["User.Read.All", "Mail.Read"], "allow"],
    ["User.Read.All Mail.Read", "allow"],
    [["Mail.ReadWrite"], "deny"],
  ])("claimset_scp from %j: %s", (scp, expected) => {
    expect(toolhive(contains, { tool: "x", claims: { sub: "user1", scp } }, settings).decision).toBe(expected);
  });

  it("also sets claimset_<k> on the principal, and joins an array claim_<k> with spaces", () => {
    const p = [`permit(principal, action, resource) when { principal.claimset_scp.contains("Mail.Read") && context.claim_scp == "User.Read.All Mail.Read" };`];
    expect(toolhive(p, { tool: "x", claims: { sub: "u", scp: ["User.Read.All", "Mail.Read"] } }, settings).decision).toBe("allow");
  });

  it("leaves claims alone when none are listed (MultiValuedClaimsEmptyIsBackwardCompat)", () => {
    const p = [`permit(principal, action, resource) when { context.claim_scp == "User.Read.All Mail.Read" && !(context has claimset_scp) };`];
    expect(toolhive(p, { tool: "x", claims: { sub: "u", scp: "User.Read.All Mail.Read" } }).decision).toBe("allow");
  });
});

describe("ToolHive: the resource (entity_test.go, TestServerScopedPolicyWithMCPParent, annotations)", () => {
  const serverPolicy = [`permit(principal, action == Action::"call_tool", resource in MCP::"test-server");`];
  const mcp = [{ uid: { type: "MCP", id: "test-server" }, attrs: {}, parents: [] }];
  it.each([
    ["test-server", "allow"],
    [undefined, "deny"],
    ["other-server", "deny"],
  ])("server %s: %s", (server, expected) => {
    expect(toolhive(serverPolicy, { tool: "weather", claims: { sub: "testuser" } }, { server, entities: mcp }).decision).toBe(expected);
  });

  it("sets name, operation and feature, which arguments and annotations cannot override", () => {
    const p = [`permit(principal, action, resource) when { resource.name == "weather" && resource.operation == "call" && resource.feature == "tool" && action.operation == "call_tool" };`];
    expect(toolhive(p, { tool: "weather", claims: { sub: "u" }, args: { name: "other" } }).decision).toBe("allow");
  });

  it("puts the four boolean hints from tools/list on the resource, and nothing else", () => {
    const tools = [{ name: "rm", annotations: { destructiveHint: true, readOnlyHint: false, title: "Remove" } }];
    const p = [`permit(principal, action, resource) when { resource.destructiveHint && !resource.readOnlyHint && !(resource has title) && !(resource has idempotentHint) };`];
    expect(toolhive(p, { tool: "rm", claims: { sub: "u" }, tools }).decision).toBe("allow");
    expect(toolhive(p, { tool: "rm", claims: { sub: "u" } }).decision).toBe("deny");
  });

  it("puts every claim on the principal as claim_<k>, except the auth layer's tsid", () => {
    const p = [`permit(principal == Client::"u", action, resource) when { principal.claim_email == "u@x" && !(principal has claim_tsid) && !(context has claim_tsid) };`];
    expect(toolhive(p, { tool: "x", claims: { sub: "u", email: "u@x", tsid: "session-1" } }).decision).toBe("allow");
  });
});

describe("ToolHive: policy names", () => {
  it("names the determining policies by @id, else policy<i>, in file order", () => {
    const ps = [`@id("readers") permit(principal, action, resource == Tool::"read");`, `permit(principal, action, resource);`];
    expect(toolhive(ps, { tool: "read", claims: { sub: "u" } }).rule).toBe("readers, policy1");
    expect(toolhive(ps, { tool: "write", claims: { sub: "u" } }).rule).toBe("policy1");
  });
});
