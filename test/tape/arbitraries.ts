/** fast-check arbitraries for valid tape lines, one per kind. */
import fc from "fast-check";
import type {
  CallLine, EndLine, HeaderLine, MsgLine, RawLine, SessionLine, StderrLine, TapeLine,
} from "../../src/tape/schema.js";

/** Any UTF-16 code unit: control characters, newlines, U+2028, lone surrogates. */
const anyChar = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
export const text = fc.oneof(fc.string(), fc.string({ unit: anyChar }), fc.string({ unit: "binary" }));

export const time = fc
  .integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 11, 31) })
  .map((ms) => new Date(ms).toISOString());
const seq = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
/** A line's bytes as received, base64 (when it was not UTF-8). */
const bytes = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString("base64"));
const dir = fc.constantFrom("c2s" as const, "s2c" as const);
const nameVersion = fc.record({ name: text, version: text });
/** JSON values, as they come back from JSON.parse (so -0 is 0). */
export const json = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);

export const headerLine: fc.Arbitrary<HeaderLine> = fc.record(
  {
    kind: fc.constant("header" as const),
    tape: fc.constant(1 as const),
    id: text,
    t: time,
    recorder: nameVersion,
    transport: fc.constantFrom("stdio" as const, "http" as const, "import" as const, "hand" as const),
    upstream: fc.oneof(fc.record({ command: fc.array(text) }), fc.record({ url: text })),
    redaction: json,
  },
  { requiredKeys: ["kind", "tape", "id", "t", "recorder", "transport"] },
);

export const sessionLine: fc.Arbitrary<SessionLine> = fc.record(
  {
    kind: fc.constant("session" as const),
    session: text,
    t: time,
    identity: text,
    client: nameVersion,
    protocolVersion: text,
  },
  { requiredKeys: ["kind", "session", "t"] },
);

export const msgLine: fc.Arbitrary<MsgLine> = fc.record(
  {
    kind: fc.constant("msg" as const),
    seq,
    t: time,
    session: text,
    dir,
    msg: json as fc.Arbitrary<MsgLine["msg"]>,
    redacted: fc.array(text),
    bytes,
  },
  { requiredKeys: ["kind", "seq", "t", "session", "dir", "msg"] },
);

export const rawLine: fc.Arbitrary<RawLine> = fc.record(
  {
    kind: fc.constant("raw" as const),
    seq,
    t: time,
    session: text,
    dir,
    text,
    bytes,
  },
  { requiredKeys: ["kind", "seq", "t", "session", "dir", "text"] },
);

export const stderrLine: fc.Arbitrary<StderrLine> = fc.record(
  {
    kind: fc.constant("stderr" as const),
    t: time,
    session: text,
    text,
    bytes,
  },
  { requiredKeys: ["kind", "t", "session", "text"] },
);

export const callLine: fc.Arbitrary<CallLine> = fc.record(
  {
    kind: fc.constant("call" as const),
    seq,
    t: time,
    session: text,
    tool: text,
    args: json,
    outcome: fc.constantFrom("ok" as const, "error" as const, "isError" as const),
    latencyMs: fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e9, noNaN: true }).map((n) => (Object.is(n, -0) ? 0 : n))),
    recorded: fc.record(
      {
        decision: fc.constantFrom("allow" as const, "deny" as const, "throttle" as const, "approval" as const),
        rule: fc.option(text),
        message: fc.option(text),
      },
      { requiredKeys: ["decision"] },
    ),
    argsHash: text,
  },
  { requiredKeys: ["kind", "seq", "t", "session", "tool"] },
);

export const endLine: fc.Arbitrary<EndLine> = fc.record(
  {
    kind: fc.constant("end" as const),
    t: time,
    messages: fc.nat(),
    reason: fc.constantFrom("closed" as const, "server-exit" as const, "signal" as const, "error" as const),
    exitCode: fc.option(fc.integer()),
  },
  { requiredKeys: ["kind", "t", "messages", "reason"] },
);

/** Lines that may come between the header and the end. */
export const middleLine: fc.Arbitrary<Exclude<TapeLine, HeaderLine | EndLine>> = fc.oneof(
  sessionLine, msgLine, rawLine, stderrLine, callLine,
);

export const anyLine: fc.Arbitrary<TapeLine> = fc.oneof(headerLine, middleLine, endLine);
