import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, spawnCli } from "./run-cli.js";

const COMMANDS = ["record", "replay", "diff", "fuzz", "test", "validate", "init", "import"];

describe("the command line", () => {
  it("lists every command of the spec in --help", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, "m"));
  });

  it("shows the help when run with no arguments", async () => {
    const r = await runCli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: mcptape");
  });

  it.each(COMMANDS)("gives %s an example in its help", async (command) => {
    const r = await runCli([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Example:\\n  mcptape ${command}\\b`));
  });

  it("prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8")) as { version: string };
    const r = await runCli(["--version"]);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("exits 2 on an unknown command, without a stack trace", async () => {
    const r = await runCli(["replya"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("help for a command that does not exist is an unknown command (exit 2), not the general help with exit 0", async () => {
    const r = await runCli(["help", "replya"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("unknown command 'replya'");
    expect(r.stderr).toContain("(Did you mean replay?)");
  });

  it("exits 2 on an unknown flag", async () => {
    const r = await runCli(["replay", "fixtures/tapes", "--no-such-flag"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option");
  });

  it("exits 2 naming the missing tape", async () => {
    const r = await runCli(["replay", "no/such/tape.jsonl", "-p", "fixtures/policies/demo.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no/such/tape.jsonl");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 when replay has no policy", async () => {
    const r = await runCli(["replay", "fixtures/tapes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("-p/--policy is required");
  });

  it("refuses a format the command does not write", async () => {
    const r = await runCli(["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml", "--format", "pdf"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format "pdf"');
  });

  it("refuses a --report that is not FORMAT=FILE", async () => {
    const r = await runCli(["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml", "--report", "junit"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("FORMAT=FILE");
  });
});

describe("the built command line, as its own process", () => {
  it("puts the report on stdout alone and exits 0", () => {
    const r = spawnCli(["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect((JSON.parse(r.stdout) as { summary: { calls: number } }).summary.calls).toBeGreaterThan(0);
  });

  it("puts a usage error on stderr alone and exits 2, without a stack trace", () => {
    const r = spawnCli(["replya"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("unknown command");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
