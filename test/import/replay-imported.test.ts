import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importInterceptAudit } from "../../src/import/intercept-audit.js";
import { loadPolicyFile } from "../../src/policy/load.js";
import type { Policy } from "../../src/policy/model.js";
import { replay } from "../../src/replay/replay.js";
import { DEFAULT_REPLAY_OPTIONS, type DecidedCall } from "../../src/replay/types.js";
import { gatewaysOf } from "../gateways.js";
import { AWS_LOG, POLICIES, tempDir, writeLog } from "./helpers.js";

async function policy(file: string): Promise<Policy> {
  const loaded = await loadPolicyFile(join(POLICIES, file));
  if (loaded.policy?.engine !== "model") throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.policy.model;
}

async function replayed(tape: string, p: Policy, identity?: string): Promise<DecidedCall[]> {
  const out: DecidedCall[] = [];
  for await (const c of replay(gatewaysOf(p), { tapes: [tape] }, { ...DEFAULT_REPLAY_OPTIONS, ...(identity ? { identity } : {}) })) out.push(c);
  return out;
}

async function imported(log = AWS_LOG): Promise<string> {
  const tape = join(tempDir(), "imported.jsonl");
  await importInterceptAudit(log, tape);
  return tape;
}

describe("replaying an imported audit log", () => {
  it("under the policy Intercept ran, every call decides as recorded (no argument is read)", async () => {
    const calls = await replayed(await imported(), await policy("seed-aws-support.yaml"));
    expect(calls).toHaveLength(35);
    expect(calls.filter((c) => c.changed)).toEqual([]);
    expect(calls.filter((c) => c.undecidable)).toEqual([]);
    expect(calls.map((c) => c.decision.decision).filter((d) => d !== "allow")).toEqual(["throttle", "throttle", "deny"]);
  });

  it("under PolicyLayer's per-grant quotas the same log decides the same for one identity", async () => {
    const calls = await replayed(await imported(), await policy("seed-aws-support.policylayer.json"), "ci-runner");
    expect(calls.filter((c) => c.changed)).toEqual([]);
    expect(calls[30]!.decision).toMatchObject({ decision: "throttle", rule: "/tools/create_support_case/limits/create_support_case_rate" });
  });

  it("calls whose decision reads an argument are their own kind, undecided (never deny), and not counted as changed", async () => {
    const calls = await replayed(await imported(), await policy("seed-aws-support-severity.policylayer.json"), "ci-runner");
    const first = calls[0]!;
    expect(first.undecidable).toEqual(["args.severity_code"]);
    expect(first.changed).toBe(false);
    expect(first.decision.decision).toBe("undecided");
    expect(first.decision.message).toBe("cannot decide without args.severity_code (the log did not keep the arguments); with it absent: allow");
    // The limit is still counted: the 31st case is throttled after the deny_if that read the argument.
    expect(calls[30]!.decision.message).toBe(
      "cannot decide without args.severity_code (the log did not keep the arguments); with it absent: Rate limit of 30 per minute reached. Try again later.",
    );
  });

  it("calls decided without reading an argument are exact: default deny, approval, a call logged with no arguments", async () => {
    const calls = await replayed(await imported(), await policy("seed-aws-support-severity.policylayer.json"), "ci-runner");
    const byTool = (tool: string) => calls.filter((c) => c.tool === tool);
    const [listed] = byTool("describe_services");
    const [held] = byTool("invoke_agent_runtime");
    expect(listed).toMatchObject({ decision: { decision: "allow" }, changed: true });
    expect(held).toMatchObject({ decision: { decision: "approval", rule: "/tools/invoke_agent_runtime/require_approval" }, changed: true });
    expect([listed!.undecidable, held!.undecidable]).toEqual([undefined, undefined]);
  });

  it("an argument read by a call logged without args_hash is decided exactly (it had no arguments)", async () => {
    const dir = tempDir();
    const log = writeLog(dir, [{ ts: "2026-03-02T10:00:00Z", type: "tool_call", instance: "i", tool: "create_support_case", result: "allowed" }]);
    const [c] = await replayed(await imported(log), await policy("seed-aws-support-severity.policylayer.json"), "ci-runner");
    expect(c!.undecidable).toBeUndefined();
    expect(c!.decision.decision).toBe("allow");
  });
});
