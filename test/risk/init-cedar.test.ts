/**
 * `mcptape init --dialect cedar --profile P`: a starter Cedar policy for one gateway's requests.
 * Checked end to end through the command line: the starter validates clean under its profile
 * (`validate --strict`, which for agentcore and cedar-for-agents runs Cedar's validator against
 * the schema the official generator makes from the tools), and the official engine decides each
 * class as the starter says: Read, Write, Execute and Other permitted, Destructive and Financial
 * refused (held for approval on Docker, the one gateway that holds calls), a tool the starter
 * does not list refused.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const TOOLS = [
  { name: "read_file", annotations: { readOnlyHint: true }, inputSchema: { type: "object", properties: { path: { type: "string" } } } },
  { name: "write_file", inputSchema: { type: "object", properties: { path: { type: "string" }, content: { type: "string" } } } },
  { name: "run_command", inputSchema: { type: "object", properties: { command: { type: "string" } } } },
  { name: "delete_file", annotations: { destructiveHint: true }, inputSchema: { type: "object", properties: { path: { type: "string" } } } },
  { name: "create_refund", inputSchema: { type: "object", properties: { amount: { type: "number" } } } },
  { name: "frobnicate", inputSchema: { type: "object" } },
];

const ARN = "arn:aws:bedrock-agentcore:us-east-1:123456789012:gateway/files";
const STUB = join(ROOT, "fixtures/cedar/agents.cedarschema");

const PROFILES = [
  { profile: "toolhive", flags: [], gateway: {}, holds: false },
  { profile: "docker", flags: ["--server", "files"], gateway: { server: "files" }, holds: true },
  { profile: "agentcore", flags: ["--target", "files", "--gateway-arn", ARN], gateway: { target: "files", gatewayArn: ARN }, holds: false },
  { profile: "cedar-for-agents", flags: ["--stub", STUB], gateway: { stub: STUB }, holds: false },
] as const;

describe.each(PROFILES)("mcptape init --dialect cedar --profile $profile", ({ profile, flags, gateway, holds }) => {
  const dir = tempDir(`init-cedar-${profile}`);
  const tools = join(dir, "tools.json");
  writeFileSync(tools, JSON.stringify(TOOLS));
  const policy = join(dir, "starter.cedar");

  it("writes a starter that validate passes under --strict, checked against the tools", async () => {
    const init = await runCli(["init", "--tools", tools, "--dialect", "cedar", "--profile", profile, ...flags, "-o", policy]);
    expect(init).toMatchObject({ code: 0, stdout: "" });
    expect(init.stderr).toBe(`mcptape: wrote ${policy}: 6 tools: 1 Read, 1 Write, 1 Execute, 1 Destructive, 1 Financial, 1 Other\n`);
    const validate = await runCli(["validate", "--profile", profile, ...flags, "--tools", tools, "--strict", policy]);
    expect(validate.stderr).toBe("");
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain(`${policy}: ok\n`);
  });

  it("is decided by the official engine as each class calls for; a tool it does not list is refused", async () => {
    const refused = holds ? "approval" : "deny";
    const calls = ["read_file", "write_file", "run_command", "delete_file", "create_refund", "frobnicate", "drop_table"];
    const expected = ["allow", "allow", "allow", refused, refused, "allow", "deny"];
    const scenario = join(dir, "starter.yaml");
    writeFileSync(scenario, JSON.stringify({
      dialect: "cedar",
      profile,
      gateway,
      policy: relative(dir, policy),
      tools: [...TOOLS, { name: "drop_table", inputSchema: { type: "object" } }],
      scenarios: [{
        name: "each class as the starter says",
        calls: calls.map((tool) => ({ tool, args: {}, claims: { sub: "dev" } })),
        expect: { calls: expected.map((decision, i) => ({ call: i + 1, decision })) },
      }],
    }));
    const r = await runCli(["test", scenario, "--format", "json"]);
    const report = JSON.parse(r.stdout) as { summary: { passed: number; failed: number; errored: number } };
    expect({ code: r.code, summary: report.summary }).toMatchObject({ code: 0, summary: { passed: 1, failed: 0, errored: 0 } });
  });

  it.runIf(profile === "agentcore")("says how to scope it to AWS_IAM callers, and the starter so edited validates and permits an ARN caller", async () => {
    const text = readFileSync(policy, "utf8");
    expect(text).toContain("write\n// principal is AgentCore::IamEntity instead: its id is the caller's ARN");
    const iam = join(dir, "iam.cedar");
    writeFileSync(iam, text.replaceAll("principal is AgentCore::OAuthUser", "principal is AgentCore::IamEntity"));
    const validate = await runCli(["validate", "--profile", profile, ...flags, "--tools", tools, "--strict", iam]);
    expect({ code: validate.code, stderr: validate.stderr }).toEqual({ code: 0, stderr: "" });
    const scenario = join(dir, "iam.yaml");
    writeFileSync(scenario, JSON.stringify({
      dialect: "cedar", profile, gateway, policy: relative(dir, iam), tools: TOOLS,
      calls: [{ tool: "read_file", args: {}, identity: "arn:aws:iam::123456789012:role/files-agent" }, { tool: "read_file", args: {}, claims: { sub: "dev" } }],
      expect: { calls: [{ call: 1, decision: "allow" }, { call: 2, decision: "deny" }] },
    }));
    const r = await runCli(["test", scenario]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  });

  it("names each tool's policy after the tool, so a report's rule is the tool", () => {
    const text = readFileSync(policy, "utf8");
    for (const { name } of TOOLS) expect(text).toContain(`@id("${name}")`);
  });
});

describe("mcptape init --dialect cedar: what the scope needs is asked for, not guessed", () => {
  const dir = tempDir("init-cedar-bad");
  const tools = join(dir, "tools.json");
  writeFileSync(tools, JSON.stringify(TOOLS));

  it.each([
    [["--dialect", "cedar"], "mcptape: error: a Cedar policy is written for one gateway's requests; add --profile toolhive|agentcore|docker|cedar-for-agents\n"],
    [["--dialect", "cedar", "--profile", "agentcore", "--gateway-arn", ARN], "mcptape: error: --profile agentcore names each tool's action <target>___<tool>, and read_file has no target; give the gateway target with --target NAME\n"],
    [["--dialect", "cedar", "--profile", "agentcore", "--target", "files"], "mcptape: error: --profile agentcore policies that name actions must name the gateway by its ARN (AWS refuses them otherwise); give it with --gateway-arn ARN\n"],
    [["--dialect", "cedar", "--profile", "cedar-for-agents"], "mcptape: error: --profile cedar-for-agents names its types in the namespace of its schema stub; give the stub with --stub FILE\n"],
    [["--profile", "toolhive"], "mcptape: error: --profile and the Cedar gateway's settings are for --dialect cedar, not intercept; add --dialect cedar, or leave them out\n"],
  ])("init %j is bad input (exit 2)", async (args, message) => {
    expect(await runCli(["init", "--tools", tools, ...args])).toEqual({ code: 2, stdout: "", stderr: message });
  });
});

describe("a tool name that needs escaping", () => {
  it("is written as a Cedar string the engine reads back as the same name", async () => {
    const dir = tempDir("init-cedar-quote");
    const tools = join(dir, "tools.json");
    const name = 'say "hi" \\ now';
    writeFileSync(tools, JSON.stringify([{ name, annotations: { readOnlyHint: true } }]));
    const policy = join(dir, "starter.cedar");
    expect((await runCli(["init", "--tools", tools, "--dialect", "cedar", "--profile", "toolhive", "-o", policy])).code).toBe(0);
    const scenario = join(dir, "quoted.yaml");
    writeFileSync(scenario, JSON.stringify({
      dialect: "cedar", profile: "toolhive", policy: relative(dir, policy), tools: [{ name }],
      scenarios: [{ name: "allowed by its own policy", calls: [{ tool: name, claims: { sub: "dev" } }], expect: { calls: [{ call: 1, decision: "allow", rule: name }] } }],
    }));
    const r = await runCli(["test", scenario, "--format", "json"]);
    expect((JSON.parse(r.stdout) as { summary: { passed: number } }).summary.passed).toBe(1);
    expect(r.code).toBe(0);
  });
});
