/**
 * ToolHive's rate limits (`--limits`, a scenario's `limits:`) exist only beside the toolhive
 * profile (docs/spec/dialect-cedar.md, "What mcptape builds today"). Given where no policy of
 * the run is decided under toolhive they would throttle nothing, so a gate expecting "no call
 * throttled" would pass on limits never checked: each command refuses them instead (exit 2).
 */
import { describe, expect, it } from "vitest";
import { ALICE_TAPE, CEDAR, ROOT, files, mcptape } from "./helpers.js";

const LIMITS = "shared: { maxTokens: 1, refillPeriod: 1m }\n";
const DEMO = `${ROOT}/fixtures/policies/demo.yaml`;

function refused(ran: { code: number; stderr: string }, limitsFile: string, why: string): void {
  expect(ran.code).toBe(2);
  expect(ran.stderr).toContain(`${limitsFile}: error: --limits is ToolHive's rate-limit config`);
  expect(ran.stderr).toContain(why);
  expect(ran.stderr).not.toMatch(/\n\s+at /);
}

describe("--limits where no policy is decided under the toolhive profile", () => {
  it("replay refuses it beside an agentcore or docker Cedar set and beside an Intercept policy", async () => {
    const { limits } = files({ "limits.yaml": LIMITS });
    const agentcore = await mcptape("replay", ALICE_TAPE, "-p", `${CEDAR}/agentcore.cedar`, "--profile", "agentcore", "--target", "everything", "--limits", limits!);
    refused(agentcore, limits!, "agentcore.cedar is decided under the agentcore profile");
    const docker = await mcptape("replay", ALICE_TAPE, "-p", `${CEDAR}/docker.cedar`, "--profile", "docker", "--limits", limits!);
    refused(docker, limits!, "docker.cedar is decided under the docker profile");
    refused(await mcptape("replay", ALICE_TAPE, "-p", DEMO, "--limits", limits!), limits!, "demo.yaml is not a Cedar policy");
  });

  it("diff refuses it when neither side is toolhive, and applies it to the toolhive side of an Intercept → ToolHive migration", async () => {
    const { limits } = files({ "limits.yaml": LIMITS });
    const neither = await mcptape("diff", ALICE_TAPE, "--base", DEMO, "--head", `${CEDAR}/agentcore.cedar`, "--profile", "agentcore", "--target", "everything", "--limits", limits!);
    refused(neither, limits!, "demo.yaml is not a Cedar policy and");
    const migration = await mcptape("diff", ALICE_TAPE, "--base", DEMO, "--head", `${CEDAR}/toolhive.cedar`, "--profile", "toolhive", "--limits", limits!, "--format", "json");
    expect(migration.code).toBe(0);
    // One token a minute, and the tape lasts about 2 s: every call after the first is throttled on the ToolHive side.
    const heads = (JSON.parse(migration.stdout) as { decisions: { head: { decision: string } }[] }).decisions.map((d) => d.head.decision);
    expect(heads[0]).not.toBe("throttle");
    expect(heads.slice(1)).toEqual(Array(heads.length - 1).fill("throttle"));
  });

  it("fuzz refuses it beside an agentcore policy", async () => {
    const { limits } = files({ "limits.yaml": LIMITS });
    const ran = await mcptape("fuzz", "-p", `${CEDAR}/agentcore.cedar`, "--profile", "agentcore", "--target", "everything", "--limits", limits!, "--runs", "5");
    refused(ran, limits!, "agentcore.cedar is decided under the agentcore profile");
  });

  it("test errors a scenario whose own limits: sit beside another profile, at the limits: line, instead of passing an expected allow", async () => {
    const { s } = files({
      "s.yaml": [
        "dialect: cedar",
        "profile: agentcore",
        "gateway: { target: shop }",
        "limits:",
        "  shared: { maxTokens: 1, refillPeriod: 1m }",
        "policy: |",
        "  permit(principal, action, resource);",
        "calls:",
        '  - { t: "2026-01-01T00:00:00Z", tool: buy, claims: { sub: a } }',
        '  - { t: "2026-01-01T00:00:01Z", tool: buy, claims: { sub: a } }',
        "expect:",
        "  summary: { allow: 2, throttle: 0 }",
        "",
      ].join("\n"),
    });
    const ran = await mcptape("test", s!);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain(`${s!}:5:3: error: limits: is ToolHive's rate-limit config`);
    expect(ran.stderr).toContain("decided under the agentcore profile");
  });

  it("validate reports it as an error at the limits file when no policy given is toolhive, and not when one of them is", async () => {
    const { limits } = files({ "limits.yaml": LIMITS });
    const ran = await mcptape("validate", `${CEDAR}/agentcore.cedar`, "--profile", "agentcore", "--limits", limits!, "--format", "json");
    expect(ran.code).toBe(2);
    const { diagnostics } = JSON.parse(ran.stdout) as { diagnostics: { file: string; line: number; col: number; severity: string; message: string }[] };
    expect(diagnostics).toContainEqual(expect.objectContaining({ file: limits!, line: 1, col: 1, severity: "error", message: expect.stringContaining("agentcore.cedar is decided under the agentcore profile") }));
    const mixed = await mcptape("validate", `${CEDAR}/toolhive.cedar`, DEMO, "--profile", "toolhive", "--limits", limits!);
    expect(mixed.stdout).not.toContain("--limits is ToolHive's");
  });
});

describe("validate --limits --tools", () => {
  it("warns at a tool rate limit naming none of the listed tools (ToolHive's CRD takes any name), with a did-you-mean; --strict fails on it", async () => {
    const { limits } = files({ "limits.yaml": "shared: { maxTokens: 50, refillPeriod: 1m }\ntools:\n  - name: echo\n    perUser: { maxTokens: 2, refillPeriod: 1m }\n  - name: get_sum\n    shared: { maxTokens: 1, refillPeriod: 1m }\n" });
    const args = ["validate", `${CEDAR}/toolhive.cedar`, "--profile", "toolhive", "--limits", limits!, "--tools", ALICE_TAPE];
    const ran = await mcptape(...args);
    expect(ran.code).toBe(0);
    // get_sum is line 5, its value at column 11; echo is listed, so it has no warning.
    expect(ran.stdout).toContain(`${limits!}:5:11: warning: the rate limit of tool get_sum never applies`);
    expect(ran.stdout).toContain("did you mean get-sum?");
    expect(ran.stdout).not.toContain("tool echo never applies");
    expect((await mcptape(...args, "--strict")).code).toBe(1);
  });
});

describe("the other Cedar flags where no policy of the run is a Cedar policy", () => {
  it("replay, diff and fuzz refuse them (exit 2) instead of deciding as if they were never given", async () => {
    const message = "mcptape: error: --profile and --claims are Cedar settings, and no policy of this run is a Cedar policy";
    const claims = `${CEDAR}/claims.yaml`;
    const replay = await mcptape("replay", ALICE_TAPE, "-p", DEMO, "--profile", "toolhive", "--claims", claims);
    expect([replay.code, replay.stderr]).toEqual([2, `${message} (${DEMO}: intercept); leave them out, or give a Cedar policy (.cedar text, or a ToolHive authz config)\n`]);
    const diff = await mcptape("diff", ALICE_TAPE, "--base", DEMO, "--head", DEMO, "--profile", "toolhive", "--claims", claims);
    expect([diff.code, diff.stderr.startsWith(message)]).toEqual([2, true]);
    const fuzz = await mcptape("fuzz", "-p", DEMO, "--target", "everything", "--runs", "10");
    expect([fuzz.code, fuzz.stderr]).toEqual([2, `mcptape: error: --target is a Cedar setting, and no policy of this run is a Cedar policy (${DEMO}: intercept); leave them out, or give a Cedar policy (.cedar text, or a ToolHive authz config)\n`]);
  });

  it("validate reports them as an error at the policy (exit 2), in every format, and takes them beside a Cedar policy", async () => {
    const alone = await mcptape("validate", DEMO, "--profile", "toolhive", "--target", "x");
    expect(alone.code).toBe(2);
    expect(alone.stdout).toContain(`${DEMO}:1:1: error: --profile and --target are Cedar settings, and no policy given is a Cedar policy, so nothing was checked with them`);
    const sarif = await mcptape("validate", DEMO, "--profile", "toolhive", "--format", "sarif");
    expect(sarif.code).toBe(2);
    expect(sarif.stdout).toContain("no policy given is a Cedar policy");
    const mixed = await mcptape("validate", `${CEDAR}/toolhive.cedar`, DEMO, "--profile", "toolhive");
    expect(mixed.code).toBe(0);
  });

  it("a diff with one Cedar side takes them: they decide that side", async () => {
    const migration = await mcptape("diff", ALICE_TAPE, "--base", DEMO, "--head", `${CEDAR}/toolhive.cedar`, "--profile", "toolhive", "--format", "json");
    expect(migration.code).toBe(0);
  });
});

describe("test: Cedar flags no scenario of the run was decided with", () => {
  // A warning rather than an error: one shard of a suite may hold no Cedar scenario while another does.
  it("warns that they decided nothing, and --strict fails the run on it", async () => {
    const plain = await mcptape("test", `${ROOT}/scenarios/windows.yaml`, "--profile", "toolhive");
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain("warning: --profile decided nothing: no scenario this run ran is a Cedar policy");
    const strict = await mcptape("test", `${ROOT}/scenarios/windows.yaml`, "--profile", "toolhive", "--strict");
    expect(strict.code).toBe(1);
  });

  it("warns of --limits when no scenario is decided under toolhive, and not when one is", async () => {
    const { limits } = files({ "limits.yaml": LIMITS });
    const docker = await mcptape("test", `${ROOT}/scenarios/cedar/docker.yaml`, "--limits", limits!);
    expect(docker.stdout).toContain("warning: --limits decided nothing: no scenario this run ran is a Cedar policy under the toolhive profile");
    const toolhive = await mcptape("test", `${ROOT}/scenarios/cedar/toolhive.yaml`, "--profile", "toolhive", "--limits", limits!);
    expect(toolhive.stdout).not.toContain("decided nothing");
  });
});
