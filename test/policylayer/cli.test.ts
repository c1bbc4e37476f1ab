import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("commands take PolicyLayer policies", () => {
  it("validate detects a PolicyLayer file and passes the seed policy", async () => {
    const r = await runCli(["validate", "fixtures/policies/seed-aws-support.policylayer.json"]);
    expect(r.stdout).toContain("fixtures/policies/seed-aws-support.policylayer.json: ok");
    expect(r.code).toBe(0);
  });

  it("validate reports a PolicyLayer error at its line and column", async () => {
    const file = join(tempDir("pl"), "p.json");
    writeFileSync(file, '{\n  "version": "1",\n  "default": "deny",\n  "tools": {"a": {"limits": [{"counter": "c", "window": "week", "max": 1}]}}\n}\n');
    const r = await runCli(["validate", file, "--format", "json"]);
    const out = JSON.parse(r.stdout) as { diagnostics: { line: number; col: number; severity: string; message: string }[] };
    expect(out.diagnostics).toEqual([
      { file, line: 4, col: 57, severity: "error", message: '/tools/a/limits/0: "window" must be one of "minute", "hour", "day", got the string "week"' },
    ]);
    expect(r.code).not.toBe(0);
  });

  it("replay decides a tape under a PolicyLayer policy, per grant", async () => {
    const r = await runCli(["replay", "fixtures/seed-tapes/mcp-ap2-loop.jsonl", "-p", "fixtures/policies/seed-mcp-ap2.policylayer.json", "--format", "json"]);
    const out = JSON.parse(r.stdout) as { summary: Record<string, number> };
    expect(out.summary).toEqual({ calls: 47, allow: 41, deny: 1, throttle: 5, approval: 0, undecided: 0, changed: 0 });
    expect(r.code).toBe(0);
  });
});
