/**
 * `mcptape fuzz` on Cedar policies, through the command line: the classic bypasses of Cedar at
 * an MCP gateway, each found from the policy alone (its constants, read from cedar-wasm's JSON
 * form), decided by the official engine under the gateway's profile, shrunk, and saved as a
 * scenario that `mcptape test` fails until the policy is fixed.
 *
 * ToolHive facts (stacklok/toolhive pkg/authz/authorizers/cedar, core.go and entity.go at
 * e25de16c, pinned in test/cedar and scenarios/cedar/toolhive.yaml): every JSON number becomes a
 * Cedar decimal; an array, object or null argument becomes `arg_<k>_present: true`; groups come
 * from `group_claim_name`, else the first of `groups`, `roles`, `cognito:groups` that holds an
 * array; any evaluation error denies.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { BYPASSES, NEVER_PROD, TREASURY_CONFIG, type Bypass } from "./cedar-bypasses.js";
import { writeFiles } from "./helpers.js";

interface JsonFinding {
  tool: string;
  kind: string;
  property: string;
  expected: string;
  claims?: Record<string, unknown>;
  calls: { t: string; args: Record<string, unknown>; decision: string; rule: string | null }[];
  other?: { decision: string; rule: string | null };
  seed: number;
  path: string;
  rerun: string;
  saved?: string;
}

async function fuzz(...args: string[]): Promise<{ code: number; findings: JsonFinding[]; stderr: string }> {
  const r = await runCli(["fuzz", "--format", "json", "--seed", "1", ...args]);
  const findings = r.code === 2 ? [] : (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
  return { code: r.code, findings, stderr: r.stderr };
}

function fuzzBypass(b: Bypass) {
  return fuzz(...b.args(writeFiles(b.files)));
}

/** The call that broke the property: the last of the shrunk case. */
function breaking(f: JsonFinding) {
  return f.calls.at(-1)!;
}

describe("fuzzing a Cedar policy finds the classic gateway bypasses", () => {
  it("a ToolHive forbid comparing an argument with a Long never fires: the treasury account goes through", async () => {
    const r = await fuzzBypass(BYPASSES.long);
    expect(r.code).toBe(1);
    expect(r.findings).toHaveLength(1);
    const call = breaking(r.findings[0]!);
    // A JSON number arrives as decimal("1000000.0000"), its text as a String: neither == the Long 1000000.
    expect(Number(call.args.to_account)).toBe(1000000);
    expect(call).toMatchObject({ decision: "allow", rule: "anyone may transfer" });
  });

  it("a ToolHive forbid with > on a Long errors for a JSON number, and any error denies: nothing gets through", async () => {
    const policy = (condition: string) => [
      'permit(principal, action == Action::"call_tool", resource == Tool::"transfer");',
      `forbid(principal, action, resource == Tool::"transfer") when { ${condition} };`,
    ].join("\n");
    const dir = writeFiles({ "gt.cedar": policy("context.arg_amount > 1000"), "eq.cedar": policy("context.arg_amount == 1000") });
    const run = (file: string) => fuzz("-p", join(dir, file), "--profile", "toolhive", "--forbid", "args.amount > 1000", "--runs", "2000");
    // The control: from the same constant the fuzzer does send amounts above 1000, and == lets them through.
    const eq = await run("eq.cedar");
    expect(eq.code).toBe(1);
    expect(breaking(eq.findings[0]!).args.amount).toBeGreaterThan(1000);
    const gt = await run("gt.cedar");
    expect(gt.code).toBe(0);
    expect(gt.findings).toEqual([]);
  });

  it("an argument sent as an array becomes arg_<k>_present and dodges the arg_<k> check", async () => {
    const r = await fuzzBypass(BYPASSES.array);
    expect(r.code).toBe(1);
    const call = breaking(r.findings[0]!);
    expect(Array.isArray(call.args.name)).toBe(true);
    expect(call.args.name).toContain("prod");
    expect(call.decision).toBe("allow");
  });

  it("a like \"/safe/*\" prefix check lets a path that climbs out with .. through", async () => {
    const r = await fuzzBypass(BYPASSES.like);
    expect(r.code).toBe(1);
    const call = breaking(r.findings[0]!);
    expect(call.args.path).toMatch(/^\/safe\/.*\.\./);
    expect(call).toMatchObject({ decision: "allow", rule: "reads under /safe" });
  });

  it("a like \"/admin/*\" forbid is case-sensitive: /ADMIN/ goes through", async () => {
    const r = await fuzzBypass(BYPASSES.likeCase);
    expect(r.code).toBe(1);
    const call = breaking(r.findings[0]!);
    expect(call.args.path).toMatch(/^\/admin\//i);
    expect(call.args.path).not.toMatch(/^\/admin\//);
    expect(call.decision).toBe("allow");
  });

  it("a group claim under a fallback claim name is never read when an earlier name holds a list: a contractor deploys", async () => {
    const r = await fuzzBypass(BYPASSES.group);
    expect(r.code).toBe(1);
    const f = r.findings[0]!;
    expect(JSON.stringify(f.claims?.roles)).toContain("contractors");
    expect(breaking(f)).toMatchObject({ decision: "allow", rule: "policy0" });
  });
});

describe("mcptape fuzz on Cedar policies", () => {
  it("takes claims from the policy's own references: the caller joins the group a permit names, or gets the claim it compares", async () => {
    const dir = writeFiles({
      "authz.cedar": [
        '@id("admins deploy") permit(principal in THVGroup::"admins", action == Action::"call_tool", resource == Tool::"deploy");',
        '@id("finance pays") permit(principal, action == Action::"call_tool", resource == Tool::"pay") when { context.claim_department == "finance" };',
      ].join("\n"),
      "claims.yaml": "nobody: { sub: nobody }\n",
    });
    const r = await fuzz("-p", join(dir, "authz.cedar"), "--profile", "toolhive", "--claims", join(dir, "claims.yaml"), "--forbid", 'claims.sub == "nobody"');
    expect(r.code).toBe(1);
    const byTool = new Map(r.findings.map((f) => [f.tool, f]));
    const deploy = byTool.get("deploy")!;
    expect(breaking(deploy)).toMatchObject({ decision: "allow", rule: "admins deploy" });
    expect(Object.values(deploy.claims ?? {}).some((v) => Array.isArray(v) && v.includes("admins"))).toBe(true);
    const pay = byTool.get("pay")!;
    expect(breaking(pay)).toMatchObject({ decision: "allow", rule: "finance pays" });
    expect(pay.claims?.department).toBe("finance");
  });

  it("--claims whose callers all lack a sub still reaches the policy: ToolHive refuses those before Cedar, so a plain caller is fuzzed beside them", async () => {
    const dir = writeFiles({
      "echo.cedar": '@id("everyone may echo") permit(principal, action == Action::"call_tool", resource == Tool::"echo");',
      "claims.yaml": "old-recording: { groups: [engineering] }\n",
      "tools.json": JSON.stringify([{ name: "echo", inputSchema: { type: "object", properties: { message: { type: "string" } } } }]),
    });
    const r = await fuzz("-p", join(dir, "echo.cedar"), "--profile", "toolhive", "--claims", join(dir, "claims.yaml"), "--tools", join(dir, "tools.json"), "--forbid", 'args.message contains "x"', "--runs", "2000");
    expect(r.code).toBe(1);
    expect(breaking(r.findings[0]!)).toMatchObject({ decision: "allow", rule: "everyone may echo" });
  });

  it("reaches each profile's request: AgentCore's context.input and the principal's tags", async () => {
    const dir = writeFiles({
      "ac.cedar": 'permit(principal, action == AgentCore::Action::"bank___transfer", resource) when { context.input.amount < 500 && principal.hasTag("scope") && principal.getTag("scope") like "*payments*" };',
      "tools.json": JSON.stringify([{ name: "transfer", inputSchema: { type: "object", properties: { amount: { type: "integer" } } } }]),
    });
    const r = await fuzz("-p", join(dir, "ac.cedar"), "--profile", "agentcore", "--target", "bank", "--tools", join(dir, "tools.json"), "--forbid", "args.amount < 500", "--runs", "2000");
    expect(r.code).toBe(1);
    const f = r.findings[0]!;
    expect(String(f.claims?.scope)).toContain("payments");
    expect(breaking(f).decision).toBe("allow");
  });

  // docs/spec/dialect-cedar.md: a bare tool name needs --target; without it every call is undecided.
  it("refuses AgentCore tools without a <target>___ prefix and no --target, exit 2: fuzzing calls no gateway decides would find nothing and pass", async () => {
    const dir = writeFiles({
      "ac.cedar": "permit(principal, action, resource);",
      "tools.json": JSON.stringify([{ name: "transfer", inputSchema: { type: "object", properties: { amount: { type: "integer" } } } }]),
    });
    const r = await fuzz("-p", join(dir, "ac.cedar"), "--profile", "agentcore", "--tools", join(dir, "tools.json"), "--forbid", "args.amount < 500", "--runs", "50");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tool transfer has no "<target>___" prefix and no --target was given');
    expect(r.stderr).toContain("give the gateway target with --target");
    const targeted = await fuzz("-p", join(dir, "ac.cedar"), "--profile", "agentcore", "--target", "bank", "--tools", join(dir, "tools.json"), "--forbid", "args.amount < 500", "--runs", "50");
    expect(targeted.code).toBe(1);
  });

  it("reaches Docker's oauth_scopes through the scope claim", async () => {
    const dir = writeFiles({
      "docker.cedar": 'permit(principal, action == MCP::Action::"invokeTool", resource) when { resource.name == "deploy" && context.oauth_scopes.contains("deploy:write") };',
    });
    const r = await fuzz("-p", join(dir, "docker.cedar"), "--profile", "docker", "--forbid", 'claims.scope contains "deploy:write"', "--runs", "2000");
    expect(r.code).toBe(1);
    expect(r.findings[0]!.tool).toBe("deploy");
    expect(breaking(r.findings[0]!).decision).toBe("allow");
  });

  it("runs ToolHive's token buckets (--limits) before Cedar: 3 a minute never lets 7 through in a minute, but refills a 4th", async () => {
    const dir = writeFiles({
      ...BYPASSES.likeCase.files,
      "limits.yaml": "shared: { maxTokens: 3, refillPeriod: 1m }\n",
      "six.yaml": "read_file:\n  - { max_calls: 6, per: 60s }\n",
      "three.yaml": "read_file:\n  - { max_calls: 3, per: 60s }\n",
    });
    const run = (properties: string, ...more: string[]) =>
      fuzz("-p", join(dir, "admin.cedar"), "--profile", "toolhive", "--properties", join(dir, properties), "--runs", "2000", ...more);
    expect((await run("six.yaml")).code).toBe(1);
    expect((await run("six.yaml", "--limits", join(dir, "limits.yaml"))).code).toBe(0);
    const refilled = await run("three.yaml", "--limits", join(dir, "limits.yaml"));
    expect(refilled.code).toBe(1);
    // The finding holds only what breaks the property: four allowed calls within 60 s, the fourth
    // on a token refilled (3 a minute: one every 20 s) after the bucket's three were spent.
    const calls = refilled.findings[0]!.calls;
    expect(calls.map((c) => c.decision)).toEqual(["allow", "allow", "allow", "allow"]);
    const span = Date.parse(calls[3]!.t) - Date.parse(calls[0]!.t);
    expect(span).toBeLessThan(60_000);
    expect(span).toBeGreaterThanOrEqual(20_000);
  });

  it("--against a stricter baseline reports a call the Cedar candidate allows and the baseline refuses", async () => {
    const dir = writeFiles({
      "authz.json": TREASURY_CONFIG,
      "baseline.yaml": 'version: "1"\ntools:\n  transfer:\n    rules:\n      - name: small only\n        conditions:\n          - { path: args.amount, op: lte, value: 100 }\n',
    });
    const r = await fuzz("-p", join(dir, "authz.json"), "--against", join(dir, "baseline.yaml"));
    expect(r.code).toBe(1);
    const f = r.findings[0]!;
    expect(f.kind).toBe("against");
    expect(f.property).toBe("allowed where the --against policy refuses");
    expect(breaking(f).decision).toBe("allow");
    expect(f.other?.decision).toBe("deny");
  });

  it("--against with a Cedar side reports no tightening: a candidate that only denies more passes", async () => {
    const dir = writeFiles({
      "authz.json": TREASURY_CONFIG,
      "baseline.cedar": 'permit(principal, action == Action::"call_tool", resource == Tool::"transfer");',
    });
    const r = await fuzz("-p", join(dir, "authz.json"), "--against", join(dir, "baseline.cedar"), "--profile", "toolhive", "--runs", "2000");
    expect(r.code).toBe(0);
  });

  it("a forbid over claims without a Cedar policy is bad input: no claims would ever be sent", async () => {
    const dir = writeFiles({ "p.yaml": 'version: "1"\ntools:\n  deploy:\n    rules: []\n' });
    const r = await fuzz("-p", join(dir, "p.yaml"), "--forbid", 'claims.groups contains "x"');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/claims are sent only to a Cedar policy/);
  });

  it("the printed seed and path replay the same finding with the Cedar flags", async () => {
    const dir = writeFiles({
      "authz.yaml": `version: '1.0'\ntype: cedarv1\ncedar:\n  policies:\n    - 'permit(principal, action == Action::"call_tool", resource == Tool::"deploy") unless { principal in THVGroup::"contractors" };'\n`,
      "claims.yaml": "alice: { sub: alice, groups: [staff] }\n",
    });
    const flags = ["-p", join(dir, "authz.yaml"), "--claims", join(dir, "claims.yaml"), "--forbid", 'claims.roles contains "contractors"'];
    const first = (await fuzz(...flags)).findings[0]!;
    expect(first.rerun).toContain(`--claims ${join(dir, "claims.yaml")}`);
    const again = await fuzz(...flags, "--tool", "deploy", "--path", first.path);
    expect(again.findings).toHaveLength(1);
    expect(again.findings[0]!.claims).toEqual(first.claims);
    expect(again.findings[0]!.calls).toEqual(first.calls);
  });

  it("a saved finding that needs --entities names the file in its gateway: mcptape test fails it without the flag, and passes once fixed", async () => {
    const dir = writeFiles({
      // Without the Config entity the permit errors, and any ToolHive error denies: the finding holds only with --entities.
      "flagged.cedar": 'permit(principal, action == Action::"call_tool", resource == Tool::"deploy") when { Config::"flags".deploy_open };',
      "entities.json": JSON.stringify([{ uid: { type: "Config", id: "flags" }, attrs: { deploy_open: true }, parents: [] }]),
    });
    const saveDir = join(dir, "found");
    const r = await fuzz("-p", join(dir, "flagged.cedar"), "--profile", "toolhive", "--entities", join(dir, "entities.json"), "--forbid", 'claims.sub == "mallory"', "--save", saveDir);
    expect(r.code).toBe(1);
    expect(readFileSync(r.findings[0]!.saved!, "utf8")).toContain("gateway:\n  entities: ../entities.json\n");
    const failing = await runCli(["test", saveDir]);
    expect(failing.stdout).toMatch(/expected deny, got allow/);
    expect(failing.code).toBe(1);

    writeFileSync(join(dir, "flagged.cedar"), 'permit(principal, action == Action::"call_tool", resource == Tool::"deploy") when { Config::"flags".deploy_open } unless { principal == Client::"mallory" };');
    const passing = await runCli(["test", saveDir]);
    expect(passing.stdout).toMatch(/1 passed/);
    expect(passing.code).toBe(0);
  });

  it("a saved finding is a Cedar scenario that mcptape test fails, and passes once the policy is fixed", async () => {
    const dir = writeFiles({
      "names.cedar": NEVER_PROD,
      "claims.yaml": "ops: { sub: ops, groups: [dba] }\n",
    });
    const saveDir = join(dir, "found");
    const r = await fuzz("-p", join(dir, "names.cedar"), "--profile", "toolhive", "--claims", join(dir, "claims.yaml"), "--forbid", 'args.name contains "prod"', "--save", saveDir);
    expect(r.code).toBe(1);
    expect(readdirSync(saveDir)).toHaveLength(1);
    const failing = await runCli(["test", saveDir]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/expected deny, got allow/);

    // The fix: a name that is not a plain string is refused too.
    writeFileSync(join(dir, "names.cedar"), [
      'permit(principal, action == Action::"call_tool", resource == Tool::"drop_database");',
      'forbid(principal, action, resource == Tool::"drop_database") when { context has arg_name_present || (context has arg_name && context.arg_name like "*prod*") };',
    ].join("\n"));
    const passing = await runCli(["test", saveDir]);
    expect(passing.stdout).toMatch(/1 passed/);
    expect(passing.code).toBe(0);
  });
});
