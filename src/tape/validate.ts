/**
 * Checking a parsed value against the tape schemas, fast.
 *
 * The reader checks every line of tapes that can be gigabytes long, and zod on the hot kinds
 * costs more than the JSON.parse itself, so each kind has a hand-written check that mirrors
 * its zod schema exactly (a property test pins the two together). zod runs only when the fast
 * check fails, to say what is wrong (explain.ts), and is not even loaded until then.
 */
import { tapeTimeMs } from "./time.js";
import { BASE64 } from "./base64.js";
import type { TapeLine } from "./schema.js";
import { isJsonObject } from "../json/object.js";

type Obj = Record<string, unknown>;

const isString = (v: unknown): v is string => typeof v === "string";
const isSeq = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) > 0;
const isDir = (v: unknown): boolean => v === "c2s" || v === "s2c";
const optString = (v: unknown): boolean => v === undefined || typeof v === "string";
const isNameVersion = (v: unknown): boolean => isJsonObject(v) && isString(v.name) && isString(v.version);
const optInt = (v: unknown): boolean => v === undefined || Number.isSafeInteger(v);
const nullableOptString = (v: unknown): boolean => v === undefined || v === null || typeof v === "string";
const optBytes = (v: unknown): boolean => v === undefined || (typeof v === "string" && BASE64.test(v));

function isStringArray(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const s of v) if (typeof s !== "string") return false;
  return true;
}

function isUpstream(v: unknown): boolean {
  if (!isJsonObject(v)) return false;
  // z.union: either branch may match; extra keys are allowed by both.
  return (v.command !== undefined && isStringArray(v.command)) || isString(v.url);
}

/** A JSON-RPC id (a string or a number), or nothing. */
function optId(v: unknown): boolean {
  return v === undefined || typeof v === "string" || (typeof v === "number" && Number.isFinite(v));
}

function isRecorded(v: unknown): boolean {
  if (!isJsonObject(v)) return false;
  const d = v.decision;
  return (d === "allow" || d === "deny" || d === "throttle" || d === "approval")
    && nullableOptString(v.rule) && nullableOptString(v.message);
}

/** Each kind's fields but `t`, which every kind has and validLineTime reads. */
const CHECKS: Record<TapeLine["kind"], (o: Obj) => boolean> = {
  msg: (o) => isSeq(o.seq) && isString(o.session) && isDir(o.dir)
    && o.msg !== undefined && (o.redacted === undefined || isStringArray(o.redacted)) && optInt(o.http) && optId(o.answers) && optBytes(o.bytes),
  call: (o) => isSeq(o.seq) && isString(o.session) && isString(o.tool)
    && (o.outcome === undefined || o.outcome === "ok" || o.outcome === "error" || o.outcome === "isError")
    && (o.latencyMs === undefined || (Number.isFinite(o.latencyMs) && (o.latencyMs as number) >= 0))
    && (o.recorded === undefined || isRecorded(o.recorded)) && optString(o.argsHash),
  raw: (o) => isSeq(o.seq) && isString(o.session) && isDir(o.dir) && isString(o.text) && optInt(o.http) && optId(o.answers) && optBytes(o.bytes),
  stderr: (o) => isString(o.session) && isString(o.text) && optBytes(o.bytes),
  session: (o) => isString(o.session) && optString(o.identity)
    && (o.claims === undefined || isJsonObject(o.claims))
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
  if (!isJsonObject(value)) return NaN;
  const kind = value.kind;
  if (typeof kind !== "string" || !Object.hasOwn(CHECKS, kind)) return NaN;
  const t = typeof value.t === "string" ? tapeTimeMs(value.t) : NaN;
  return CHECKS[kind as TapeLine["kind"]](value) ? t : NaN;
}
