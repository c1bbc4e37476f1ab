/**
 * `mcptape replay` with Cedar policies, end to end through the command line, over the real
 * server-everything recording (fixtures/cedar/: its session line carries JWT claims).
 * Expectations follow from the policy text and docs/spec/dialect-cedar.md's table.
 */
import { describe, expect, it } from "vitest";
import { ALICE_TAPE, BARE_TAPE, BOB_TAPE, CEDAR, decisions, files, mcptape, type JsonDecision } from "./helpers.js";

const TOOLHIVE = `${CEDAR}/toolhive.cedar`;
/** The gateway fixtures/cedar/agentcore.cedar names (AgentCore wants the ARN where a policy names actions). */
const EVERYTHING_ARN = "arn:aws:bedrock-agentcore:us-east-1:123456789012:gateway/everything";

describe("replay --dialect cedar --profile toolhive", () => {
  it("decides by the session's claims: alice's group reaches read-only tools, forbids win, unlisted tools have no permit", async () => {
    const ran = await mcptape("replay", ALICE_TAPE, "-p", TOOLHIVE, "--profile", "toolhive", "--format", "json");
    expect(ran.code).toBe(0);
    const byTool = new Map(decisions(ran).map((d) => [d.tool, d]));
    // echo is read-only (tools/list says so) and everyone may echo: both permits determine it.
    expect(byTool.get("echo")).toMatchObject({ decision: "allow", rule: "engineers call read-only tools, everyone may echo", message: null });
    expect(byTool.get("get-env")).toMatchObject({ decision: "deny", rule: "no environment dumps", message: "Unauthorized", recorded: "allow" });
    // delete-everything is not in the server's tools/list: no readOnlyHint, so no permit.
    expect(byTool.get("delete-everything")).toMatchObject({ decision: "deny", rule: "(no permit)", message: "Unauthorized" });
    expect(byTool.get("get-tiny-image")).toMatchObject({ decision: "allow", rule: "engineers call read-only tools" });
    const sums = decisions(ran).filter((d) => d.tool === "get-sum");
    expect(sums.map((d) => [d.decision, d.rule])).toEqual([["allow", "engineers call read-only tools"], ["deny", "small sums only"]]);
  });

  it("decides another session's claims differently: bob is not in engineering, so only echo passes", async () => {
    const ran = await mcptape("replay", BOB_TAPE, "-p", TOOLHIVE, "--profile", "toolhive", "--format", "json");
    const allowed = new Set(decisions(ran).filter((d) => d.decision === "allow").map((d) => d.tool));
    expect(allowed).toEqual(new Set(["echo"]));
  });

  it("refuses every call of a session without a sub claim before Cedar, and --claims FILE supplies them by identity", async () => {
    const bare = await mcptape("replay", BARE_TAPE, "-p", TOOLHIVE, "--profile", "toolhive", "--format", "json");
    expect(new Set(decisions(bare).map((d) => d.rule))).toEqual(new Set(["(no principal)"]));
    // The recording's session identity is demo-agent.
    const { claims } = files({ "claims.yaml": "demo-agent:\n  sub: carol\n  groups: [engineering]\n" });
    const withClaims = await mcptape("replay", BARE_TAPE, "-p", TOOLHIVE, "--profile", "toolhive", "--claims", claims!, "--format", "json");
    const alice = await mcptape("replay", ALICE_TAPE, "-p", TOOLHIVE, "--profile", "toolhive", "--format", "json");
    expect(decisions(withClaims).map((d) => [d.decision, d.rule])).toEqual(decisions(alice).map((d) => [d.decision, d.rule]));
  });

  it("reads a ToolHive authz config without --profile and names its policies policy0, policy1, ...", async () => {
    const ran = await mcptape("replay", ALICE_TAPE, "-p", `${CEDAR}/toolhive-authz.json`, "--format", "json");
    expect(ran.code).toBe(0);
    const byTool = new Map(decisions(ran).map((d) => [d.tool, d]));
    expect(byTool.get("echo")?.rule).toBe("policy0, policy1");
    expect(byTool.get("get-env")).toMatchObject({ decision: "deny", rule: "policy2" });
  });

  it("lists every evaluation error on the call, in json and in text; under ToolHive an error denies", async () => {
    const { policy } = files({
      "policy.cedar": '@id("everyone")\npermit(principal, action, resource);\n@id("reads a missing key")\nforbid(principal, action, resource) when { context.no_such_key == 1 };\n',
    });
    const json = await mcptape("replay", ALICE_TAPE, "-p", policy!, "--profile", "toolhive", "--format", "json");
    const first = decisions(json)[0]!;
    expect(first).toMatchObject({ decision: "deny", rule: "(evaluation error)", message: "Unauthorized" });
    expect(first.errors).toHaveLength(1);
    expect(first.errors![0]).toContain("reads a missing key");
    const text = await mcptape("replay", ALICE_TAPE, "-p", policy!, "--profile", "toolhive");
    expect(text.stdout).toMatch(/evaluation error: reads a missing key/);
  });

  it("reports a Cedar policy that never determined a decision in --coverage", async () => {
    const { policy } = files({
      "policy.cedar": '@id("echo")\npermit(principal, action, resource == Tool::"echo");\n@id("never used")\npermit(principal, action, resource == Tool::"no-such-tool");\n',
    });
    const ran = await mcptape("replay", ALICE_TAPE, "-p", policy!, "--profile", "toolhive", "--coverage", "--format", "json");
    const coverage = (JSON.parse(ran.stdout) as { coverage: { rules: number; unexercised: string[] } }).coverage;
    expect(coverage).toMatchObject({ rules: 2, unexercised: ["never used"] });
  });

  it("names two policies that share an @id apart, so coverage and --coverage-threshold see the twin that never fired", async () => {
    // A copy-pasted @id: under one name, the forbid that never decides would count as covered by the permit.
    const { policy } = files({
      "policy.cedar": '@id("echo")\npermit(principal, action, resource == Tool::"echo");\n@id("echo")\nforbid(principal, action, resource == Tool::"no-such-tool");\n',
    });
    const ran = await mcptape("replay", ALICE_TAPE, "-p", policy!, "--profile", "toolhive", "--coverage", "--format", "json", "--coverage-threshold", "100");
    const coverage = (JSON.parse(ran.stdout) as { coverage: { rules: number; unexercised: string[] } }).coverage;
    expect(coverage).toMatchObject({ rules: 2, unexercised: ["echo (policy1)"] });
    expect(decisions(ran).find((d) => d.tool === "echo")?.rule).toBe("echo (policy0)");
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(`${policy!}:3:1: warning: policy policy1 is named "echo" like the policy at 1:1`);
  });

  it("recognises ToolHive's recorded 403 Unauthorized as a deny, so a looser policy shows as changed", async () => {
    const session = '{"kind":"session","session":"h1","t":"2026-01-01T00:00:00.000Z","claims":{"sub":"alice"}}';
    const call = '{"kind":"msg","seq":1,"t":"2026-01-01T00:00:01.000Z","session":"h1","dir":"c2s","msg":{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{}}}}';
    const refused = '{"kind":"msg","seq":2,"t":"2026-01-01T00:00:01.100Z","session":"h1","dir":"s2c","http":403,"msg":{"jsonrpc":"2.0","id":1,"error":{"code":403,"message":"Unauthorized"}}}';
    const header = '{"kind":"header","tape":1,"id":"t","t":"2026-01-01T00:00:00.000Z","recorder":{"name":"hand","version":"0"},"transport":"hand"}';
    const { tape, policy } = files({
      "tape.jsonl": [header, session, call, refused, ""].join("\n"),
      "policy.cedar": "permit(principal, action, resource);\n",
    });
    const ran = await mcptape("replay", tape!, "-p", policy!, "--profile", "toolhive", "--format", "json", "--fail-on", "changed");
    expect(decisions(ran)).toEqual([expect.objectContaining({ tool: "echo", decision: "allow", recorded: "deny" })]);
    expect(ran.code).toBe(1);
  });

  it("--limits: ToolHive's shared bucket of 5 lets the first five calls reach Cedar and throttles the rest of a 2-second burst", async () => {
    const { limits } = files({ "limits.yaml": "shared: { maxTokens: 5, refillPeriod: 1m }\n" });
    const ran = await mcptape("replay", ALICE_TAPE, "-p", TOOLHIVE, "--profile", "toolhive", "--limits", limits!, "--format", "json");
    const kinds = decisions(ran).map((d) => d.decision);
    // The tape's 15 calls span about 2.2 s: 5 tokens a minute refill less than one token in that time.
    expect(kinds.slice(0, 5)).not.toContain("throttle");
    expect(kinds.slice(5)).toEqual(Array(10).fill("throttle"));
    expect(decisions(ran)[5]).toMatchObject({ rule: "rate limit shared", message: "Rate limit exceeded" });
  });

  it("stops with exit 2 on a Cedar policy given no --profile, listing the profiles and what each means", async () => {
    const ran = await mcptape("replay", ALICE_TAPE, "-p", TOOLHIVE);
    expect(ran.code).toBe(2);
    for (const profile of ["toolhive", "agentcore", "docker", "cedar-for-agents"]) expect(ran.stderr).toContain(`  ${profile}: `);
    expect(ran.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("replay under the other profiles", () => {
  it("agentcore: the action is <target>___<tool> and a refusal says what AgentCore says", async () => {
    const ran = await mcptape("replay", ALICE_TAPE, "-p", `${CEDAR}/agentcore.cedar`, "--profile", "agentcore", "--target", "everything", "--gateway-arn", EVERYTHING_ARN, "--format", "json");
    const byTool = new Map(decisions(ran).map((d) => [d.tool, d]));
    expect(byTool.get("echo")?.rule).toContain("echo for any signed-in user");
    expect(byTool.get("get-env")).toMatchObject({ decision: "deny", message: "Tool Execution Denied: Tool call not allowed due to policy enforcement" });
  });

  // docs/spec/dialect-cedar.md, the action row: a tool name without `___` needs --target.
  it("agentcore without --target: a tool without the <target>___ prefix is undecided, never the allow a request no gateway sends gets", async () => {
    const ran = await mcptape("replay", ALICE_TAPE, "-p", `${CEDAR}/agentcore.cedar`, "--profile", "agentcore", "--format", "json");
    expect(ran.code).toBe(0);
    const all = decisions(ran);
    expect(all.length).toBeGreaterThan(0);
    for (const d of all) {
      expect(d).toMatchObject({ decision: "undecided", rule: null });
      expect(d.message).toContain(`cannot decide without --target: tool ${d.tool} has no "<target>___" prefix`);
    }
    // Not a change from the recording (it decided nothing), and a gate on undecided calls fails.
    expect((JSON.parse(ran.stdout) as { summary: { changed: number } }).summary.changed).toBe(0);
    const gated = await mcptape("replay", ALICE_TAPE, "-p", `${CEDAR}/agentcore.cedar`, "--profile", "agentcore", "--fail-on", "undecided");
    expect(gated.code).toBe(1);
    expect(gated.stderr).toContain(`--fail-on undecided: ${all.length} calls failed the run`);
  });

  it("docker: a deciding permit with @requireApproval holds the call for a human", async () => {
    const ran = await mcptape("replay", ALICE_TAPE, "-p", `${CEDAR}/docker.cedar`, "--profile", "docker", "--server", "everything", "--format", "json");
    const byTool = new Map(decisions(ran).map((d) => [d.tool, d]));
    expect(byTool.get("trigger-long-running-operation")).toMatchObject({ decision: "approval", message: "long-running operations tie up the server" });
    expect(byTool.get("get-env")?.message).toBe("policy denied tool get-env on server everything: no environment dumps");
  });
});

describe("a human's answer to a Docker approval (--approvals), as for Intercept", () => {
  async function longOperation(answer: string): Promise<JsonDecision | undefined> {
    const ran = await mcptape("replay", ALICE_TAPE, "-p", `${CEDAR}/docker.cedar`, "--profile", "docker", "--server", "everything", "--approvals", answer, "--format", "json");
    return decisions(ran).find((d) => d.tool === "trigger-long-running-operation");
  }

  it("pending: the call stays held for approval", async () => {
    expect(await longOperation("pending")).toMatchObject({ decision: "approval", rule: "read-only tools, long operations need a human" });
  });

  it("approve: the call is allowed and marked approved, under the rule that held it", async () => {
    expect(await longOperation("approve")).toMatchObject({ decision: "allow", approved: true, rule: "read-only tools, long operations need a human", message: null });
  });

  it("deny: the call is denied by the rule that asked for approval", async () => {
    expect(await longOperation("deny")).toMatchObject({ decision: "deny", rule: "read-only tools, long operations need a human", message: expect.stringContaining("a human refused") });
  });
});

describe("calls an imported audit log kept no arguments of", () => {
  it("are undecided under Cedar: the profile turns every argument into its context", async () => {
    const { "allow-all": policy } = files({ "allow-all.cedar": "permit(principal, action, resource);\n" });
    const ran = await mcptape("replay", "fixtures/seed-tapes/aws-support-intercept-audit.jsonl", "-p", policy!, "--profile", "docker", "--format", "json");
    const out = JSON.parse(ran.stdout) as { summary: Record<string, number>; decisions: JsonDecision[] };
    const create = out.decisions.filter((d) => d.tool === "create_support_case");
    expect(create.length).toBeGreaterThan(0);
    for (const d of create) expect(d).toMatchObject({ decision: "undecided", message: expect.stringContaining("cannot decide without args") });
    expect(out.summary.undecided).toBe(out.decisions.filter((d) => d.decision === "undecided").length);
    expect(out.summary.allow).toBe(out.decisions.filter((d) => d.decision === "allow").length);
  });
});
