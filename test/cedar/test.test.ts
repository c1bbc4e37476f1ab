/** `mcptape test` on Cedar scenario files, end to end through the command line. */
import { describe, expect, it } from "vitest";
import { ROOT, files, mcptape } from "./helpers.js";

const SCENARIO = (policy: string, expectation: string) => `dialect: cedar
profile: toolhive
identities:
  alice: { sub: alice, groups: [finance] }
policy: |
${policy.split("\n").map((l) => (l ? `  ${l}` : l)).join("\n")}
calls:
  - { tool: transfer, identity: alice, args: { amount: 5 } }
expect:
  calls:
    - ${expectation}
`;

describe("test with Cedar scenarios", () => {
  it("passes the example suite in scenarios/cedar", async () => {
    const ran = await mcptape("test", `${ROOT}/scenarios/cedar`, "--format", "json");
    expect(ran.code).toBe(0);
    const report = JSON.parse(ran.stdout) as { summary: { scenarios: number; failed: number } };
    expect(report.summary.failed).toBe(0);
    expect(report.summary.scenarios).toBeGreaterThanOrEqual(10);
  });

  it("fails a scenario whose expected evaluation errors did not happen, naming what was expected", async () => {
    const { s } = files({ "s.yaml": SCENARIO('@id("finance")\npermit(principal in THVGroup::"finance", action, resource);', '{ call: 1, decision: allow, errors: ["some error"] }') });
    const ran = await mcptape("test", s!);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('errors: expected one containing "some error", got none');
  });

  it("checks identities' claims: a group the caller is not in gives no permit", async () => {
    const { s } = files({ "s.yaml": SCENARIO('@id("ops")\npermit(principal in THVGroup::"ops", action, resource);', '{ call: 1, decision: deny, rule: "(no permit)", message: Unauthorized }') });
    const ran = await mcptape("test", s!);
    expect(ran.stdout).toContain("1 passed");
    expect(ran.code).toBe(0);
  });

  it("puts a parse error of an inline Cedar policy at its line and column in the scenario file", async () => {
    // Line 7 of the file is the policy's second line (policy: | is line 5); `resource` after `action` is where the comma is missing.
    const { s } = files({ "s.yaml": SCENARIO("permit(principal, action, resource);\npermit(principal, action resource);", "{ call: 1, decision: allow }") });
    const ran = await mcptape("test", s!);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain(`${s}:7:28: error: unexpected token`);
  });

  it("errors a call whose identity has no claims under toolhive (a misspelt identity would pass an expected deny as (no principal)), with a did-you-mean at the call", async () => {
    const typo = SCENARIO('@id("ops")\npermit(principal in THVGroup::"ops", action, resource);', '{ call: 1, decision: deny }').replace("identity: alice", "identity: alcie");
    const { s } = files({ "s.yaml": typo });
    const ran = await mcptape("test", s!);
    expect(ran.code).toBe(2);
    // The call is line 9 of the file (the policy takes lines 6-7), its mapping at column 5.
    expect(ran.stderr).toContain(`${s}:9:5: error: call 1 (transfer): identity alcie has no claims`);
    expect(ran.stderr).toContain("did you mean alice?");
  });

  it("the same under agentcore, whose principal is the sub too; claims: {} writes a caller without a token on purpose", async () => {
    const agentcore = (caller: string) => [
      "dialect: cedar", "profile: agentcore", "gateway: { target: shop }", "identities:", "  support: { sub: agent-7 }",
      "policy: |", "  permit(principal, action, resource);",
      "calls:", `  - { tool: buy, ${caller} }`,
      "expect:", '  calls: [{ call: 1, decision: deny, rule: "(no principal)" }]', "",
    ].join("\n");
    const { typo, anonymous } = files({ "typo.yaml": agentcore("identity: suport"), "anonymous.yaml": agentcore("claims: {}") });
    const ran = await mcptape("test", typo!);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain("identity suport has no claims");
    expect((await mcptape("test", anonymous!)).code).toBe(0);
  });

  it("takes an IAM ARN identity without claims under agentcore: an AWS_IAM gateway's principal is the caller's ARN", async () => {
    const { s } = files({
      "s.yaml": [
        "dialect: cedar", "profile: agentcore", "gateway: { target: shop }",
        "policy: |", '  permit(principal is AgentCore::IamEntity, action, resource) when { principal.id like "arn:aws:iam::123456789012:*" };',
        "calls:", "  - { tool: buy, identity: \"arn:aws:iam::123456789012:role/buyer\" }", "  - { tool: buy, identity: \"arn:aws:iam::999999999999:role/buyer\" }",
        "expect:", "  calls: [{ call: 1, decision: allow }, { call: 2, decision: deny }]", "",
      ].join("\n"),
    });
    const ran = await mcptape("test", s!);
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
  });

  it("leaves an identity without claims alone under docker, whose principal falls back to the identity", async () => {
    const { s } = files({
      "s.yaml": [
        "dialect: cedar", "profile: docker",
        "policy: |", '  permit(principal == MCP::User::"bob", action, resource);',
        "calls:", "  - { tool: list_issues, identity: bob }",
        "expect:", "  calls: [{ call: 1, decision: allow }]", "",
      ].join("\n"),
    });
    const ran = await mcptape("test", s!);
    expect(ran.code).toBe(0);
  });
});
