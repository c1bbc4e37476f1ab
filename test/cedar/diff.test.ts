/** `mcptape diff` with Cedar on one side or both, end to end through the command line. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { ALICE_TAPE, BOB_TAPE, CEDAR, ROOT, files, mcptape } from "./helpers.js";

interface Side {
  decision: string;
  rule: string | null;
  message: string | null;
}
interface Diffed {
  tool: string;
  base: Side;
  head: Side;
  changed: boolean;
}

function diffed(stdout: string): Diffed[] {
  return (JSON.parse(stdout) as { decisions: Diffed[] }).decisions;
}

describe("diff of calls no policy can decide", () => {
  it("warns once per tape, with why, instead of reading only 'no decision changed' (AgentCore without --target), on one thread and on worker threads", async () => {
    const args = ["diff", ALICE_TAPE, BOB_TAPE, "--base", `${CEDAR}/agentcore.cedar`, "--head", `${CEDAR}/toolhive.cedar`, "--profile", "agentcore"];
    const one = await mcptape(...args, "--jobs", "1");
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("no decision changed");
    for (const tape of [ALICE_TAPE, BOB_TAPE]) {
      const warnings = one.stderr.split("\n").filter((l) => l.startsWith(`mcptape: warning: ${tape}:`));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/is undecided under both policies, so its decisions are not compared .*: cannot decide without --target/);
    }
    const two = await mcptape(...args, "--jobs", "2");
    expect([two.code, two.stdout, two.stderr]).toEqual([one.code, one.stdout, one.stderr]);
  });
});

describe("diff with Cedar", () => {
  it("compares an Intercept policy with a ToolHive Cedar set over the same tape (a migration between gateways)", async () => {
    const ran = await mcptape("diff", ALICE_TAPE, "--base", `${ROOT}/fixtures/policies/demo.yaml`, "--head", `${CEDAR}/toolhive.cedar`, "--profile", "toolhive", "--format", "json");
    expect(ran.code).toBe(0);
    const byTool = new Map(diffed(ran.stdout).map((d) => [d.tool, d]));
    // demo.yaml allows unlisted tools (default: allow); the Cedar set has no permit for a tool tools/list never described.
    expect(byTool.get("delete-everything")).toMatchObject({ base: { decision: "allow" }, head: { decision: "deny", rule: "(no permit)", message: "Unauthorized" } });
    // Both refuse get-env, each in its own words.
    expect(byTool.get("get-env")).toMatchObject({
      base: { decision: "deny", rule: "no environment dumps" },
      head: { decision: "deny", rule: "no environment dumps", message: "Unauthorized" },
    });
    // Intercept holds long operations for approval; the Cedar set lets engineers run read-only tools.
    expect(byTool.get("trigger-long-running-operation")).toMatchObject({ base: { decision: "approval" }, head: { decision: "allow" } });
  });

  it("between two gateways compares decisions only: a call both allow is no change, though each names its own rule", async () => {
    const args = ["diff", ALICE_TAPE, "--base", `${ROOT}/fixtures/policies/demo.yaml`, "--head", `${CEDAR}/toolhive.cedar`, "--profile", "toolhive"];
    const json = diffed((await mcptape(...args, "--format", "json")).stdout);
    const bothAllow = json.filter((d) => d.base.decision === "allow" && d.head.decision === "allow");
    expect(bothAllow.length).toBeGreaterThan(0);
    expect(bothAllow.some((d) => d.base.rule !== d.head.rule)).toBe(true); // Intercept names no rule for an allow; Cedar names the permit
    expect(bothAllow.filter((d) => d.changed)).toEqual([]);
    // Both deny get-env, each with its own message: not a change either.
    expect(json.find((d) => d.tool === "get-env")).toMatchObject({ base: { decision: "deny" }, head: { decision: "deny" }, changed: false });
    expect(json.filter((d) => d.changed).every((d) => d.base.decision !== d.head.decision)).toBe(true);
    const line = "The base policy is decided as intercept, the head as cedar (toolhive): their rules and messages name different things, so only decisions are compared.";
    for (const format of ["text", "markdown"]) expect((await mcptape(...args, "--format", format)).stdout).toContain(line);
  });

  it("in a migration says the rate limits left behind are not Cedar's and where the Cedar gateway keeps them", async () => {
    // Cedar policies hold no limits (dialect-cedar.md "What each profile builds": the limiter is beside Cedar).
    const demo = `${ROOT}/fixtures/policies/demo.yaml`;
    const toolhive = await mcptape("diff", ALICE_TAPE, "--base", demo, "--head", `${CEDAR}/toolhive.cedar`, "--profile", "toolhive");
    expect(toolhive.stdout).toContain("The base policy's rate limits (echo rate limit, moves per hour, global rate limit) are not Cedar's: ToolHive keeps them beside Cedar, in its rate-limit config, which --limits FILE replays; the calls they throttle are decided by Cedar alone.");
    expect(toolhive.stdout).toContain("no longer throttled");
    const reverse = await mcptape("diff", ALICE_TAPE, "--base", `${CEDAR}/docker.cedar`, "--head", demo, "--profile", "docker", "--format", "markdown");
    expect(reverse.stdout).toContain("The head policy's rate limits (echo rate limit, moves per hour, global rate limit) are not Cedar's: the docker gateway has no rate limiter;");
    const { limits } = files({ "limits.yaml": "shared: { maxTokens: 5, refillPeriod: 1m }\n" });
    const withLimits = await mcptape("diff", ALICE_TAPE, "--base", demo, "--head", `${CEDAR}/toolhive.cedar`, "--profile", "toolhive", "--limits", limits!);
    expect(withLimits.stdout).toContain("only decisions are compared.\n");
    expect(withLimits.stdout).not.toContain("rate limits (");
  });

  it("between two versions for the same gateway still reports a rule that changed with the decision kept", async () => {
    const dir = files({ "renamed.cedar": readFileSync(`${CEDAR}/toolhive.cedar`, "utf8").replace('@id("no environment dumps")', '@id("no env dumps")') });
    const ran = await mcptape("diff", ALICE_TAPE, "--base", `${CEDAR}/toolhive.cedar`, "--head", dir.renamed!, "--profile", "toolhive", "--format", "json");
    const changed = diffed(ran.stdout).filter((d) => d.changed);
    expect(changed.map((d) => [d.tool, d.base.rule, d.head.rule])).toEqual([["get-env", "no environment dumps", "no env dumps"]]);
    expect((await mcptape("diff", ALICE_TAPE, "--base", `${CEDAR}/toolhive.cedar`, "--head", dir.renamed!, "--profile", "toolhive")).stdout).not.toContain("only decisions are compared");
  });

  it("compares two Cedar sets: dropping a forbid loosens, and --fail-on-loosen fails", async () => {
    // toolhive-authz.json is toolhive.cedar without its "small sums only" forbid.
    const ran = await mcptape("diff", ALICE_TAPE, "--base", `${CEDAR}/toolhive.cedar`, "--head", `${CEDAR}/toolhive-authz.json`, "--profile", "toolhive", "--format", "json", "--fail-on-loosen");
    const loosened = diffed(ran.stdout).filter((d) => d.base.decision !== "allow" && d.head.decision === "allow");
    expect(loosened.map((d) => [d.tool, d.base.rule])).toEqual([["get-sum", "small sums only"]]);
    expect(ran.code).toBe(1);
  });
});
