/** `test --run REGEX` picks scenarios by name; `--fail-fast` stops at the first failure. */
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { LIMITS_POLICY, writeFiles } from "./helpers.js";

function suite(): string {
  return writeFiles({
    "policy.yaml": LIMITS_POLICY,
    "suite.yaml": `policy: policy.yaml
scenarios:
  - name: "limits: one ping passes"
    calls: [{ t: "2026-01-01T10:00:00Z", tool: ping }]
    expect: { summary: { allow: 1 } }
  - name: "limits: nuke wrongly expected to pass"
    calls: [{ t: "2026-01-01T10:00:00Z", tool: nuke }]
    expect: { summary: { allow: 1 } }
  - name: "nukes are denied"
    calls: [{ t: "2026-01-01T10:00:00Z", tool: nuke }]
    expect: { summary: { deny: 1 } }
`,
  });
}

const names = (stdout: string) => (JSON.parse(stdout) as { scenarios: { name: string; passed: boolean }[] }).scenarios.map((s) => [s.name, s.passed]);

describe("test --run", () => {
  it("runs only the scenarios whose name matches", async () => {
    const r = await runCli(["test", suite(), "--run", "^limits", "--format", "json"]);
    expect(r.code).toBe(1);
    expect(names(r.stdout)).toEqual([["limits: one ping passes", true], ["limits: nuke wrongly expected to pass", false]]);
    const passing = await runCli(["test", suite(), "--run", "denied$", "--format", "json"]);
    expect(passing.code).toBe(0);
    expect(names(passing.stdout)).toEqual([["nukes are denied", true]]);
  });

  it("a pattern that matches no scenario is bad input, so a typo never passes a CI gate", async () => {
    const r = await runCli(["test", suite(), "--run", "^limts"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--run ^limts matches no scenario name");
    expect(r.stderr).toContain('"limits: one ping passes"');
  });

  it("an invalid regular expression is bad input", async () => {
    const r = await runCli(["test", suite(), "--run", "(unclosed"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--run "(unclosed" is not a regular expression');
  });
});

describe("test --fail-fast", () => {
  it("stops after the first failed scenario and says how many did not run", async () => {
    const r = await runCli(["test", suite(), "--fail-fast", "--format", "json"]);
    expect(r.code).toBe(1);
    expect(names(r.stdout)).toEqual([["limits: one ping passes", true], ["limits: nuke wrongly expected to pass", false]]);
    const text = await runCli(["test", suite(), "--fail-fast"]);
    expect(text.stdout + text.stderr).toContain("--fail-fast: stopped at the first failure; 1 scenario not run");
  });

  it("without it every scenario runs", async () => {
    const r = await runCli(["test", suite(), "--format", "json"]);
    expect(names(r.stdout)).toHaveLength(3);
  });
});
