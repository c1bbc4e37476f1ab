/**
 * One line of Intercept's audit log (`~/.intercept/events/<instance>.jsonl`, written by its
 * internal/events package): checked, and what it says a `tools/call` was decided as.
 * Fields are Go's `Event` struct: `ts` (RFC3339Nano UTC), `type`, `instance`, and for
 * `tool_call` events `tool`, `result` (allowed|denied), `args_hash` (absent when the call had
 * no arguments), `rule` and `message` on denials; for `config_reload`, `status` and, on a
 * failure, `message`. Argument values are never logged.
 */
import { InputError } from "../errors.js";
import { fieldsOf, jsonObjectOfLine, type FieldAt } from "./log-import.js";
import { RATE_LIMIT_TEXT } from "../tape/recorded.js";
import type { RecordedDecision } from "../tape/schema.js";
import { daysInMonth } from "../tape/time.js";

export const EVENT_TYPES = ["startup", "tool_call", "config_reload", "heartbeat", "shutdown"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface AuditEvent {
  /** ms since the epoch. */
  t: number;
  type: string;
  instance: string;
  /** config_reload: `success`, or `failure` (the new file was refused; the policy in force stayed). */
  status?: string;
  /** config_reload failure: why the file was refused. */
  message?: string;
}

export interface ToolCallEvent extends AuditEvent {
  type: "tool_call";
  tool: string;
  result: "allowed" | "denied";
  argsHash?: string;
  rule?: string;
  message?: string;
}

/** Intercept's answer when a counter's increment could not be worked out; it has no rule. */
const INTERNAL_ERROR = "Internal policy error";
const ARGS_HASH = /^sha256:[0-9a-f]{64}$/;
/** RFC 3339 with up to nanoseconds, as Go's time.RFC3339Nano writes it. */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses one non-empty log line; throws InputError naming the file and line. */
export function parseAuditLine(text: string, file: string, line: number): AuditEvent | ToolCallEvent {
  const at = fieldsOf(text, file, line);
  const o = jsonObjectOfLine(text, at(), "an Intercept audit log");
  const type = str(o, "type", at, true)!;
  const instance = str(o, "instance", at, false) ?? "";
  const tsText = str(o, "ts", at, true)!;
  const t = parseTime(tsText);
  if (t === undefined) throw new InputError(`"ts" ${JSON.stringify(tsText)} is not an RFC 3339 time`, at("ts"), 'Intercept writes times like "2026-03-04T10:00:00.123456789Z"');
  if (type === "config_reload") {
    const status = str(o, "status", at, false);
    const message = str(o, "message", at, false);
    return { t, type, instance, ...(status ? { status } : {}), ...(message ? { message } : {}) };
  }
  if (type !== "tool_call") return { t, type, instance };

  const tool = str(o, "tool", at, true)!;
  const result = str(o, "result", at, true)!;
  if (result !== "allowed" && result !== "denied") {
    throw new InputError(`"result" must be "allowed" or "denied", got ${JSON.stringify(result)}`, at("result"), "is this an Intercept audit log?");
  }
  const event: ToolCallEvent = { t, type, instance, tool, result };
  const argsHash = str(o, "args_hash", at, false);
  if (argsHash !== undefined) {
    if (!ARGS_HASH.test(argsHash)) throw new InputError(`"args_hash" ${JSON.stringify(argsHash)} is not sha256:<64 hex digits>`, at("args_hash"));
    event.argsHash = argsHash;
  }
  const rule = str(o, "rule", at, false);
  const message = str(o, "message", at, false);
  if (rule !== undefined && rule !== "") event.rule = rule;
  if (message !== undefined && message !== "") event.message = message;
  return event;
}

/**
 * What Intercept decided. A denial with no rule came from a counter reservation (a throttle),
 * except `Internal policy error`; a denial whose message is one of Intercept's rate-limit
 * texts is a throttle too (a false `state.` condition).
 */
export function recordedDecisionOf(e: ToolCallEvent): RecordedDecision {
  if (e.result === "allowed") return { decision: "allow" };
  const throttled = (e.rule === undefined && e.message !== INTERNAL_ERROR) || RATE_LIMIT_TEXT.test(e.message ?? "");
  const out: RecordedDecision = { decision: throttled ? "throttle" : "deny" };
  if (e.rule !== undefined) out.rule = e.rule;
  if (e.message !== undefined) out.message = e.message;
  return out;
}

/**
 * Milliseconds since the epoch of an RFC 3339 time, or undefined when `text` is not one. A date
 * or clock that does not exist (February 30, hour 24, offset +25:00) is refused as Go's
 * time.Parse refuses it: Date.parse would roll it over to another day than the log says.
 */
export function parseTime(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m || !isRealTime(m[1]!, m[2]!, m[4]!)) return undefined;
  // Tapes keep milliseconds: the digits past them are dropped, not rounded.
  const ms = (m[3] ?? "").slice(0, 3).padEnd(3, "0");
  const t = Date.parse(`${m[1]}T${m[2]}.${ms}${m[4]!.toUpperCase()}`);
  return Number.isNaN(t) ? undefined : t;
}

/** `YYYY-MM-DD`, `HH:MM:SS` and `Z` or `±HH:MM` name a day of the calendar and a time of day. */
function isRealTime(date: string, clock: string, zone: string): boolean {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute, second] = clock.split(":").map(Number) as [number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  return zone.length === 1 || (Number(zone.slice(1, 3)) <= 23 && Number(zone.slice(4)) <= 59);
}

function str(o: Record<string, unknown>, key: string, at: FieldAt, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw new InputError(`the event has no "${key}"`, at(), "is this an Intercept audit log (~/.intercept/events/<instance>.jsonl)?");
    return undefined;
  }
  if (typeof v !== "string") throw new InputError(`"${key}" must be a string, got ${JSON.stringify(v)}`, at(key));
  return v;
}
