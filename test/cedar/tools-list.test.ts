/**
 * Coverage's tool lines for Cedar: the tools each gateway would leave out of its tools/list
 * answer (docs/spec/dialect-cedar.md, the `tools/list` row) and the tools no permit can reach.
 * The tape is server-everything recorded with alice's claims (sub alice, groups [engineering]).
 */
import { describe, expect, it } from "vitest";
import { loadCedar, type ToolDescription } from "../../src/cedar/index.js";
import { ALICE_TAPE, files, mcptape } from "./helpers.js";

interface ToolLines {
  unreachableTools: string[];
  hiddenFromToolsList: { tool: string; from: string[] }[];
}

/** The tools server-everything lists on the tape. */
const LISTED = [
  "echo", "get-annotated-message", "get-env", "get-resource-links", "get-resource-reference", "get-structured-content", "get-sum",
  "get-tiny-image", "gzip-file-as-resource", "simulate-research-query", "toggle-simulated-logging", "toggle-subscriber-updates",
  "trigger-long-running-operation",
];
/** Called on the tape, never listed. */
const CALLED_ONLY = ["delete-everything"];
/** The tools server-everything annotates readOnlyHint: false. */
const WRITERS = ["gzip-file-as-resource", "simulate-research-query", "toggle-simulated-logging", "toggle-subscriber-updates"];

async function coverage(policy: string, ...flags: string[]): Promise<ToolLines> {
  const { p } = files({ "p.cedar": policy });
  const ran = await mcptape("replay", ALICE_TAPE, "-p", p!, "--coverage", "--format", "json", ...flags);
  expect(ran.code, ran.stderr).toBe(0);
  return (JSON.parse(ran.stdout) as { coverage: ToolLines }).coverage;
}

function hidden(lines: ToolLines): string[] {
  return lines.hiddenFromToolsList.map((h) => h.tool);
}

describe("tools/list filtering and unreachable tools", () => {
  // stacklok/toolhive pkg/authz/tool_filter.go (e25de16c), filterToolsByPolicy: each listed tool is
  // authorized as a call_tool with nil arguments and the tool's annotations; denied or erroring
  // tools are left out ("Authorization check failed for tool, skipping").
  it("ToolHive lists a tool only when a call with no arguments would be allowed; a check that errors hides it", async () => {
    const lines = await coverage(`
      permit(principal in THVGroup::"engineering", action == Action::"call_tool", resource) when { resource.readOnlyHint };
      forbid(principal, action == Action::"call_tool", resource == Tool::"get-sum") when { context.arg_a.greaterThan(decimal("10.0")) };
    `, "--profile", "toolhive");
    // get-sum is read-only, but without arguments its forbid errors (no arg_a), and any error denies.
    expect(hidden(lines)).toEqual(["get-sum", ...WRITERS].sort());
    expect(lines.hiddenFromToolsList[0]!.from).toEqual(["alice"]);
  });

  // AWS, use-gateway-with-policy ("List AgentCore Gateway Tools with Policy"): a principal may list
  // a tool "if there exists any set of circumstances under which a call to that tool would be permitted".
  it("AgentCore lists a tool when some input could be allowed (Cedar's partial evaluation, the input left unknown)", async () => {
    const lines = await coverage(`
      permit(principal, action == AgentCore::Action::"everything___get-sum", resource) when { context.input.a.lessThan(decimal("10.0")) };
      permit(principal, action in AgentCore::Action::"CallTool", resource == AgentCore::Gateway::"arn:aws:bedrock-agentcore:us-east-1:1:gateway/other");
      permit(principal, action == AgentCore::Action::"everything___echo", resource);
      permit(principal, action == AgentCore::Action::"everything___get-env", resource);
      forbid(principal, action == AgentCore::Action::"everything___get-env", resource);
    `, "--profile", "agentcore", "--target", "everything");
    // get-sum: some input is allowed; get-env: a forbid that always holds; the rest: no permit for this gateway.
    expect(hidden(lines)).toEqual(LISTED.filter((t) => t !== "echo" && t !== "get-sum"));
  });

  it("Docker lists every tool, whatever the policies say", async () => {
    const lines = await coverage(`permit(principal, action, resource == MCP::Tool::"echo");`, "--profile", "docker");
    expect(lines.hiddenFromToolsList).toEqual([]);
  });

  it("names the listed and called tools that no permit's action and resource constraints match", async () => {
    const lines = await coverage(`
      permit(principal == Client::"someone-else", action == Action::"call_tool", resource == Tool::"echo");
      permit(principal, action == Action::"list_tools", resource);
      permit(principal, action, resource in MCP::"another-server");
      forbid(principal, action, resource == Tool::"get-sum");
    `, "--profile", "toolhive", "--server", "everything");
    // A permit for someone else still reaches echo: a principal is not the tool's to choose.
    expect(lines.unreachableTools).toEqual([...LISTED, ...CALLED_ONLY].filter((t) => t !== "echo").sort());
  });

  it("says so in the text report beside the rules that decided no call", async () => {
    const { p } = files({ "p.cedar": `permit(principal, action, resource == Tool::"echo");` });
    const ran = await mcptape("replay", ALICE_TAPE, "-p", p!, "--profile", "toolhive", "--coverage", "--color", "never");
    expect(ran.stdout).toContain("tool no permit can reach: get-sum");
    expect(ran.stdout).toContain("tool the gateway hides from tools/list: get-sum (from alice)");
  });
});

// ToolHive's own vectors, pkg/authz/tool_filter_test.go (e25de16c): the caller has claims
// {sub: user123, name: Test User}; a listed tool is checked as a call with nil arguments.
describe("ToolHive's tool filter vectors", () => {
  function listedBy(policies: string[], tools: string[]): string[] {
    const loaded = loadCedar(policies.join("\n"), "p.cedar", "toolhive", {});
    const engine = loaded.engine!;
    const known = new Map<string, ToolDescription>(tools.map((name) => [name, { name }]));
    const claims = { sub: "user123", name: "Test User" };
    return tools.filter((tool) => engine.listed({ tool, args: { ignored: true }, claims, identity: undefined, tools: known, t: 0 }));
  }

  it("TestFilterToolsByPolicy_WithCedarAuthorizer: keeps only the permitted tool, or none", () => {
    const policy = [`permit(principal, action == Action::"call_tool", resource == Tool::"weather");`];
    expect(listedBy(policy, ["weather", "calculator", "translator"])).toEqual(["weather"]);
    expect(listedBy(policy, ["calculator", "translator"])).toEqual([]);
  });

  it("TestAuthorizeToolCall_WithArguments, 'denies when arguments are missing': a tool whose permit reads an argument is not listed", () => {
    const policy = [`permit(principal, action == Action::"call_tool", resource == Tool::"deploy") when { context.arg_mode == "safe" };`];
    expect(listedBy(policy, ["deploy"])).toEqual([]);
  });
});
