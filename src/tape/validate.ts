/**
 * Checking a parsed value against the tape schemas.
 *
 * The reader checks every line of tapes that can be gigabytes long, and zod on the hot kinds
 * costs more than the JSON.parse itself, so each kind has a hand-written check that mirrors
 * its zod schema exactly (a property test pins the two together). zod runs only when the fast
 * check fails, to say what is wrong.
 */
import type { z } from "zod";
import { tapeTimeMs } from "./time.js";
import { KEY_ORDER, LINE_KINDS, TAPE_VERSION, tapeLine, type TapeLine } from "./schema.js";

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string";
const isSeq = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) > 0;
const isDir = (v: unknown): boolean => v === "c2s" || v === "s2c";
const optString = (v: unknown): boolean => v === undefined || typeof v === "string";
const isNameVersion = (v: unknown): boolean => isObject(v) && isString(v.name) && isString(v.version);
const optInt = (v: unknown): boolean => v === undefined || Number.isSafeInteger(v);
const nullableOptString = (v: unknown): boolean => v === undefined || v === null || typeof v === "string";

function isStringArray(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const s of v) if (typeof s !== "string") return false;
  return true;
}

function isUpstream(v: unknown): boolean {
  if (!isObject(v)) return false;
  // z.union: either branch may match; extra keys are allowed by both.
  return (v.command !== undefined && isStringArray(v.command)) || isString(v.url);
}

function isRecorded(v: unknown): boolean {
  if (!isObject(v)) return false;
  const d = v.decision;
  return (d === "allow" || d === "deny" || d === "throttle" || d === "approval")
    && nullableOptString(v.rule) && nullableOptString(v.message);
}

/** Each kind's fields but `t`, which every kind has and validLineTime reads. */
const CHECKS: Record<TapeLine["kind"], (o: Obj) => boolean> = {
  msg: (o) => isSeq(o.seq) && isString(o.session) && isDir(o.dir)
    && o.msg !== undefined && (o.redacted === undefined || isStringArray(o.redacted)) && optInt(o.http),
  call: (o) => isSeq(o.seq) && isString(o.session) && isString(o.tool)
    && (o.outcome === undefined || o.outcome === "ok" || o.outcome === "error" || o.outcome === "isError")
    && (o.latencyMs === undefined || (Number.isFinite(o.latencyMs) && (o.latencyMs as number) >= 0))
    && (o.recorded === undefined || isRecorded(o.recorded)) && optString(o.argsHash),
  raw: (o) => isSeq(o.seq) && isString(o.session) && isDir(o.dir) && isString(o.text) && optInt(o.http),
  stderr: (o) => isString(o.session) && isString(o.text),
  session: (o) => isString(o.session) && optString(o.identity)
    && (o.claims === undefined || isObject(o.claims))
    && (o.client === undefined || isNameVersion(o.client)) && optString(o.protocolVersion),
  header: (o) => o.tape === 1 && isString(o.id) && isNameVersion(o.recorder)
    && (o.transport === "stdio" || o.transport === "http" || o.transport === "import" || o.transport === "hand")
    && (o.upstream === undefined || isUpstream(o.upstream)),
  end: (o) => Number.isSafeInteger(o.messages) && (o.messages as number) >= 0
    && (o.reason === "closed" || o.reason === "server-exit" || o.reason === "signal" || o.reason === "error")
    && (o.exitCode === undefined || o.exitCode === null || Number.isSafeInteger(o.exitCode)),
};

/** True when `value` is a valid tape line (same answer as `tapeLine.safeParse(value).success`). */
export function isTapeLine(value: unknown): value is TapeLine {
  return !Number.isNaN(validLineTime(value));
}

/**
 * The time of a valid tape line in ms since the epoch, read once here so nothing reads it
 * again; NaN when `value` is not a valid tape line. Every kind has `t`.
 */
export function validLineTime(value: unknown): number {
  if (!isObject(value)) return NaN;
  const kind = value.kind;
  if (typeof kind !== "string" || !Object.hasOwn(CHECKS, kind)) return NaN;
  const t = typeof value.t === "string" ? tapeTimeMs(value.t) : NaN;
  return CHECKS[kind as TapeLine["kind"]](value) ? t : NaN;
}

/** What is wrong with a line: the message, the top-level field it is about, what to write. */
export interface LineProblem {
  message: string;
  /** The top-level key the first problem is in, when it is about a field. */
  field?: string;
  hint?: string;
}

/**
 * Why `value` is not a tape line, as one message a user can act on, or undefined when it is one.
 * Examples: `not a JSON object`, `unknown kind "x" (expected one of header, ...)`,
 * `field "t": expected an ISO-8601 UTC time like 2026-11-21T23:40:23.123Z`.
 */
export function explainTapeLine(value: unknown): string | undefined {
  return tapeLineProblem(value)?.message;
}

/** Like explainTapeLine, with the field the problem is in and, where the message alone is not enough, a hint. */
export function tapeLineProblem(value: unknown): LineProblem | undefined {
  if (isTapeLine(value)) return undefined;
  if (!isObject(value)) return { message: `a tape line must be a JSON object, got ${describe(value)}` };
  const kind = value.kind;
  if (kind === undefined) return { message: `field "kind" is missing (expected one of ${LINE_KINDS.join(", ")})` };
  if (typeof kind !== "string" || !(LINE_KINDS as readonly string[]).includes(kind)) {
    return { message: `unknown kind ${JSON.stringify(kind)} (expected one of ${LINE_KINDS.join(", ")})`, field: "kind" };
  }
  if (kind === "header" && typeof value.tape === "number" && value.tape > TAPE_VERSION) {
    return {
      message: `tape format version ${value.tape} is newer than this mcptape reads (version ${TAPE_VERSION})`,
      field: "tape",
      hint: "upgrade mcptape to read it",
    };
  }
  const result = tapeLine.safeParse(value);
  if (result.success) {
    // The fast check and the schema disagree: a bug here, not in the tape.
    throw new Error(`tape line check disagrees with schema for kind "${kind}"`);
  }
  const issues = result.error.issues;
  const missing = issues.some((issue) => isMissing(issue, value));
  return {
    message: issues.map((issue) => formatIssue(issue, value)).join("; "),
    field: String(issues[0]!.path[0] ?? ""),
    ...(missing ? { hint: `a ${kind} line needs ${REQUIRED[kind as TapeLine["kind"]].join(", ")} (see spec/tape.md)` } : {}),
  };
}

/** Each kind's required fields, in the order a tape writes them. */
const REQUIRED = Object.fromEntries(
  tapeLine.options.map((schema) => {
    const shape = schema.shape as Record<string, z.ZodType>;
    const kind = (schema.shape.kind as z.ZodLiteral<string>).value;
    const keys = KEY_ORDER[kind as TapeLine["kind"]].filter((k) => shape[k] !== undefined && !shape[k].safeParse(undefined).success);
    return [kind, keys];
  }),
) as Record<TapeLine["kind"], string[]>;

function isMissing(issue: z.core.$ZodIssue, value: Obj): boolean {
  return issue.path.length > 0 && valueAt(value, issue.path) === undefined;
}

function formatIssue(issue: z.core.$ZodIssue, value: Obj): string {
  const path = issue.path.map(String).join(".");
  if (issue.code === "invalid_type" && isMissing(issue, value)) return `field "${path}" is missing`;
  const message = issue.message.replace(/^Invalid (input|option): /, "");
  return path ? `field "${path}": ${message}` : message;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return `a ${typeof v}`;
}
