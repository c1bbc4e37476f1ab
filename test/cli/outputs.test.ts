/**
 * --format, -o and --report work the same way in every command that writes reports: a report
 * file holds exactly what `--format` of that format prints, and `-o` exactly what stdout would.
 */
import { execFileSync, spawn } from "node:child_process";
import { createReadStream, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { progressWanted } from "../../src/cli/progress.js";
import type { Io } from "../../src/cli/io.js";
import { TapeBuilder } from "../replay/tape-builder.js";
import { BIN, ROOT, runCli } from "./run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const COMMANDS: { name: string; args: string[]; formats: string[] }[] = [
  { name: "replay", args: ["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml"], formats: ["json", "markdown", "text"] },
  { name: "diff", args: ["diff", "fixtures/tapes", "--base", "fixtures/policies/demo.yaml", "--head", "fixtures/policies/demo-tightened.yaml"], formats: ["json", "markdown", "text"] },
  { name: "test", args: ["test", "scenarios/demo.yaml"], formats: ["json", "markdown", "text"] }, // junit carries run times
];

describe.each(COMMANDS)("$name outputs", ({ args, formats }) => {
  it("writes with -o and --report exactly what --format prints on stdout", async () => {
    const dir = tempDir("outputs");
    const [main, ...others] = formats as [string, ...string[]];
    const reports = others.flatMap((f) => ["--report", `${f}=${join(dir, `report.${f}`)}`]);
    const run = await runCli([...args, "--format", main, "-o", join(dir, `main.${main}`), ...reports]);
    expect(run.stderr).not.toContain("internal error");
    expect(run.stdout).toBe("");
    for (const f of formats) {
      const alone = await runCli([...args, "--format", f]);
      expect(alone.stdout.length).toBeGreaterThan(50);
      const file = f === main ? `main.${main}` : `report.${f}`;
      expect(readFileSync(join(dir, file), "utf8"), f).toBe(alone.stdout);
    }
  });

  it("refuses a --report format the command does not write, naming it", async () => {
    const r = await runCli([...args, "--report", "pdf=out.pdf"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--report "pdf" is not a format this command writes');
  });

  it("refuses github twice (each would add its table to $GITHUB_STEP_SUMMARY), before it writes anything", async () => {
    const dir = tempDir("outputs");
    const r = await runCli([...args, "--format", "github", "--report", `github=${join(dir, "gh.txt")}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("github is asked for twice");
    expect(r.stdout).toBe("");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses two reports to one file (the later would replace the earlier), before it writes anything", async () => {
    const dir = tempDir("outputs");
    const out = join(dir, "r.xml");
    const withO = await runCli([...args, "--format", "json", "-o", out, "--report", `markdown=${dir}/./r.xml`]);
    expect(withO.code).toBe(2);
    expect(withO.stderr).toContain(`-o ${out} and --report markdown=${dir}/./r.xml write the same file`);
    const twoReports = await runCli([...args, "--report", `json=${out}`, "--report", `markdown=${out}`]);
    expect(twoReports.code).toBe(2);
    expect(twoReports.stderr).toContain(`--report json=${out} and --report markdown=${out} write the same file`);
    expect(readdirSync(dir)).toEqual([]);
    // The null device takes any number of reports.
    expect((await runCli([...args, "--format", "json", "-o", "/dev/null", "--report", "markdown=/dev/null"])).code).not.toBe(2);
  });
});

describe("a reader that stops reading", () => {
  it("is not an internal error: replay goes on quietly and exits with its verdict", async () => {
    const tape = new TapeBuilder();
    for (let i = 0; i < 4000; i++) tape.call(i, "get-env", { args: { pad: "x".repeat(100) } });
    const path = tape.write();
    const child = spawn(process.execPath, [BIN, "replay", path, "-p", "fixtures/policies/demo.yaml", "--format", "json", "--fail-on", "deny"], {
      cwd: ROOT,
      env: { ...process.env, CI: "true", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // Like `| head -c 100`: read one chunk, then close the pipe.
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toContain("internal error");
    expect(stderr).not.toContain("EPIPE");
    expect(code).toBe(1);
  });
});

describe("-o to a pipe or a device", () => {
  it("writes into it and leaves it a pipe (a file renamed over /dev/null would replace it)", async () => {
    const dir = tempDir("fifo");
    const fifo = join(dir, "out.fifo");
    execFileSync("mkfifo", [fifo]);
    let read = "";
    const reading = new Promise<void>((resolve, reject) => {
      createReadStream(fifo, "utf8").on("data", (d) => (read += String(d))).on("end", resolve).on("error", reject);
    });
    const run = await runCli([...COMMANDS[0]!.args, "--format", "json", "-o", fifo]);
    await reading;
    expect(run.code).toBe(0);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(["out.fifo"]);
    expect(read).toBe((await runCli([...COMMANDS[0]!.args, "--format", "json"])).stdout);
  });
});

describe("the progress bar", () => {
  afterEach(() => vi.unstubAllEnvs());
  const io = (stdout: boolean, stderr: boolean): Io => ({ stdout: { isTTY: stdout } as Io["stdout"], stderr: { isTTY: stderr } as Io["stderr"] });

  it("shows only when stdout and stderr are terminals and not in CI", () => {
    vi.stubEnv("CI", "");
    expect(progressWanted(io(true, true))).toBe(true);
    expect(progressWanted(io(false, true))).toBe(false);
    expect(progressWanted(io(true, false))).toBe(false);
    vi.stubEnv("CI", "true");
    expect(progressWanted(io(true, true))).toBe(false);
  });
});
