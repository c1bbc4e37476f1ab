import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describe as describeSummary, importCommand } from "../../src/cli/import.js";
import { FlagValues } from "../../src/cli/flags.js";
import { InputError } from "../../src/errors.js";
import { importInterceptAudit } from "../../src/import/intercept-audit.js";
import { spawnCli } from "../cli/run-cli.js";
import { AWS_LOG, readLines, tempDir, writeLog } from "./helpers.js";
import { Writable } from "node:stream";

const HASH = "sha256:" + "0f".repeat(32);

function sink(): Writable & { text: string } {
  const w = new Writable({ write(chunk, _enc, done) { w.text += String(chunk); done(); } }) as Writable & { text: string };
  w.text = "";
  return w;
}

describe("import intercept-audit", () => {
  it("each tool_call becomes a call line with its time, instance, tool, hash and recorded decision", async () => {
    const dir = tempDir();
    const tape = join(dir, "out.jsonl");
    const summary = await importInterceptAudit(AWS_LOG, tape);
    const lines = readLines(tape);
    expect(lines[0]).toMatchObject({ kind: "header", tape: 1, t: "2026-03-02T10:00:00.000Z", transport: "import", recorder: { name: "mcptape import" } });
    expect(lines[1]).toEqual({ kind: "session", session: "a1b2c3d4", t: "2026-03-02T10:00:00.000Z" });
    const calls = lines.filter((l) => l.kind === "call");
    expect(calls).toHaveLength(35);
    expect(calls[0]).toEqual({
      kind: "call", seq: 1, t: "2026-03-02T10:00:01.123Z", session: "a1b2c3d4", tool: "create_support_case",
      recorded: { decision: "allow" }, argsHash: "sha256:e0bfc0c4e36b6ec606fbdcce9c25aad6ab7e415c94f4f5a6ac98dcdb16d67350",
    });
    expect(calls[0]).not.toHaveProperty("args");
    expect(calls[30]).toMatchObject({ tool: "create_support_case", recorded: { decision: "throttle", message: "Rate limit of 30 per minute reached. Try again later." } });
    expect(calls[32]).toMatchObject({ tool: "describe_services", args: {}, recorded: { decision: "deny", rule: "(default deny)" } });
    expect(lines[lines.length - 1]).toEqual({ kind: "end", t: "2026-03-02T10:01:02.123Z", messages: 35, reason: "closed" });
    expect(summary).toEqual({
      calls: 35, decisions: { allow: 32, deny: 1, throttle: 2, approval: 0, undecided: 0 }, withoutArguments: 1, sessions: 1,
      skipped: { startup: 1, heartbeat: 1, shutdown: 1 },
    });
  });

  it("importing the same log twice gives the same bytes", async () => {
    const dir = tempDir();
    await importInterceptAudit(AWS_LOG, join(dir, "a.jsonl"));
    await importInterceptAudit(AWS_LOG, join(dir, "b.jsonl"));
    expect(readFileSync(join(dir, "a.jsonl"), "utf8")).toBe(readFileSync(join(dir, "b.jsonl"), "utf8"));
  });

  it("round trip: every field the log has is on the tape", async () => {
    const dir = tempDir();
    const events = [
      { ts: "2026-01-01T00:00:00.5Z", type: "tool_call", instance: "i1", tool: "a", result: "allowed", args_hash: HASH },
      { ts: "2026-01-01T00:00:01Z", type: "tool_call", instance: "i2", tool: "b", result: "denied", rule: "no b", message: "B is off" },
      { ts: "2026-01-01T00:00:02Z", type: "tool_call", instance: "i1", tool: "c", result: "denied", message: "Rate limit exceeded for c" },
    ];
    const tape = join(dir, "t.jsonl");
    await importInterceptAudit(writeLog(dir, events), tape);
    const calls = readLines(tape).filter((l) => l.kind === "call");
    const back = calls.map((c) => ({
      ts: c.t, instance: c.session, tool: c.tool, result: c.recorded?.decision === "allow" ? "allowed" : "denied",
      ...(c.argsHash ? { args_hash: c.argsHash } : {}), ...(c.recorded?.rule ? { rule: c.recorded.rule } : {}), ...(c.recorded?.message ? { message: c.recorded.message } : {}),
    }));
    expect(back).toEqual(events.map(({ type: _type, ...e }) => ({ ...e, ts: new Date(Date.parse(e.ts)).toISOString() })));
    expect(readLines(tape).filter((l) => l.kind === "session").map((l) => l.kind === "session" && l.session)).toEqual(["i1", "i2"]);
  });

  it("a bad line stops the import with its file and line, and leaves no tape", async () => {
    const dir = tempDir();
    const log = writeLog(dir, [{ ts: "2026-01-01T00:00:00Z", type: "startup", instance: "i" }, "{oops", { ts: "2026-01-01T00:00:01Z", type: "shutdown", instance: "i" }]);
    const tape = join(dir, "t.jsonl");
    const err = await importInterceptAudit(log, tape).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).format()).toMatch(new RegExp(`^${log.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:2: error: not a JSON line: Expected property name or '\\}'`));
    expect(() => readFileSync(tape)).toThrow();
  });

  it("a log that turns out bad half-way leaves a tape already at the output path as it was", async () => {
    const dir = tempDir();
    const tape = join(dir, "t.jsonl");
    writeFileSync(tape, "the tape from yesterday\n");
    const log = writeLog(dir, [{ ts: "2026-01-01T00:00:00Z", type: "tool_call", instance: "i", tool: "a", result: "allowed" }, "{oops", { ts: "2026-01-01T00:00:01Z", type: "shutdown", instance: "i" }]);
    await expect(importInterceptAudit(log, tape)).rejects.toBeInstanceOf(InputError);
    expect(readFileSync(tape, "utf8")).toBe("the tape from yesterday\n");
    expect(readdirSync(dir).sort()).toEqual(["events.jsonl", "t.jsonl"]);
  });

  it("an output path that is a folder is bad input, and no stray file is left", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "out"));
    const err = await importInterceptAudit(AWS_LOG, join(dir, "out")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/^cannot write the tape/);
    expect(readdirSync(dir)).toEqual(["out"]);
  });

  it("a cut last line (no newline after it) is left out with a note", async () => {
    const dir = tempDir();
    const log = writeLog(dir, [{ ts: "2026-01-01T00:00:00Z", type: "tool_call", instance: "i", tool: "a", result: "allowed" }, '{"ts":"2026-01-01T00:00:01Z","ty'], false);
    const notes: string[] = [];
    const tape = join(dir, "t.jsonl");
    const summary = await importInterceptAudit(log, tape, { onNote: (n) => notes.push(n) });
    expect(summary.calls).toBe(1);
    expect(notes).toEqual([`${log}:2: the last line is cut short (was the log still being written?); it is left out`]);
  });

  // PolicyLayer/Intercept cmd/root.go: a reload emits config_reload with status "success" after
  // swapping the policy, or status "failure" and the error's message, swapping nothing.
  it("a config reload is noted: later decisions came from another policy", async () => {
    const dir = tempDir();
    const log = writeLog(dir, [{ ts: "2026-01-01T00:00:00Z", type: "config_reload", instance: "i", status: "success" }]);
    const notes: string[] = [];
    await importInterceptAudit(log, join(dir, "t.jsonl"), { onNote: (n) => notes.push(n) });
    expect(notes).toEqual([`${log}:1: the policy was reloaded here; decisions recorded after this line came from the new policy`]);
  });

  it("a failed config reload is noted as one: the policy in force stayed", async () => {
    const dir = tempDir();
    const message = "parsing policy: yaml: line 3: mapping values are not allowed in this context";
    const log = writeLog(dir, [{ ts: "2026-01-01T00:00:00Z", type: "config_reload", instance: "i", status: "failure", message }]);
    const notes: string[] = [];
    await importInterceptAudit(log, join(dir, "t.jsonl"), { onNote: (n) => notes.push(n) });
    expect(notes).toEqual([`${log}:1: a policy reload failed here (${message}); Intercept went on deciding with the policy it had`]);
  });

  it("- reads the log from standard input (zcat events.jsonl.gz | mcptape import intercept-audit - ...)", () => {
    const dir = tempDir();
    const tape = join(dir, "t.jsonl");
    const r = spawnCli(["import", "intercept-audit", "-", "-o", tape], { input: readFileSync(AWS_LOG, "utf8") });
    expect(r.stderr).toMatch(/^mcptape: imported 35 tool calls /);
    expect(r.code).toBe(0);
    expect(readFileSync(tape, "utf8")).toBe((() => {
      const fromFile = join(dir, "from-file.jsonl");
      expect(spawnCli(["import", "intercept-audit", AWS_LOG, "-o", fromFile]).code).toBe(0);
      return readFileSync(fromFile, "utf8");
    })());
  });

  it("standard input, which has no end to look at, still tells a cut last line (a note) from a bad one (stdin:line:col, exit 2)", () => {
    const dir = tempDir();
    const call = JSON.stringify({ ts: "2026-01-01T00:00:00Z", type: "tool_call", instance: "i", tool: "a", result: "allowed" });
    const cut = spawnCli(["import", "intercept-audit", "-", "-o", join(dir, "cut.jsonl")], { input: `${call}\n{"ts":"2026-01-01T00:00:0` });
    expect(cut.stderr).toBe(`mcptape: note: stdin:2: the last line is cut short (was the log still being written?); it is left out\nmcptape: imported 1 tool call (1 allowed, 0 denied, 0 throttled) from 1 instance; wrote ${join(dir, "cut.jsonl")}\n`);
    expect(cut.code).toBe(0);
    const bad = spawnCli(["import", "intercept-audit", "-", "-o", join(dir, "bad.jsonl")], { input: `${call}\n{"ts":"2026-01-01T00:00:0\n` });
    expect(bad.stderr).toMatch(/^mcptape: stdin:2:\d+: error: not a JSON line: /);
    expect(bad.code).toBe(2);
    expect(readdirSync(dir)).toEqual(["cut.jsonl"]);
  });

  it("a byte order mark an editor put before the first line is left out with a note, not a syntax error at an invisible character", async () => {
    const dir = tempDir();
    const call = { ts: "2026-01-01T00:00:00Z", type: "tool_call", instance: "i", tool: "a", result: "allowed" };
    const log = writeLog(dir, ["\uFEFF" + JSON.stringify(call), { ...call, tool: "b" }]);
    const notes: string[] = [];
    const summary = await importInterceptAudit(log, join(dir, "t.jsonl"), { onNote: (n) => notes.push(n) });
    expect(summary.calls).toBe(2);
    expect(notes).toEqual([`${log}:1: the log starts with a UTF-8 byte order mark; ignored`]);
  });

  it("a missing log is bad input", async () => {
    const dir = tempDir();
    const err = await importInterceptAudit(join(dir, "nope.jsonl"), join(dir, "t.jsonl")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe("cannot read audit log: no such file");
  });

  it("the command checks its kind and -o, and reports what it imported on stderr", async () => {
    const io = { stdout: sink(), stderr: sink() };
    await expect(importCommand(["vcr", AWS_LOG], new FlagValues({ output: "x" }), io)).rejects.toThrow('unknown import kind "vcr"');
    await expect(importCommand(["intercept-audit", AWS_LOG], new FlagValues({}), io)).rejects.toThrow("-o/--output is required");
    const tape = join(tempDir(), "t.jsonl");
    expect(await importCommand(["intercept-audit", AWS_LOG], new FlagValues({ output: tape }), io)).toBe(0);
    expect(io.stderr.text).toBe(
      `mcptape: imported 35 tool calls (32 allowed, 1 denied, 2 throttled) from 1 instance; 34 with arguments known only by hash; skipped 1 startup, 1 heartbeat, 1 shutdown events; wrote ${tape}\n`,
    );
    expect(describeSummary({ calls: 1, decisions: { allow: 1, deny: 0, throttle: 0, approval: 0, undecided: 0 }, withoutArguments: 1, sessions: 1, skipped: {} })).toBe(
      "imported 1 tool call (1 allowed, 0 denied, 0 throttled) from 1 instance",
    );
  });
});
