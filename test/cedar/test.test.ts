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
});
