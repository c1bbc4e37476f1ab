/**
 * The tape format (spec/tape.md) as zod schemas: one object a line, each with `kind`.
 * Readers check lines against these; writers build these types and write each object's keys
 * in the order its shape lists them (KEY_ORDER, NESTED_KEY_ORDER), so the order of the fields
 * below is the order on disk.
 */
import { z } from "zod";
import { tapeTimeMs } from "./time.js";
import { BASE64 } from "./base64.js";

export const TAPE_VERSION = 1;

/** ISO-8601 UTC with milliseconds, as every tape time is written. */
const TIME_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

const time = z.string().regex(TIME_FORMAT, {
  message: "expected an ISO-8601 UTC time like 2026-11-21T23:40:23.123Z",
})
  .refine((s) => !TIME_FORMAT.test(s) || !Number.isNaN(tapeTimeMs(s)), {
    message: "not a real date and time; check the month, day, hour, minute and second",
  });
const direction = z.enum(["c2s", "s2c"]);
const seq = z.number().int().positive();
/** The id of the request whose HTTP response carried a line that names no id itself (a bare 429). */
const answers = z.union([z.string(), z.number()]).optional();
/** The line as received, when it was not UTF-8 (`text` or `msg` holds it decoded). */
const bytes = z.string().regex(BASE64, { message: "expected base64, the line's bytes as received" }).optional();

export const headerLine = z.object({
  kind: z.literal("header"),
  tape: z.literal(TAPE_VERSION),
  id: z.string(),
  t: time,
  recorder: z.object({ name: z.string(), version: z.string() }),
  transport: z.enum(["stdio", "http", "import", "hand"]),
  upstream: z.union([z.object({ command: z.array(z.string()) }), z.object({ url: z.string() })]).optional(),
  redaction: z.unknown().optional(),
});

export const sessionLine = z.object({
  kind: z.literal("session"),
  session: z.string(),
  t: time,
  identity: z.string().optional(),
  /** The decoded payload of the session's bearer JWT (never the token), when recorded with --claims. */
  claims: z.record(z.string(), z.unknown()).optional(),
  client: z.object({ name: z.string(), version: z.string() }).optional(),
  protocolVersion: z.string().optional(),
});

export const msgLine = z.object({
  kind: z.literal("msg"),
  seq,
  t: time,
  session: z.string(),
  dir: direction,
  /** The HTTP status of the response that carried it, when not 2xx (a 429 throttle, say). */
  http: z.number().int().optional(),
  answers,
  /** The JSON-RPC message or batch array exactly as received. */
  msg: z.unknown().refine((m) => m !== undefined, { message: "msg is required" }),
  redacted: z.array(z.string()).optional(),
  bytes,
});

export const rawLine = z.object({
  kind: z.literal("raw"),
  seq,
  t: time,
  session: z.string(),
  dir: direction,
  /** The HTTP status of the response that carried it, when not 2xx. */
  http: z.number().int().optional(),
  answers,
  text: z.string(),
  bytes,
});

export const stderrLine = z.object({
  kind: z.literal("stderr"),
  t: time,
  session: z.string(),
  text: z.string(),
  bytes,
});

export const decisionKind = z.enum(["allow", "deny", "throttle", "approval"]);

export const recordedDecision = z.object({
  decision: decisionKind,
  rule: z.string().nullable().optional(),
  message: z.string().nullable().optional(),
});

export const callLine = z.object({
  kind: z.literal("call"),
  seq,
  t: time,
  session: z.string(),
  tool: z.string(),
  args: z.unknown().optional(),
  outcome: z.enum(["ok", "error", "isError"]).optional(),
  latencyMs: z.number().nonnegative().optional(),
  recorded: recordedDecision.optional(),
  argsHash: z.string().optional(),
});

export const endLine = z.object({
  kind: z.literal("end"),
  t: time,
  messages: z.number().int().nonnegative(),
  reason: z.enum(["closed", "server-exit", "signal", "error"]),
  exitCode: z.number().int().nullable().optional(),
});

export const tapeLine = z.discriminatedUnion("kind", [
  headerLine, sessionLine, msgLine, rawLine, stderrLine, callLine, endLine,
]);

export const LINE_KINDS = ["header", "session", "msg", "raw", "stderr", "call", "end"] as const;

export type HeaderLine = z.infer<typeof headerLine>;
export type SessionLine = z.infer<typeof sessionLine>;
export type MsgLine = z.infer<typeof msgLine>;
export type RawLine = z.infer<typeof rawLine>;
export type StderrLine = z.infer<typeof stderrLine>;
export type CallLine = z.infer<typeof callLine>;
export type EndLine = z.infer<typeof endLine>;
export type TapeLine = z.infer<typeof tapeLine>;
export type RecordedDecision = z.infer<typeof recordedDecision>;
/** How a tools/call ended: answered, a JSON-RPC error, or a tool result with isError. */
export type Outcome = NonNullable<CallLine["outcome"]>;

/** Key order per kind, so tapes diff cleanly in git: the order each shape lists its fields. */
export const KEY_ORDER: Readonly<Record<TapeLine["kind"], readonly string[]>> = (() => {
  const order = {} as Record<TapeLine["kind"], readonly string[]>;
  for (const line of tapeLine.options) order[line.shape.kind.value] = Object.keys(line.shape);
  return order;
})();

/**
 * Key order of the objects inside a line whose shape we own (`recorder`, `client`, `recorded`,
 * `upstream`), by field name; payloads (`msg`, `args`, `claims`, `redaction`) keep the sender's.
 */
export const NESTED_KEY_ORDER: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  tapeLine.options.flatMap((line) =>
    Object.entries(line.shape as Record<string, z.ZodType>).flatMap(([field, schema]) => {
      const keys = objectKeys(schema);
      return keys.length > 0 ? [[field, keys] as const] : [];
    }),
  ),
);

/** The keys an object schema lists (through optional, nullable and the branches of a union); none for other schemas. */
function objectKeys(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return objectKeys(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodUnion) return [...new Set((schema.options as z.ZodType[]).flatMap(objectKeys))];
  return [];
}
