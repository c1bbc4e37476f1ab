/**
 * `mcptape import toolhive-audit`: ToolHive's audit log becomes a tape of `call` lines.
 *
 * The log (stacklok/toolhive pkg/audit, auditor.go and event.go; docs/middleware.md "Audit
 * Middleware") is JSON lines written through slog: `time`, `level` "AUDIT", `msg`
 * "audit_event", then `audit_id`, `type` (`mcp_tool_call`, `mcp_tools_list`, `http_request`, …),
 * `logged_at`, `outcome`, `component`, `source`, `subjects` (`user_id` = the token's `sub`,
 * `user`, `client_name`, `client_version`; `user` is "anonymous" without an identity), `target`
 * (`name` = the tool), `metadata.extra` (`duration_ms`, …) and, with includeRequestData /
 * includeResponseData, `data.request` / `data.response`: the HTTP bodies, JSON when they parse.
 *
 * The outcome is the HTTP status (auditor.go determineOutcome): 2xx `success` (or
 * `application_error` when the 200 carried a JSON-RPC error), 401/403 `denied`, other 4xx
 * `failure`, 5xx `error`. On tape: success and application_error → recorded allow; denied →
 * deny; failure → throttle (ToolHive's rate limiter answers 429, a `failure`) unless the logged
 * response shows another error, then deny; error → no recorded decision (the gateway's policy
 * did not refuse; something failed). Arguments come from the logged request body; without one
 * the call's arguments are unknown (`argsHash: "unlogged"`), and replay marks any decision that
 * reads them undecidable, as for Intercept's hashed arguments.
 *
 * Secrets: the logged request body holds the arguments as the agent sent them (API keys,
 * tokens), so they are redacted on the tape as the recorder redacts messages (tape/redact.ts):
 * argument values, the logged error message and the claims; `redact: {enabled: false}` keeps them.
 *
 * Sessions: ToolHive logs no session id, so each subject (per component) is one session, whose
 * line carries its identity (`user_id`) and the claims the event holds (`sub`, `client_name`,
 * `client_version`).
 */
import { InputError } from "../errors.js";
import type { DecisionKind } from "../engine/types.js";
import type { RecordedDecision } from "../tape/schema.js";
import { nowIso, type TapeWriter } from "../tape/writer.js";
import { parseTime } from "./audit-event.js";
import { fieldsOf, importLog, jsonObjectOfLine, logName, type FieldAt, type LogImportOptions } from "./log-import.js";
import { isJsonObject } from "../json/object.js";
import { Redactor, type RedactOptions } from "../tape/redact.js";

/** What a call line holds instead of arguments the log did not keep (see replay/unknown-args.ts). */
export const UNLOGGED_ARGS = "unlogged";

const OUTCOMES = ["success", "application_error", "denied", "failure", "error"] as const;
type Outcome = (typeof OUTCOMES)[number];
const TOOL_CALL = "mcp_tool_call";
const RATE_LIMITED = { code: 429, message: "Rate limit exceeded" };
const HINT = "is this a ToolHive audit log (the audit middleware's JSON lines)?";

export interface ToolhiveImportSummary {
  calls: number;
  decisions: Record<DecisionKind, number>;
  /** Calls whose request body the log does not hold (includeRequestData off, or the body over maxDataSize). */
  argsUnlogged: number;
  /** `failure` outcomes taken as 429s with no logged response to prove it. */
  throttlesInferred: number;
  sessions: number;
  /** Events that are not tool calls, by type. */
  skipped: Record<string, number>;
}

interface ToolhiveEvent {
  t: number;
  type: string;
  outcome: Outcome;
  component: string;
  subjects: Record<string, string>;
  tool?: string;
  durationMs?: number;
  /** data.request / data.response as logged; undefined when absent. */
  request?: unknown;
  response?: unknown;
}

export interface ToolhiveImportOptions extends LogImportOptions {
  /** How secrets in the logged bodies are redacted (on, with a random key, when absent). */
  redact?: RedactOptions;
}

export async function importToolhiveAudit(log: string, tape: string, options: ToolhiveImportOptions = {}): Promise<ToolhiveImportSummary> {
  const note = options.onNote ?? (() => {});
  const redactor = new Redactor(options.redact ?? { enabled: true });
  const summary: ToolhiveImportSummary = {
    calls: 0, decisions: { allow: 0, deny: 0, throttle: 0, approval: 0, undecided: 0 }, argsUnlogged: 0, throttlesInferred: 0, sessions: 0, skipped: {},
  };
  const sessions = new Sessions();
  await importLog<ToolhiveEvent>(log, tape, {
    idPrefix: "toolhive-audit",
    whereLogsAre: "ToolHive writes them to the audit config's logFile (or stdout)",
    parse: parseToolhiveEvent,
    redaction: redactor.describe(),
    write(event, writer, lineNo) {
      if (event.type !== TOOL_CALL) {
        summary.skipped[event.type] = (summary.skipped[event.type] ?? 0) + 1;
        return;
      }
      if (event.tool === undefined) {
        summary.skipped[`${TOOL_CALL} without a tool name`] = (summary.skipped[`${TOOL_CALL} without a tool name`] ?? 0) + 1;
        note(`${logName(log)}:${lineNo}: a tool call event with no target.name (the request named no tool); left out`);
        return;
      }
      writeCall(writer, event, event.tool, sessions.of(event, writer, redactor), summary, redactor);
    },
  }, options);
  summary.sessions = sessions.count;
  return summary;
}

function writeCall(writer: TapeWriter, e: ToolhiveEvent, tool: string, session: string, summary: ToolhiveImportSummary, redactor: Redactor): void {
  const logged = argumentsOf(e.request);
  const args = logged === undefined ? undefined : redactor.redact(logged).value;
  const { recorded, inferred } = recordedOf(e);
  if (recorded?.message && redactor.enabled) recorded.message = redactor.redactText(recorded.message);
  writer.write({
    kind: "call", t: nowIso(e.t), session, tool,
    ...(args === undefined ? {} : { args }),
    ...(e.outcome === "application_error" || e.outcome === "error" ? { outcome: "error" as const } : {}),
    ...(e.durationMs !== undefined ? { latencyMs: e.durationMs } : {}),
    ...(recorded ? { recorded } : {}),
    ...(args === undefined ? { argsHash: UNLOGGED_ARGS } : {}),
  });
  summary.calls++;
  if (recorded) summary.decisions[recorded.decision]++;
  if (args === undefined) summary.argsUnlogged++;
  if (inferred) summary.throttlesInferred++;
}

/** The call's arguments from the logged request body (a JSON-RPC tools/call), or undefined. */
function argumentsOf(request: unknown): unknown {
  if (!isJsonObject(request) || request.method !== "tools/call") return undefined;
  const params = request.params;
  if (!isJsonObject(params)) return undefined;
  return params.arguments ?? {};
}

function recordedOf(e: ToolhiveEvent): { recorded?: RecordedDecision; inferred?: boolean } {
  switch (e.outcome) {
    case "success":
    case "application_error":
      return { recorded: { decision: "allow" } };
    case "denied": {
      const error = jsonRpcError(e.response);
      return { recorded: { decision: "deny", ...(error?.message ? { message: error.message } : {}) } };
    }
    case "failure": {
      const error = jsonRpcError(e.response);
      if (error === undefined) return { recorded: { decision: "throttle" }, inferred: true };
      if (error.code === RATE_LIMITED.code || error.message === RATE_LIMITED.message) {
        return { recorded: { decision: "throttle", message: RATE_LIMITED.message } };
      }
      return { recorded: { decision: "deny", ...(error.message ? { message: error.message } : {}) } };
    }
    case "error":
      return {};
  }
}

function jsonRpcError(response: unknown): { code?: number; message?: string } | undefined {
  if (!isJsonObject(response) || !isJsonObject(response.error)) return undefined;
  const { code, message } = response.error;
  return { ...(typeof code === "number" ? { code } : {}), ...(typeof message === "string" ? { message } : {}) };
}

/** One session per subject and component, named after them; the first event opens it. */
class Sessions {
  private readonly byKey = new Map<string, string>();
  private readonly names = new Set<string>();

  get count(): number {
    return this.byKey.size;
  }

  of(e: ToolhiveEvent, writer: TapeWriter, redactor: Redactor): string {
    const s = e.subjects;
    const key = JSON.stringify([e.component, s.user_id, s.user, s.client_name, s.client_version]);
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const base = `${e.component || "toolhive"}:${s.user_id ?? s.user ?? "anonymous"}`;
    let name = base;
    for (let n = 2; this.names.has(name); n++) name = `${base}#${n}`;
    this.names.add(name);
    this.byKey.set(key, name);
    const claims: Record<string, string> = {};
    // user_id is identity.Subject, the token's `sub`; client_name/version are claims of that name.
    if (s.user_id !== undefined) claims.sub = s.user_id;
    if (s.client_name !== undefined) claims.client_name = s.client_name;
    if (s.client_version !== undefined) claims.client_version = s.client_version;
    const identity = s.user_id ?? (s.user !== undefined && s.user !== "anonymous" ? s.user : undefined);
    writer.write({
      kind: "session", session: name, t: nowIso(e.t),
      ...(identity !== undefined ? { identity } : {}),
      ...(Object.keys(claims).length > 0 ? { claims: redactor.redact(claims).value as Record<string, string> } : {}),
    });
    return name;
  }
}

/** Parses one non-empty line; throws InputError naming the file and line. */
export function parseToolhiveEvent(text: string, file: string, line: number): ToolhiveEvent {
  const at = fieldsOf(text, file, line);
  const raw = jsonObjectOfLine(text, at(), "a ToolHive audit log");
  const type = str(raw, "type", at, true)!;
  const timeKey = raw.logged_at !== undefined ? "logged_at" : "time";
  const timeText = str(raw, timeKey, at, true)!;
  const t = parseTime(timeText);
  if (t === undefined) throw new InputError(`"${timeKey}" ${JSON.stringify(timeText)} is not an RFC 3339 time`, at(timeKey), 'ToolHive writes times like "2026-03-04T10:00:00.123456Z"');
  const outcome = str(raw, "outcome", at, true)!;
  if (!(OUTCOMES as readonly string[]).includes(outcome)) {
    throw new InputError(`"outcome" must be one of ${OUTCOMES.join(", ")}; got ${JSON.stringify(outcome)}`, at("outcome"), HINT);
  }
  const event: ToolhiveEvent = {
    t, type, outcome: outcome as Outcome, component: str(raw, "component", at, false) ?? "", subjects: stringMap(raw, "subjects", at),
  };
  const target = stringMap(raw, "target", at);
  if (target.name !== undefined && target.name !== "") event.tool = target.name;
  const extra = isJsonObject(raw.metadata) && isJsonObject(raw.metadata.extra) ? raw.metadata.extra : undefined;
  if (typeof extra?.duration_ms === "number" && extra.duration_ms >= 0) event.durationMs = extra.duration_ms;
  if (raw.data !== undefined && raw.data !== null) {
    if (!isJsonObject(raw.data)) throw new InputError(`"data" must be an object, got ${JSON.stringify(raw.data)}`, at("data"), HINT);
    if (raw.data.request !== undefined) event.request = raw.data.request;
    if (raw.data.response !== undefined) event.response = raw.data.response;
  }
  return event;
}

function str(o: Record<string, unknown>, key: string, at: FieldAt, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw new InputError(`the event has no "${key}"`, at(), HINT);
    return undefined;
  }
  if (typeof v !== "string") throw new InputError(`"${key}" must be a string, got ${JSON.stringify(v)}`, at(key), HINT);
  return v;
}

/** `subjects` and `target` are Go map[string]string. */
function stringMap(o: Record<string, unknown>, key: string, at: FieldAt): Record<string, string> {
  const v = o[key];
  if (v === undefined || v === null) return {};
  if (!isJsonObject(v)) throw new InputError(`"${key}" must be an object of strings, got ${JSON.stringify(v)}`, at(key), HINT);
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== "string") throw new InputError(`"${key}.${k}" must be a string, got ${JSON.stringify(value)}`, at(key), HINT);
    if (k !== "__proto__") out[k] = value;
  }
  return out;
}
