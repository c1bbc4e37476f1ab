/**
 * An empty identity (an unset variable: `--identity "$WHO"`) names no caller: refused at once
 * (exit 2) by replay and record, instead of deciding or taping every session as "".
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { BIN, ROOT, runCli } from "./run-cli.js";

describe("an empty --identity", () => {
  it("replay refuses it", async () => {
    const r = await runCli(["replay", "fixtures/tapes", "-p", "fixtures/policies/demo.yaml", "--identity", ""]);
    expect(r).toEqual({ code: 2, stdout: "", stderr: 'mcptape: error: identity "" names no one; write --identity alice, or leave it out\n' });
  });

  it("record refuses it before the server starts, and writes no tape", () => {
    const tape = join(tempDir("empty-identity"), "t.jsonl");
    const r = spawnSync(process.execPath, [BIN, "record", "-o", tape, "--identity", " ", "--", process.execPath, "-e", "0"], { cwd: ROOT, input: "", encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`mcptape: error: --identity " " names no one; give the caller's name, or leave --identity out (over HTTP a bearer token's hash names the caller)\n`);
    expect(existsSync(tape)).toBe(false);
  });
});
