/**
 * `mcptape import toolhive-audit`. The event format is ToolHive's audit middleware
 * (stacklok/toolhive pkg/audit/auditor.go and event.go at commit
 * e25de16cf9720b13cf0b400c861a2f6840e2763c, and its docs/middleware.md "Audit Middleware");
 * fixtures/toolhive/audit.jsonl is our own sample written from that description.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { describeToolhive } from "../../src/cli/import.js";
import { main } from "../../src/cli/main.js";
import { importToolhiveAudit } from "../../src/import/toolhive-audit.js";
import { loadPolicyFile } from "../../src/policy/load.js";
import { replay } from "../../src/replay/replay.js";
import { DEFAULT_REPLAY_OPTIONS, type DecidedCall } from "../../src/replay/types.js";
import { parseTape } from "../../src/tape/parse-text.js";
import type { CallLine, SessionLine, TapeLine } from "../../src/tape/schema.js";
import { gatewayFactory } from "../../src/gateway/create.js";
import { tempDir } from "../helpers/temp-dir.js";

const SAMPLE = fileURLToPath(new URL("../../fixtures/toolhive/audit.jsonl", import.meta.url));

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const temp = (): string => (dir = tempDir("toolhive"));

function readLines(tape: string): TapeLine[] {
  return parseTape(readFileSync(tape), tape).map((l) => l.line);
}
const calls = (lines: TapeLine[]) => lines.filter((l): l is CallLine => l.kind === "call");
const sessions = (lines: TapeLine[]) => lines.filter((l): l is SessionLine => l.kind === "session");

const ALICE = { user_id: "alice", user: "Alice", client_name: "claude-code", client_version: "1.2.0" };
let n = 0;
/** One audit event as ToolHive's slog JSON handler writes it. */
function event(type: string, outcome: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const t = `2026-06-01T09:00:${String(n++ % 60).padStart(2, "0")}.123456Z`;
  return {
    time: t, level: "AUDIT", msg: "audit_event", audit_id: `id-${n}`, type, logged_at: t, outcome, component: "github",
    source: { type: "network", value: "10.0.0.1" }, subjects: ALICE, metadata: { extra: { duration_ms: 7, transport: "http" } }, ...fields,
  };
}
const toolCall = (tool: string, outcome: string, data?: Record<string, unknown>, fields: Record<string, unknown> = {}) =>
  event("mcp_tool_call", outcome, { target: { endpoint: "/mcp", method: "tools/call", name: tool, type: "tool" }, ...(data ? { data } : {}), ...fields });
const request = (tool: string, args?: unknown) => ({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: tool, ...(args === undefined ? {} : { arguments: args }) } });

function writeLog(events: (object | string)[]): string {
  const path = join(dir ?? temp(), "audit.jsonl");
  writeFileSync(path, events.map((e) => (typeof e === "string" ? e : JSON.stringify(e))).join("\n") + "\n");
  return path;
}

async function importEvents(events: (object | string)[]) {
  temp();
  const tape = join(dir, "tape.jsonl");
  const summary = await importToolhiveAudit(writeLog(events), tape);
  return { summary, lines: readLines(tape), tape };
}

function sink(): Writable & { text: string } {
  const w = new Writable({ write(chunk, _enc, done) { w.text += String(chunk); done(); } }) as Writable & { text: string };
  w.text = "";
  return w;
}

describe("import toolhive-audit", () => {
  it("the sample log: tool calls with their subject, arguments and recorded decision; other events skipped", async () => {
    temp();
    const tape = join(dir, "tape.jsonl");
    const summary = await importToolhiveAudit(SAMPLE, tape);
    const lines = readLines(tape);
    expect(sessions(lines).map(({ session, identity, claims }) => ({ session, identity, claims }))).toEqual([
      { session: "github:alice", identity: "alice", claims: { sub: "alice", client_name: "claude-code", client_version: "1.2.0" } },
      { session: "github:bob", identity: "bob", claims: { sub: "bob" } },
    ]);
    expect(calls(lines).map(({ session, tool, args, argsHash, outcome, recorded }) => ({ session, tool, args, argsHash, outcome, recorded }))).toEqual([
      { session: "github:alice", tool: "search_issues", args: { query: "label:bug state:open", limit: 10 }, argsHash: undefined, outcome: undefined, recorded: { decision: "allow" } },
      { session: "github:alice", tool: "delete_repository", args: { owner: "acme", repo: "website" }, argsHash: undefined, outcome: undefined, recorded: { decision: "deny", message: "Unauthorized" } },
      { session: "github:bob", tool: "get_file_contents", args: undefined, argsHash: "unlogged", outcome: undefined, recorded: { decision: "allow" } },
      { session: "github:bob", tool: "search_issues", args: { query: "author:bob" }, argsHash: undefined, outcome: undefined, recorded: { decision: "throttle", message: "Rate limit exceeded" } },
      { session: "github:alice", tool: "get_file_contents", args: { owner: "acme", repo: "website", path: "/missing.md" }, argsHash: undefined, outcome: "error", recorded: { decision: "allow" } },
      { session: "github:alice", tool: "list_commits", args: { owner: "acme", repo: "website" }, argsHash: undefined, outcome: "error", recorded: undefined },
    ]);
    expect(calls(lines)[0]).toMatchObject({ t: "2026-06-01T09:00:02.481Z", latencyMs: 212 });
    expect(summary).toEqual({
      calls: 6, decisions: { allow: 3, deny: 1, throttle: 1, approval: 0, undecided: 0 }, argsUnlogged: 1, throttlesInferred: 0, sessions: 2,
      skipped: { mcp_initialize: 1, mcp_tools_list: 1, http_request: 1 },
    });
  });

  it("outcomes as auditor.go determineOutcome writes them: denied (401/403) → deny, failure (other 4xx) → throttle, error (5xx) → none", async () => {
    const { lines, summary } = await importEvents([
      toolCall("a", "denied"),
      toolCall("b", "failure"),
      toolCall("c", "failure", { response: { jsonrpc: "2.0", id: 1, error: { code: 429, message: "Rate limit exceeded", data: { retryAfterSeconds: 6 } } } }),
      toolCall("d", "failure", { response: { jsonrpc: "2.0", id: 1, error: { code: -32602, message: "tool d is filtered out" } } }),
      toolCall("e", "error"),
      toolCall("f", "application_error"),
    ]);
    expect(calls(lines).map((c) => [c.tool, c.recorded, c.outcome])).toEqual([
      ["a", { decision: "deny" }, undefined],
      ["b", { decision: "throttle" }, undefined],
      ["c", { decision: "throttle", message: "Rate limit exceeded" }, undefined],
      ["d", { decision: "deny", message: "tool d is filtered out" }, undefined],
      ["e", undefined, "error"],
      ["f", { decision: "allow" }, "error"],
    ]);
    expect(summary.throttlesInferred).toBe(1);
  });

  it("arguments: from the logged request body; {} when the call sent none; unknown when the body is not logged", async () => {
    const { lines, summary } = await importEvents([
      toolCall("a", "success", { request: request("a", { n: 1 }) }),
      toolCall("b", "success", { request: request("b") }),
      toolCall("c", "success"),
      toolCall("d", "success", { response: { jsonrpc: "2.0", id: 1, result: {} } }),
      toolCall("e", "success", { request: "not json {" }),
    ]);
    expect(calls(lines).map((c) => [c.tool, c.args, c.argsHash])).toEqual([
      ["a", { n: 1 }, undefined], ["b", {}, undefined], ["c", undefined, "unlogged"], ["d", undefined, "unlogged"], ["e", undefined, "unlogged"],
    ]);
    expect(summary.argsUnlogged).toBe(3);
  });

  it("replay decides what it can of unlogged arguments and marks the rest undecidable, naming what is missing", async () => {
    const { tape } = await importEvents([toolCall("get-sum", "success"), toolCall("echo", "success"), toolCall("get-sum", "success", { request: request("get-sum", { a: 5000, b: 1 }) })]);
    const loaded = await loadPolicyFile(fileURLToPath(new URL("../../fixtures/policies/demo.yaml", import.meta.url)));
    const out: DecidedCall[] = [];
    for await (const c of replay(gatewayFactory(loaded.policy!, { window: "fixed" }), { tapes: [tape] }, DEFAULT_REPLAY_OPTIONS)) out.push(c);
    expect(out.map((c) => [c.tool, c.decision.decision, c.undecidable])).toEqual([
      ["get-sum", "undecided", ["args.a"]], ["echo", "allow", undefined], ["get-sum", "deny", undefined],
    ]);
    expect(out[0]!.changed).toBe(false);
    expect(out[2]!.changed).toBe(true);
  });

  it("subjects: one session per subject and component; anonymous callers have no identity or claims; the same user from another client is another session", async () => {
    const { lines } = await importEvents([
      toolCall("a", "success", undefined, { subjects: { user: "anonymous" } }),
      toolCall("a", "success"),
      toolCall("a", "success", undefined, { subjects: { ...ALICE, client_name: "cursor" } }),
      toolCall("a", "success"),
    ]);
    expect(sessions(lines).map(({ session, identity, claims }) => ({ session, identity, claims }))).toEqual([
      { session: "github:anonymous", identity: undefined, claims: undefined },
      { session: "github:alice", identity: "alice", claims: { sub: "alice", client_name: "claude-code", client_version: "1.2.0" } },
      { session: "github:alice#2", identity: "alice", claims: { sub: "alice", client_name: "cursor", client_version: "1.2.0" } },
    ]);
    expect(calls(lines).map((c) => c.session)).toEqual(["github:anonymous", "github:alice", "github:alice#2", "github:alice"]);
  });

  it("a tool call event without a tool name is left out with a note", async () => {
    temp();
    const notes: string[] = [];
    const log = writeLog([event("mcp_tool_call", "success", { target: { endpoint: "/mcp", method: "tools/call", type: "tool" } })]);
    const summary = await importToolhiveAudit(log, join(dir, "t.jsonl"), { onNote: (m) => notes.push(m) });
    expect(summary.calls).toBe(0);
    expect(notes).toEqual([`${log}:1: a tool call event with no target.name (the request named no tool); left out`]);
  });

  // includeRequestData logs the tools/call body as the agent sent it (auditor.go addEventData),
  // so an API key in the arguments is in the log; a tape is committed and shared.
  it("secrets in the logged arguments, error message and claims are redacted on the tape, the same secret to the same placeholder", async () => {
    const key = "sk-live-4f9a8b7c6d5e4f3a2b1c";
    const { lines, tape } = await importEvents([
      toolCall("fetch", "success", { request: request("fetch", { url: "https://example.com/", api_key: key }) }),
      toolCall("fetch", "success", { request: request("fetch", { url: "https://example.com/b", api_key: key }) }),
      toolCall("fetch", "denied", { response: { jsonrpc: "2.0", id: 1, error: { code: 403, message: "token=ghp_abcdefghijklmnopqrstuvwxyz0123456789 is revoked" } } }),
      toolCall("fetch", "success", undefined, { subjects: { user_id: "carol", client_name: "password=hunter2hunter2" } }),
    ]);
    expect(readFileSync(tape, "utf8")).not.toMatch(/sk-live|ghp_|hunter2/);
    const [first, second, denied] = calls(lines);
    expect(first!.args).toEqual({ url: "https://example.com/", api_key: expect.stringMatching(/^\[REDACTED:[0-9a-f]{8}\]$/) });
    expect((second!.args as { api_key: string }).api_key).toBe((first!.args as { api_key: string }).api_key);
    expect(denied!.recorded).toEqual({ decision: "deny", message: expect.stringMatching(/^token=\[REDACTED:[0-9a-f]{8}\] is revoked$/) });
    expect(sessions(lines).find((s) => s.identity === "carol")!.claims).toEqual({ sub: "carol", client_name: expect.stringMatching(/^password=\[REDACTED:/) });
    expect(lines[0]).toMatchObject({ kind: "header", redaction: { enabled: true, hmacKey: "random per tape, not stored" } });
  });

  it("the command: --no-redact keeps the arguments as logged; on an Intercept log, which keeps none, it is bad input", async () => {
    temp();
    const log = writeLog([toolCall("fetch", "success", { request: request("fetch", { api_key: "sk-live-4f9a8b7c6d5e4f3a2b1c" }) })]);
    const tape = join(dir, "out.jsonl");
    const io = { stdout: sink(), stderr: sink() };
    expect(await main(["node", "mcptape", "import", "toolhive-audit", log, "-o", tape, "--no-redact"], io)).toBe(0);
    const lines = readLines(tape);
    expect(calls(lines)[0]!.args).toEqual({ api_key: "sk-live-4f9a8b7c6d5e4f3a2b1c" });
    expect(lines[0]).toMatchObject({ kind: "header", redaction: { enabled: false } });

    const intercept = { stdout: sink(), stderr: sink() };
    expect(await main(["node", "mcptape", "import", "intercept-audit", log, "-o", join(dir, "i.jsonl"), "--no-redact"], intercept)).toBe(2);
    expect(intercept.stderr.text).toBe("mcptape: error: an Intercept audit log keeps no argument values (only their hash): there is nothing to redact; drop --no-redact and --redact-key\n");
  });

  it("the command: a bad line is file:line:col on stderr, exit 2, and no tape; a good log reports what it imported", async () => {
    temp();
    const bad = { ...toolCall("b", "success"), outcome: "maybe" };
    const log = writeLog([toolCall("a", "success"), bad, toolCall("c", "success")]);
    const tape = join(dir, "out.jsonl");
    const io = { stdout: sink(), stderr: sink() };
    expect(await main(["node", "mcptape", "import", "toolhive-audit", log, "-o", tape], io)).toBe(2);
    const col = JSON.stringify(bad).indexOf('"maybe"') + 1;
    expect(io.stderr.text).toBe(`mcptape: ${log}:2:${col}: error: "outcome" must be one of success, application_error, denied, failure, error; got "maybe"; is this a ToolHive audit log (the audit middleware's JSON lines)?\n`);
    expect(readdirSync(dir)).toEqual(["audit.jsonl"]);

    const ok = { stdout: sink(), stderr: sink() };
    expect(await main(["node", "mcptape", "import", "toolhive-audit", SAMPLE, "-o", tape], ok)).toBe(0);
    expect(ok.stderr.text).toBe(
      `mcptape: imported 6 tool calls (3 allowed, 1 denied, 1 throttled) from 2 subjects; 1 without arguments (the log holds no request body: includeRequestData, maxDataSize); skipped 1 mcp_initialize, 1 mcp_tools_list, 1 http_request events; wrote ${tape}\n`,
    );
  });

  it("the summary counts throttles taken from a failure alone in words that agree with the count", () => {
    const summary = (throttlesInferred: number) => describeToolhive({
      calls: throttlesInferred, decisions: { allow: 0, deny: 0, throttle: throttlesInferred, approval: 0, undecided: 0 }, argsUnlogged: 0, throttlesInferred, sessions: 1, skipped: {},
    });
    expect(summary(1)).toBe("imported 1 tool call (0 allowed, 0 denied, 1 throttled) from 1 subject; 1 failure taken as a 429 throttle with no logged response to prove it (includeResponseData)");
    expect(summary(2)).toContain("; 2 failures taken as 429 throttles with no logged response");
  });

  it("bad events name what is wrong, at the column of the value (of the object when a key is missing): no type, no time, a subject that is not a string", async () => {
    const errorOf = async (line: object | string): Promise<string> => {
      temp();
      const io = { stdout: sink(), stderr: sink() };
      await main(["node", "mcptape", "import", "toolhive-audit", writeLog([line]), "-o", join(dir, "t.jsonl")], io);
      return io.stderr.text.replace(`mcptape: ${dir}/audit.jsonl:`, "");
    };
    const { type: _type, ...noType } = toolCall("a", "success");
    expect(await errorOf(noType)).toMatch(/^1:1: error: the event has no "type"/);
    const { logged_at: _l, time: _t, ...noTime } = toolCall("a", "success");
    expect(await errorOf(noTime)).toMatch(/^1:1: error: the event has no "time"/);
    const yesterday = { ...toolCall("a", "success"), logged_at: "yesterday" };
    expect(await errorOf(yesterday)).toMatch(new RegExp(`^1:${JSON.stringify(yesterday).indexOf('"yesterday"') + 1}: error: "logged_at" "yesterday" is not an RFC 3339 time`));
    const subjects = { ...toolCall("a", "success"), subjects: { user_id: 7 } };
    expect(await errorOf(subjects)).toMatch(new RegExp(`^1:${JSON.stringify(subjects).indexOf('{"user_id":7}') + 1}: error: "subjects.user_id" must be a string, got 7`));
    expect(await errorOf("[1,2]")).toMatch(/^1:1: error: not a JSON object/);
  });
});
