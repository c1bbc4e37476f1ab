import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../cli/run-cli.js";
import { TapeBuilder } from "./tape-builder.js";
import { tempDir } from "../helpers/temp-dir.js";

const DEMO = ["fixtures/tapes", "-p", "fixtures/policies/demo.yaml"];

interface ReplayJson {
  summary: { calls: number; allow: number; deny: number; throttle: number; approval: number; changed: number };
  decisions: { session: string; seq: number; t: string; tool: string; decision: string; rule: string | null; message: string | null; recorded: string | null }[];
}

describe("mcptape replay", () => {
  it("gives byte-identical json for the same tapes and policy", async () => {
    const a = await runCli(["replay", ...DEMO, "--format", "json"]);
    const b = await runCli(["replay", ...DEMO, "--format", "json"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it("prints the json shape of the spec, with a summary that adds up", async () => {
    const r = await runCli(["replay", ...DEMO, "--format", "json"]);
    const json = JSON.parse(r.stdout) as ReplayJson;
    expect(Object.keys(json).sort()).toEqual(["decisions", "summary"]);
    expect(Object.keys(json.decisions[0]!)).toEqual(["session", "seq", "t", "tool", "decision", "rule", "message", "recorded"]);
    const s = json.summary;
    expect(s.calls).toBe(json.decisions.length);
    expect(s.allow + s.deny + s.throttle + s.approval).toBe(s.calls);
    expect(s.changed).toBe(json.decisions.filter((d) => d.recorded !== null && d.recorded !== d.decision).length);
  });

  it("decides the bundled tapes under the demo policy as the policy says", async () => {
    const json = JSON.parse((await runCli(["replay", ...DEMO, "--format", "json"])).stdout) as ReplayJson;
    const echo = json.decisions.filter((d) => d.tool === "echo").map((d) => d.decision);
    // Five echoes a minute; the tape sends a burst of eight, then a malformed one.
    expect(echo.slice(0, 8)).toEqual(["allow", "allow", "allow", "allow", "allow", "throttle", "throttle", "throttle"]);
    const env = json.decisions.find((d) => d.tool === "get-env")!;
    expect([env.decision, env.rule, env.message]).toEqual(["deny", "no environment dumps", "Reading the server environment is not permitted"]);
    const parent = json.decisions.filter((d) => d.tool === "write_file").map((d) => d.decision);
    expect(parent).toEqual(["allow", "deny"]);
    expect(json.decisions.find((d) => d.tool === "trigger-long-running-operation")!.decision).toBe("approval");
  });

  it("exits 1 when --fail-on names an outcome that happened, and 0 when none did", async () => {
    expect((await runCli(["replay", ...DEMO, "--format", "json", "--fail-on", "deny"])).code).toBe(1);
    const tape = new TapeBuilder().call(1, "read_text_file").write();
    expect((await runCli(["replay", tape, "-p", "fixtures/policies/demo.yaml", "--fail-on", "deny,throttle,approval,changed"])).code).toBe(0);
  });

  it("refuses an unknown --fail-on outcome", async () => {
    const r = await runCli(["replay", ...DEMO, "--fail-on", "denied"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--fail-on "denied" is not an outcome');
  });

  it.each([[""], [","], [" , "]])("refuses a --fail-on %j that names no outcome (an unset variable in CI), exit 2", async (value) => {
    const r = await runCli(["replay", ...DEMO, "--fail-on", value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--fail-on names no outcome");
  });

  it("writes several formats in one run with --report", async () => {
    const dir = tempDir("reports");
    const r = await runCli(["replay", ...DEMO, "--format", "json", "-o", join(dir, "out.json"), "--report", `junit=${join(dir, "r.xml")}`, "--report", `markdown=${join(dir, "r.md")}`, "--report", `github=${join(dir, "r.txt")}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const json = JSON.parse(readFileSync(join(dir, "out.json"), "utf8")) as ReplayJson;
    const junit = readFileSync(join(dir, "r.xml"), "utf8");
    expect(junit).toMatch(new RegExp(`<testsuites [^>]*tests="${json.summary.calls}" failures="0"`));
    const md = readFileSync(join(dir, "r.md"), "utf8");
    expect(md).toContain(`**${json.summary.calls} calls:`);
    expect(md).toContain("no environment dumps");
    const gh = readFileSync(join(dir, "r.txt"), "utf8");
    // Annotations point at the deciding rule in the policy, not at a tape line.
    expect(gh).toMatch(/^::warning file=fixtures\/policies\/demo.yaml,line=\d+,col=\d+,title=throttle by echo rate limit \(4 calls\)::/m);
  });

  it("marks --fail-on calls as junit failures and github errors", async () => {
    const junit = (await runCli(["replay", ...DEMO, "--format", "junit", "--fail-on", "deny"])).stdout;
    expect(junit).toMatch(/<testsuites [^>]*failures="3"/);
    expect(junit).toContain('<failure message="deny"');
    const gh = (await runCli(["replay", ...DEMO, "--format", "github", "--fail-on", "deny"])).stdout;
    expect(gh.match(/^::error /gm)?.length).toBe(3);
  });

  it("reports coverage and fails below the threshold", async () => {
    const r = await runCli(["replay", ...DEMO, "--coverage", "--coverage-threshold", "95"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("rule decided no call: moves per hour");
    expect(r.stdout).toContain("rule decided no call: global rate limit");
    expect(r.stdout).toMatch(/tool called with no rule of its own: delete-everything/);
    expect(r.stdout).toContain("below the threshold of 95%");
    expect((await runCli(["replay", ...DEMO, "--coverage-threshold", "10"])).code).toBe(0);
  });

  it.each([[""], [" "]])("refuses a --coverage-threshold %j (Number() reads it as 0, which no run falls below), exit 2", async (value) => {
    const r = await runCli(["replay", ...DEMO, "--coverage", "--coverage-threshold", value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is not a percentage");
  });

  it("colours decisions only when asked: FORCE_COLOR on, NO_COLOR off", async () => {
    const plain = await runCli(["replay", ...DEMO, "--format", "text"]);
    expect(plain.stdout).not.toContain("\u001b[");
    const forced = spawnCli(["replay", ...DEMO, "--format", "text"], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain("\u001b[31mdeny");
  });

  it("warns about a tape cut short but still decides its complete lines", async () => {
    const text = new TapeBuilder().call(1, "echo").call(2, "echo").text() + '{"kind":"call","seq":3,"t":"2026-';
    const dir = tempDir("cut");
    const tape = join(dir, "cut.jsonl");
    writeFileSync(tape, text);
    const r = await runCli(["replay", tape, "-p", "fixtures/policies/demo.yaml", "--format", "json"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as ReplayJson).summary.calls).toBe(2);
    expect(r.stderr).toMatch(/cut\.jsonl:\d+: .*cut short/);
  });

  it("names the file and line of a bad tape line and exits 2", async () => {
    const text = new TapeBuilder().call(1, "echo").text() + '{"kind":"call","seq":"x"}\n' + new TapeBuilder().text().split("\n")[0] + "\n";
    const dir = tempDir("bad");
    const tape = join(dir, "bad.jsonl");
    writeFileSync(tape, text);
    const r = await runCli(["replay", tape, "-p", "fixtures/policies/demo.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.jsonl:3(:\d+)?: error: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
