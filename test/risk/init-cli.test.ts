/**
 * `mcptape init` end to end: the starter it writes for a real server's tape validates clean
 * through the real command line, meets its own advice, and replays the tape it came from.
 * (init runs in-process until main.ts wires it; validate and replay run as a user runs them.)
 * The PolicyLayer starter is checked by the PolicyLayer loader the same way.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { initCommand } from "../../src/cli/init.js";
import { FlagValues } from "../../src/cli/flags.js";
import { InputError } from "../../src/errors.js";
import { runCli } from "../cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const dir = tempDir("init");

function capture() {
  const chunks = { stdout: "", stderr: "" };
  const sink = (key: "stdout" | "stderr") => new Writable({ write(c, _e, done) { chunks[key] += String(c); done(); } });
  return { io: { stdout: sink("stdout"), stderr: sink("stderr") }, chunks };
}

async function init(tape: string, file: string, dialect?: string): Promise<string> {
  const { io, chunks } = capture();
  const out = join(dir, file);
  expect(await initCommand([], new FlagValues({ tools: tape, output: out, ...(dialect ? { dialect } : {}) }), io)).toBe(0);
  expect(chunks.stderr).toMatch(new RegExp(`wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: \\d+ tools`));
  return out;
}

describe.each([
  ["everything", "fixtures/tapes/everything.jsonl"],
  ["filesystem", "fixtures/tapes/filesystem.jsonl"],
])("mcptape init --tools %s tape", (label, tape) => {
  it("writes a starter that mcptape validate passes with no warnings, even under --strict with --tools", async () => {
    const policy = await init(tape, `${label}.yaml`);
    const plain = await runCli(["validate", policy]);
    expect(plain).toMatchObject({ code: 0, stdout: `${policy}: ok\n` });
    const advised = await runCli(["validate", policy, "--strict", "--tools", tape]);
    expect(advised.stdout).not.toMatch(/warning/);
    expect(advised.code).toBe(0);
  });

  it("replays the tape it came from with no call refused by default deny", async () => {
    const policy = await init(tape, `${label}-replay.yaml`);
    const r = await runCli(["replay", tape, "-p", policy, "--format", "json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { summary: { calls: number }; decisions: { tool: string; rule: string | null }[] };
    expect(out.summary.calls).toBeGreaterThan(0);
    const listed = readFileSync(policy, "utf8");
    for (const d of out.decisions) {
      // A call to a tool the recording never listed is refused; every listed tool gets its rule.
      if (listed.includes(`\n  ${d.tool}:\n`)) expect(d.rule).not.toBe("(default deny)");
    }
  });
});

describe("mcptape init", () => {
  it("writes to stdout without -o", async () => {
    const { io, chunks } = capture();
    expect(await initCommand([], new FlagValues({ tools: "fixtures/tapes/filesystem.jsonl" }), io)).toBe(0);
    expect(chunks.stdout).toMatch(/^# yaml-language-server: \$schema=\S+\n# Starter policy written by mcptape init from fixtures\/tapes\/filesystem\.jsonl\./);
    expect(chunks.stdout).toContain("default: deny\n");
  });

  it("writes PolicyLayer JSON with --dialect policylayer and names each tool's class on stderr", async () => {
    const { io, chunks } = capture();
    const out = join(dir, "fs.json");
    expect(await initCommand([], new FlagValues({ tools: "fixtures/tapes/filesystem.jsonl", dialect: "policylayer", output: out }), io)).toBe(0);
    const doc = JSON.parse(readFileSync(out, "utf8")) as { default: string; tools: Record<string, unknown> };
    expect(doc.default).toBe("deny");
    expect(doc.tools.create_directory).toEqual({ limits: [{ counter: "create_directory_rate", window: "minute", max: 30, scope: "grant" }] });
    expect(doc.tools.read_text_file).toEqual({});
    expect(chunks.stderr).toContain("  create_directory: Write (name starts with create_)\n");
  });

  it("the PolicyLayer starter validates clean and meets its own advice", async () => {
    const tape = "fixtures/tapes/everything.jsonl";
    const out = await init(tape, "everything.json", "policylayer");
    expect(await runCli(["validate", out])).toMatchObject({ code: 0, stdout: `${out}: ok\n` });
    const advised = await runCli(["validate", out, "--strict", "--tools", tape]);
    expect(advised.stdout).not.toMatch(/warning/);
    expect(advised.code).toBe(0);
  });

  it("refuses to overwrite an existing file", async () => {
    const out = join(dir, "exists.yaml");
    writeFileSync(out, "mine\n");
    await expect(initCommand([], new FlagValues({ tools: "fixtures/tapes/filesystem.jsonl", output: out }), capture().io)).rejects.toThrow(/already exists/);
    expect(readFileSync(out, "utf8")).toBe("mine\n");
  });

  it("-o into a folder that does not exist makes the folder, as report files and tapes do", async () => {
    const out = join(dir, "no-such-folder", "policy.yaml");
    await initCommand([], new FlagValues({ tools: "fixtures/tapes/filesystem.jsonl", output: out }), capture().io);
    expect(readFileSync(out, "utf8")).toMatch(/^version: "1"/m);
  });

  it("without --tools is bad input naming the flag", async () => {
    await expect(initCommand([], new FlagValues({}), capture().io)).rejects.toBeInstanceOf(InputError);
    await expect(initCommand([], new FlagValues({}), capture().io)).rejects.toThrow(/--tools/);
  });

  it("a tape with no tools/list answer is bad input", async () => {
    const tape = join(dir, "empty.jsonl");
    writeFileSync(tape, JSON.stringify({ kind: "header", tape: 1, id: "x", t: "2026-01-01T00:00:00.000Z", recorder: { name: "t", version: "0" }, transport: "hand" }) + "\n");
    await expect(initCommand([], new FlagValues({ tools: tape }), capture().io)).rejects.toThrow(/no tools\/list answer/);
  });
});

describe("advice through the command line", () => {
  it("validate --tools --format json adds tools with name, class, reason and advice", async () => {
    const r = await runCli(["validate", "fixtures/policies/demo.yaml", "--tools", "fixtures/tapes/filesystem.jsonl", "--format", "json"]);
    const out = JSON.parse(r.stdout) as { diagnostics: { message: string; line: number }[]; tools: Record<string, string>[] };
    expect(out.tools.find((t) => t.name === "create_directory")).toEqual({ name: "create_directory", class: "Write", reason: "name starts with create_", advice: "rate-limit to 30 calls a minute" });
    const moveWarning = out.diagnostics.find((d) => d.message.startsWith("move_file is a Destructive tool"));
    expect(moveWarning?.message).toContain('add under tools.move_file.rules: {name: "move_file needs approval", action: require_approval}');
    expect(r.code).toBe(0);
  });

  it("validate --tools --strict fails on a policy that lacks what the classes call for", async () => {
    expect((await runCli(["validate", "fixtures/policies/demo.yaml", "--strict", "--tools", "fixtures/tapes/filesystem.jsonl"])).code).toBe(1);
  });

  it("replay --coverage lists the tools' classes in json and warns about missing rules", async () => {
    const r = await runCli(["replay", "fixtures/tapes/filesystem.jsonl", "-p", "fixtures/policies/demo.yaml", "--coverage", "--format", "json"]);
    const out = JSON.parse(r.stdout) as { coverage: { tools: { name: string; class: string }[] } };
    expect(out.coverage.tools.find((t) => t.name === "write_file")?.class).toBe("Destructive");
    expect(r.stderr).toMatch(/warning: fixtures\/policies\/demo\.yaml:\d+:\d+: write_file is a Destructive tool/);
  });
});
