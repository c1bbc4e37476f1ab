/**
 * Saying what is wrong with a line the fast checks (validate.ts) refused, from the zod schemas.
 * Only loaded when there is such a line: zod is most of the start-up of a command that reads tapes.
 */
import type { z } from "zod";
import { KEY_ORDER, LINE_KINDS, TAPE_VERSION, tapeLine, type TapeLine } from "./schema.js";
import { isTapeLine } from "./validate.js";
import { isJsonObject } from "../json/object.js";

type Obj = Record<string, unknown>;


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
  if (!isJsonObject(value)) return { message: `a tape line must be a JSON object, got ${describe(value)}` };
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
    ...(missing ? { hint: `a ${kind} line needs ${REQUIRED[kind as TapeLine["kind"]].join(", ")} (see docs/spec/tape.md)` } : {}),
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
