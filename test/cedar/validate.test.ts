/** `mcptape validate` on Cedar policies, end to end through the command line. */
import { describe, expect, it } from "vitest";
import { CEDAR, files, mcptape } from "./helpers.js";

describe("validate with Cedar", () => {
  it("accepts the fixture policy set of each profile", async () => {
    for (const args of [["toolhive.cedar", "--profile", "toolhive"], ["agentcore.cedar", "--profile", "agentcore"], ["docker.cedar", "--profile", "docker"], ["toolhive-authz.json"]]) {
      const ran = await mcptape("validate", `${CEDAR}/${args[0]}`, ...args.slice(1));
      expect(ran.stdout, args.join(" ")).toContain(": ok");
      expect(ran.code).toBe(0);
    }
  });

  it("a forced --dialect intercept on a Cedar file is an error, as on the other dialect's file", async () => {
    const ran = await mcptape("validate", `${CEDAR}/docker.cedar`, "--dialect", "intercept");
    expect(ran.code).toBe(2);
    expect(ran.stdout + ran.stderr).toContain("looks like a Cedar policy, not the intercept dialect asked for; write --dialect cedar");
  });

  it("a forced --dialect cedar on an Intercept or PolicyLayer file says what the file looks like, not a Cedar parse error at 1:1", async () => {
    for (const [policy, looks] of [["fixtures/policies/demo.yaml", "an Intercept policy (it has `rules`)"], ["fixtures/policies/seed-aws-support.policylayer.json", "a PolicyLayer policy (it has `tools`)"]] as const) {
      const ran = await mcptape("validate", policy, "--dialect", "cedar", "--profile", "toolhive");
      expect(ran.code).toBe(2);
      expect(ran.stdout).toContain(`: error: this file looks like ${looks}, not the cedar dialect asked for; write --dialect ${looks.includes("Intercept") ? "intercept" : "policylayer"}, or leave --dialect out`);
    }
  });

  it("warns at a policy whose @id another policy already has, also in a ToolHive config (at the entry's place)", async () => {
    const { policy, config } = files({
      "policy.cedar": '@id("a")\npermit(principal, action, resource);\n\n  @id("a") forbid(principal, action, resource == Tool::"x");\n',
      "config.json": JSON.stringify({ version: "1.0", type: "cedarv1", cedar: { policies: ['@id("p") permit(principal, action, resource);', '@id("p") forbid(principal, action, resource);'], entities_json: "[]" } }, null, 2),
    });
    const ran = await mcptape("validate", policy!, "--profile", "toolhive");
    expect(ran.stdout).toContain(`${policy!}:4:3: warning: policy policy1 is named "a" like the policy at 1:1; reports call them "a (policy0)" and "a (policy1)"`);
    expect(ran.code).toBe(0);
    const inConfig = await mcptape("validate", config!, "--strict");
    // The second entry is line 7 of the pretty-printed config; its string starts at column 7.
    expect(inConfig.stdout).toContain(`${config!}:7:7: warning: policy policy1 is named "p" like the policy at 6:7`);
    expect(inConfig.code).toBe(1);
  });

  it("reports a parse error at file:line:col and exits 2", async () => {
    const { p } = files({ "p.cedar": 'permit(principal, action, resource);\n\nforbid(principal, action == Action::"call_tool" resource);\n' });
    const ran = await mcptape("validate", p!, "--profile", "toolhive");
    expect(ran.code).toBe(2);
    expect(ran.stdout).toMatch(new RegExp(`${p}:3:49: error: `));
  });

  it("refuses a ToolHive config entry that holds two policies (ToolHive parses each entry as one)", async () => {
    const { c } = files({ "c.json": JSON.stringify({ version: "1.0", type: "cedarv1", cedar: { policies: ["permit(principal, action, resource); forbid(principal, action, resource);"] } }) });
    const ran = await mcptape("validate", c!);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toContain("holds 2 policies");
  });

  it("exits 2 for a Cedar policy with no --profile, naming the flag", async () => {
    const ran = await mcptape("validate", `${CEDAR}/docker.cedar`);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toContain("--profile");
  });
});
