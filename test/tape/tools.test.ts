import { spawnSync } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { readTools } from "../../src/tape/tools.js";
import { tempDir } from "../helpers/temp-dir.js";
import { BIN, ROOT } from "../cli/run-cli.js";

describe("readTools", () => {
  it("reads server-everything's tools with their schemas from the recorded tools/list answer", async () => {
    const tools = await readTools("fixtures/tapes/everything.jsonl");
    const echo = tools.find((t) => t.name === "echo");
    expect(echo?.inputSchema).toMatchObject({ type: "object", properties: { message: { type: "string" } } });
    expect(tools.map((t) => t.name)).toContain("get-sum");
  });

  it("reads a JSON file in the shape of a tools/list result", async () => {
    const dir = tempDir("tools");
    const file = join(dir, "tools.json");
    writeFileSync(file, JSON.stringify({ tools: [{ name: "drop_table", annotations: { destructiveHint: true } }] }));
    expect(await readTools(file)).toEqual([{ name: "drop_table", annotations: { destructiveHint: true } }]);
  });

  it("says so when a tape has no tools/list answer", async () => {
    const dir = tempDir("tools");
    const file = join(dir, "t.jsonl");
    writeFileSync(file, JSON.stringify({ kind: "header", tape: 1, id: "x", t: "2026-01-01T00:00:00.000Z", recorder: { name: "t", version: "0" }, transport: "hand" }) + "\n");
    await expect(readTools(file)).rejects.toThrow(InputError);
    await expect(readTools(file)).rejects.toThrow("no tools/list answer");
  });

  it("reads a tape whose name is not .jsonl (a rotated t.jsonl.1) as a tape, not as JSON", async () => {
    const file = join(tempDir("tools"), "everything.jsonl.1");
    copyFileSync("fixtures/tapes/everything.jsonl", file);
    expect(await readTools(file)).toEqual(await readTools("fixtures/tapes/everything.jsonl"));
  });

  it("reads a tape through a pipe (init --tools <(zcat t.jsonl.gz)) as the file it came from", () => {
    const tape = "fixtures/tapes/everything.jsonl";
    const init = (tools: string) => spawnSync("bash", ["-c", `"${process.execPath}" "${BIN}" init --tools ${tools}`], { cwd: ROOT, encoding: "utf8" });
    const piped = init(`<(cat ${tape})`);
    expect(piped.stderr).toBe("");
    const from = /written by mcptape init from (\S+)\./.exec(piped.stdout)![1]!;
    expect(piped.stdout.replaceAll(from, tape)).toBe(init(tape).stdout);
  });

  it("says standard input is not read for tools, rather than 'no such file'", async () => {
    await expect(readTools("-")).rejects.toThrow("--tools does not read standard input (-)");
  });
});
