/**
 * `mcptape validate` beyond parsing, for Cedar (docs/spec/dialect-cedar.md, "Validation"):
 * Cedar's own validator against --schema or a schema the official MCP schema generator makes
 * from --tools, and the profile warnings, each at file:line:col with what to write instead.
 */
import { describe, expect, it } from "vitest";
import { ALICE_TAPE, CEDAR, files, mcptape } from "./helpers.js";

const TOOLS = JSON.stringify({
  tools: [
    {
      name: "process_refund",
      inputSchema: {
        type: "object",
        properties: { amount: { type: "number" }, count: { type: "integer" }, tags: { type: "array", items: { type: "string" } }, reason: { type: "string" } },
        required: ["amount", "reason"],
      },
    },
    { name: "lookup", inputSchema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] } },
  ],
});

describe("validate --schema: Cedar's own validator", () => {
  const schema = `entity Client; entity Tool = { name: String };
action "call_tool" appliesTo { principal: [Client], resource: [Tool], context: { arg_path: String } };`;

  it("reports what the schema does not allow at the policy's file:line:col, exit 2; a policy it allows passes", async () => {
    const { s, bad, good } = files({
      "s.cedarschema": schema,
      "bad.cedar": `permit(principal, action == Action::"call_tool", resource)\nwhen { context.arg_paht like "/tmp/*" };\n`,
      "good.cedar": `permit(principal, action == Action::"call_tool", resource)\nwhen { context.arg_path like "/tmp/*" };\n`,
    });
    const ran = await mcptape("validate", bad!, "--profile", "toolhive", "--schema", s!);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toContain(`${bad}:2:8: error: against the schema: for policy \`policy0\`, attribute \`arg_paht\` in context for Action::"call_tool" not found; did you mean \`arg_path\`?`);
    expect(ran.stdout).toContain(`${bad}: validated against the schema ${s}`);
    const passed = await mcptape("validate", good!, "--profile", "toolhive", "--schema", s!);
    expect(passed.stdout).toContain(": ok");
    expect(passed.code).toBe(0);
  });

  it("places a schema that does not parse in the schema file, exit 2", async () => {
    const { s, p } = files({ "s.cedarschema": "entity Client;\nentity Tool = { name: Strin };\n", "p.cedar": "permit(principal, action, resource);\n" });
    const ran = await mcptape("validate", p!, "--profile", "toolhive", "--schema", s!);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toMatch(new RegExp(`${s}:\\d+:\\d+: error: the schema does not parse: `));
  });

  it("places a JSON schema that does not parse where JSON's parser stopped, saying it is the JSON form", async () => {
    const { s, p } = files({ "s.json": '{\n  "": {\n    "entityTypes": {},\n  }\n}\n', "p.cedar": "permit(principal, action, resource);\n" });
    const ran = await mcptape("validate", p!, "--profile", "toolhive", "--schema", s!);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toContain(`${s}:4:3: error: the schema's JSON form does not parse: `);
  });

  it("a missing schema file is an error of the command on stderr, exit 2", async () => {
    const ran = await mcptape("validate", `${CEDAR}/toolhive.cedar`, "--profile", "toolhive", "--schema", "/nonexistent/s.cedarschema");
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain("cannot read --schema file: no such file");
  });

  it("--schema is in validate's help alone: the commands that refuse it do not offer it", async () => {
    expect((await mcptape("validate", "--help")).stdout).toContain("--schema <file>");
    for (const command of ["replay", "diff", "fuzz", "test"]) {
      const help = (await mcptape(command, "--help")).stdout;
      expect(help, command).toContain("--profile <gateway>");
      expect(help, command).not.toContain("--schema");
    }
  });

  it("replay still refuses --schema rather than ignoring it: it decides without one", async () => {
    const ran = await mcptape("replay", ALICE_TAPE, "-p", `${CEDAR}/toolhive.cedar`, "--profile", "toolhive", "--schema", `${CEDAR}/agents.cedarschema`);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain("--schema is read by validate only");
  });
});

describe("validate --tools: a schema from the official MCP schema generator", () => {
  it("without --tools or --schema, says the validator did not run and what to give", async () => {
    const th = await mcptape("validate", `${CEDAR}/toolhive.cedar`, "--profile", "toolhive");
    expect(th.stdout).toContain("no schema, so Cedar's validator did not run: give --schema FILE to run it");
    const ac = await mcptape("validate", `${CEDAR}/agentcore.cedar`, "--profile", "agentcore");
    expect(ac.stdout).toContain("no schema, so Cedar's validator did not run: give --tools TAPE to generate one with the official MCP schema generator, or --schema FILE");
  });


  // AWS policy-schema-constraints: each tool is an action AgentCore::Action::"<target>___<tool>" in
  // CallTool, context.input typed from the inputSchema, `number` → decimal, `integer` → Long.
  it("agentcore: a Long compared with a number input, a misspelt input and an unknown tool are the validator's errors", async () => {
    const { t, p } = files({
      "t.json": TOOLS,
      "p.cedar": [
        `permit(principal, action == AgentCore::Action::"shop___process_refund", resource)`,
        `when { context.input.amount.lessThan(decimal("500.0")) && context.input has count && context.input.count < 3 };`,
        `permit(principal, action == AgentCore::Action::"shop___lookup", resource) when { context.input.idd == "x" };`,
        `@id("gone") permit(principal, action == AgentCore::Action::"shop___gone", resource);`,
        `permit(principal, action == AgentCore::Action::"shop___process_refund", resource) when { context.input.amount == decimal("1.0") };`,
        "",
      ].join("\n"),
    });
    const ran = await mcptape("validate", p!, "--profile", "agentcore", "--target", "shop", "--tools", t!, "--color", "never");
    expect(ran.code).toBe(2);
    expect(ran.stdout).toContain(`${p}: validated against the schema the official MCP schema generator made from the 2 tools of ${t}`);
    expect(ran.stdout).toContain(`${p}:3:82: error: against the schema: for policy \`policy1\`, attribute \`input.idd\` in context for AgentCore::Action::"shop___lookup" not found`);
    expect(ran.stdout).toContain(`${p}:4:41: error: against the schema: for policy \`policy2\` (gone), unrecognized action \`AgentCore::Action::"shop___gone"\``);
    // count is an integer (Long): comparing it with 3 is fine; amount, a number, is a decimal.
    // (Their bare resource is AgentCore's own scope error, at 1:1 and 5:1, not the validator's.)
    expect(ran.stdout).not.toMatch(/:2:\d+: error/);
    expect(ran.stdout).not.toMatch(/:5:\d+: error: against the schema/);
  });

  it("agentcore: a policy on the gateway target's action group passes the generated schema; another target's group is unknown to it", async () => {
    const { t, p, q } = files({
      "t.json": TOOLS,
      "p.cedar": `permit(principal, action in AgentCore::Action::"shop", resource is AgentCore::Gateway);\n`,
      "q.cedar": `permit(principal, action in AgentCore::Action::"warehouse", resource is AgentCore::Gateway);\n`,
    });
    const ran = await mcptape("validate", p!, "--profile", "agentcore", "--target", "shop", "--tools", t!);
    expect(ran.stdout).toContain(`${p}: ok`);
    expect(ran.code).toBe(0);
    const other = await mcptape("validate", q!, "--profile", "agentcore", "--target", "shop", "--tools", t!);
    expect(other.stdout).toContain('unrecognized action `AgentCore::Action::"warehouse"`');
    expect(other.code).toBe(2);
  });

  it("cedar-for-agents: the schema comes from --stub and the tools, actions named after the tools in the stub's namespace", async () => {
    const { t, p } = files({
      "t.json": TOOLS,
      "p.cedar": `permit(principal is Agents::User, action == Agents::Action::"lookup", resource) when { context.input.id like "A-*" };\npermit(principal, action == Agents::Action::"lookup", resource) when { context.input.id == 7 };\n`,
    });
    const ran = await mcptape("validate", p!, "--profile", "cedar-for-agents", "--stub", `${CEDAR}/agents.cedarschema`, "--tools", t!);
    expect(ran.code).toBe(2);
    expect(ran.stdout).not.toMatch(new RegExp(`${p}:1:\\d+: error`));
    expect(ran.stdout).toMatch(new RegExp(`${p}:2:\\d+: error: against the schema: .*String`));
  });

  it("says the generator refused tools whose names are not Cedar identifiers, and that the validator did not run (a warning)", async () => {
    const ran = await mcptape("validate", `${CEDAR}/agentcore.cedar`, "--profile", "agentcore", "--target", "everything", "--tools", ALICE_TAPE);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("no schema: the official MCP schema generator refused the tools, so Cedar's validator did not run");
    expect(ran.stdout).toMatch(/warning: the official MCP schema generator refused these tools: .*a tool name must be a Cedar identifier: everything___get-annotated-message, /);
    const strict = await mcptape("validate", `${CEDAR}/agentcore.cedar`, "--profile", "agentcore", "--target", "everything", "--tools", ALICE_TAPE, "--strict");
    expect(strict.code).toBe(1);
  });

  it("toolhive and docker: says no official generator exists, and the validator does not run", async () => {
    for (const [policy, profile, gateway] of [["toolhive.cedar", "toolhive", "ToolHive"], ["docker.cedar", "docker", "Docker"]] as const) {
      const ran = await mcptape("validate", `${CEDAR}/${policy}`, "--profile", profile, "--tools", ALICE_TAPE);
      expect(ran.stdout).toContain(`no schema: ${gateway} publishes no Cedar schema and no official generator makes one, so Cedar's validator did not run (give --schema FILE to run it)`);
      expect(ran.code).toBe(0);
    }
  });
});

describe("validate: profile warnings", () => {
  async function warnings(policy: string, ...flags: string[]): Promise<{ stdout: string; p: string; code: number }> {
    const { p, t } = files({ "p.cedar": policy, "t.json": TOOLS });
    const ran = await mcptape("validate", p!, ...flags.map((f) => (f === "TOOLS" ? t! : f)));
    return { stdout: ran.stdout, p: p!, code: ran.code };
  }

  // toolhive.ts: the context is claim_* and arg_*, flat (ToolHive core.go); AgentCore's is {input}.
  it("an attribute the profile never sets, with what to write instead", async () => {
    const th = await warnings(`permit(principal, action, resource)\nwhen { context.input.path == "/tmp" };\n`, "--profile", "toolhive");
    expect(th.stdout).toContain(`${th.p}:2:16: warning: context.input: the toolhive profile never sets context.input, so this is an evaluation error; ToolHive's context holds only claim_<claim> and arg_<argument> keys, flat: write context.arg_<argument>`);
    expect(th.code).toBe(0);
    const ac = await warnings(`permit(principal, action, resource)\nwhen { context has arg_x && principal.department == "x" };\n`, "--profile", "agentcore");
    expect(ac.stdout).toContain(`${ac.p}:2:20: warning: context has arg_x: the agentcore profile never sets context.arg_x, so this is always false; AgentCore's context holds only input: write context.input.x`);
    expect(ac.stdout).toContain(`principal.department: the agentcore profile never sets principal.department, so this is an evaluation error; AgentCore's principals have only id (an IamEntity's is its ARN); an OAuthUser's other claims are tags: write principal.hasTag("department") && principal.getTag("department")`);
  });

  // docs.docker.com ai/sandboxes/governance/reference/mcp-policy, "Evaluation model": the policy scope
  // supplies the principal; clauses on principal attributes, `principal in ...`, don't match.
  it("docker: principal in ... and principal attributes, which Docker says don't match", async () => {
    const w = await warnings(`permit(principal in MCP::Group::"eng", action, resource);\npermit(principal, action, resource) when { principal in MCP::Group::"x" || principal.role == "admin" };\n`, "--profile", "docker");
    expect(w.stdout).toContain(`${w.p}:1:8: warning: principal in ...: Docker's policy scope supplies the principal, and \`principal in\` clauses don't match (Docker's MCP policy reference)`);
    expect(w.stdout).toContain(`${w.p}:2:44: warning: principal in ...`);
    expect(w.stdout).toContain(`${w.p}:2:86: warning: principal.role: the docker profile never sets principal.role`);
  });

  // toolhive.ts argAttributes, from core.go preprocessArguments: arrays, objects and null become arg_<k>_present.
  it("toolhive: arg_<k> for an argument the tools say is an array, of which only arg_<k>_present exists", async () => {
    const w = await warnings(`permit(principal, action, resource)\nwhen { context.arg_tags.contains("x") || context has arg_reason };\n`, "--profile", "toolhive", "--tools", "TOOLS");
    expect(w.stdout).toContain(`${w.p}:2:16: warning: context.arg_tags: the tools say tags is an array, of which ToolHive sets only arg_tags_present: true; write context has arg_tags_present`);
    expect(w.stdout).not.toContain("arg_reason:");
  });

  // toolhive.ts goDecimal (cedar-go NewDecimalFromFloat): every JSON number is a decimal.
  it("toolhive: a Long literal compared with a value it makes a decimal (== never true, < an error that denies)", async () => {
    const w = await warnings(`permit(principal, action, resource)\nwhen { context.arg_n == 5 && 10 > resource.arg_m && context.arg_reason == 3 };\n`, "--profile", "toolhive", "--tools", "TOOLS");
    expect(w.stdout).toContain(`${w.p}:2:16: warning: context.arg_n == 5: ToolHive turns every JSON number into a decimal, and a decimal never equals a Long, so this is never true for a number; write context.arg_n == decimal("5.0")`);
    expect(w.stdout).toContain(`${w.p}:2:44: warning: resource.arg_m > 10: ToolHive turns every JSON number into a decimal, and > on a decimal is an evaluation error (ToolHive denies the call); write resource.arg_m.greaterThan(decimal("10.0"))`);
    // reason is a string in the tools: comparing it with a Long is another mistake, not this one.
    expect(w.stdout).not.toContain("arg_reason == 3");
  });

  it("agentcore: a Long literal compared with a `number` input, which it makes a decimal", async () => {
    const w = await warnings(`permit(principal, action, resource)\nwhen { context.input.amount <= 100 && context.input.count <= 100 };\n`, "--profile", "agentcore", "--tools", "TOOLS");
    expect(w.stdout).toContain(`context.input.amount <= 100: the tools say amount is a number, which AgentCore makes a decimal, and <= on a decimal is an evaluation error (the policy is skipped); write context.input.amount.lessThanOrEqual(decimal("100.0"))`);
    expect(w.stdout).not.toContain("context.input.count <=");
  });

  // docs/spec/dialect-cedar.md: AgentCore's action is <target>___<tool>; a bare name needs --target.
  it("agentcore: tools without a <target>___ prefix and no --target get one warning saying to give --target, not one per policy", async () => {
    const bare = await mcptape("validate", `${CEDAR}/agentcore.cedar`, "--profile", "agentcore", "--tools", ALICE_TAPE);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain(`${ALICE_TAPE}:1:1: warning: 13 of the 13 tools ${ALICE_TAPE} lists have no "<target>___" prefix`);
    expect(bare.stdout).toContain("replay leaves their calls undecided; give the gateway target with --target");
    expect(bare.stdout).not.toContain("matches none of the");
    const targeted = await mcptape("validate", `${CEDAR}/agentcore.cedar`, "--profile", "agentcore", "--target", "everything", "--tools", ALICE_TAPE);
    expect(targeted.stdout).not.toContain("no --target was given");
  });

  it("a policy that no listed tool matches by its action and resource (Docker: a server other than --server)", async () => {
    const docker = await mcptape("validate", `${CEDAR}/docker.cedar`, "--profile", "docker", "--tools", ALICE_TAPE);
    expect(docker.stdout).toContain(`${CEDAR}/docker.cedar:5:1: warning: permit read-only tools matches none of the 13 tools`);

    const w = await warnings(`@id("typo")\npermit(principal, action == Action::"call_tool", resource == Tool::"proces_refund");\npermit(principal, action, resource == Tool::"lookup");\n`, "--profile", "toolhive", "--tools", "TOOLS");
    expect(w.stdout).toContain(`${w.p}:1:1: warning: permit typo matches none of the 2 tools`);
    expect(w.stdout).not.toContain(`${w.p}:3:1: warning`);
  });

  it("the same warning in every format: json, sarif, and --strict fails on it", async () => {
    const policy = `permit(principal, action, resource)\nwhen { context.input.path == "/tmp" };\n`;
    const json = await warnings(policy, "--profile", "toolhive", "--format", "json");
    const found = (JSON.parse(json.stdout) as { diagnostics: { line: number; col: number; severity: string; message: string }[] }).diagnostics;
    expect(found).toEqual([expect.objectContaining({ line: 2, col: 16, severity: "warning", message: expect.stringContaining("never sets context.input") })]);
    const sarif = await warnings(policy, "--profile", "toolhive", "--format", "sarif");
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { level: string; message: { text: string } }[] }[] }).runs[0]!.results;
    expect(results.map((r) => [r.level, r.message.text.includes("never sets context.input")])).toEqual([["warning", true]]);
    const strict = await warnings(policy, "--profile", "toolhive", "--strict");
    expect(strict.code).toBe(1);
  });

  it("the fixture policy sets have no warnings against their tape's tools", async () => {
    for (const args of [["toolhive.cedar", "--profile", "toolhive"], ["docker.cedar", "--profile", "docker", "--server", "everything"], ["toolhive-authz.json"]]) {
      const ran = await mcptape("validate", `${CEDAR}/${args[0]}`, ...args.slice(1), "--tools", ALICE_TAPE, "--strict");
      expect(ran.stdout, args.join(" ")).toContain(": ok");
      expect(ran.code).toBe(0);
    }
  });
});

describe("validate: AgentCore's scope requirements (AWS docs, bedrock-agentcore devguide example-policies-action-resource)", () => {
  const ARN = "arn:aws:bedrock-agentcore:us-east-1:123456789012:gateway/shop";
  it("a bare resource is refused whatever the action scope ('a wildcard resource was detected'), and named actions need the gateway's ARN", async () => {
    const { p } = files({
      "p.cedar": [
        `permit(principal, action, resource);`,
        `permit(principal, action == AgentCore::Action::"shop___lookup", resource is AgentCore::Gateway);`,
        `permit(principal, action in [AgentCore::Action::"shop___lookup", AgentCore::Action::"shop___buy"], resource);`,
        "",
      ].join("\n"),
    });
    const ran = await mcptape("validate", p!, "--profile", "agentcore");
    expect(ran.code).toBe(2);
    expect(ran.stdout).toContain(`${p}:1:1: error: permit policy0: its resource is unconstrained, and AgentCore refuses such a policy when it is created ("a wildcard resource was detected"); write resource is AgentCore::Gateway`);
    expect(ran.stdout).toContain(`${p}:2:1: error: permit policy1: it names specific actions, and AgentCore then requires the gateway by its ARN`);
    expect(ran.stdout).toContain(`${p}:3:1: error: permit policy2: its resource is unconstrained`);
    expect(ran.stdout).toContain('write resource == AgentCore::Gateway::"<gateway ARN>"');
  });

  it("accepts the forms the page allows: a type test with any action, the gateway's ARN with named actions", async () => {
    const { p } = files({
      "p.cedar": [
        `permit(principal, action, resource is AgentCore::Gateway);`,
        `permit(principal, action == AgentCore::Action::"shop___lookup", resource == AgentCore::Gateway::"${ARN}");`,
        `forbid(principal, action in [AgentCore::Action::"shop___lookup", AgentCore::Action::"shop___buy"], resource == AgentCore::Gateway::"${ARN}");`,
        "",
      ].join("\n"),
    });
    const ran = await mcptape("validate", p!, "--profile", "agentcore");
    expect(ran.stdout).toContain(": ok");
    expect(ran.code).toBe(0);
  });
});
