import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseAuditLine, parseTime, recordedDecisionOf, type ToolCallEvent } from "../../src/import/audit-event.js";

const call = (extra: Partial<ToolCallEvent>): ToolCallEvent => ({ t: 0, type: "tool_call", instance: "i", tool: "t", result: "denied", ...extra });

describe("what an Intercept audit event says was decided", () => {
  it("allowed is allow", () => {
    expect(recordedDecisionOf(call({ result: "allowed" }))).toEqual({ decision: "allow" });
  });
  it("a denial with a rule is deny, with that rule and message", () => {
    expect(recordedDecisionOf(call({ rule: "(default deny)", message: 'Tool "t" is not permitted by policy' }))).toEqual({
      decision: "deny", rule: "(default deny)", message: 'Tool "t" is not permitted by policy',
    });
  });
  it("a denial with no rule came from a reservation: throttle", () => {
    expect(recordedDecisionOf(call({ message: "Slow down" }))).toEqual({ decision: "throttle", message: "Slow down" });
  });
  it("Internal policy error has no rule but is a deny", () => {
    expect(recordedDecisionOf(call({ message: "Internal policy error" })).decision).toBe("deny");
  });
  it("a denial by a rule with Intercept's rate-limit text is a throttle (a false state condition)", () => {
    expect(recordedDecisionOf(call({ rule: "hourly", message: "Rate limit exceeded for hourly" })).decision).toBe("throttle");
  });
});

describe("reading audit log lines", () => {
  it("a tool_call line becomes an event with its time in ms", () => {
    const e = parseAuditLine('{"ts":"2026-03-02T10:00:01.123456789Z","type":"tool_call","instance":"a1","tool":"x","result":"allowed","args_hash":"sha256:' + "ab".repeat(32) + '"}', "log", 1);
    expect(e).toEqual({ t: Date.parse("2026-03-02T10:00:01.123Z"), type: "tool_call", instance: "a1", tool: "x", result: "allowed", argsHash: "sha256:" + "ab".repeat(32) });
  });
  it("RFC 3339 times keep milliseconds, drop the rest, and honour offsets", () => {
    expect(parseTime("2026-03-02T10:00:01Z")).toBe(Date.parse("2026-03-02T10:00:01.000Z"));
    expect(parseTime("2026-03-02T10:00:01.9999Z")).toBe(Date.parse("2026-03-02T10:00:01.999Z"));
    expect(parseTime("2026-03-02T12:00:01.5+02:00")).toBe(Date.parse("2026-03-02T10:00:01.500Z"));
    expect(parseTime("yesterday")).toBeUndefined();
  });
  // Go's time.Parse (which Intercept's own `intercept status` reads the log with, through
  // time.Time's UnmarshalJSON) refuses these; Date.parse would move them to another day.
  it.each(["2026-02-30T10:00:00Z", "2026-11-31T10:00:00Z", "2025-02-29T10:00:00Z", "2026-11-30T24:00:00Z", "2026-11-30T10:60:00Z", "2026-11-30T10:00:60Z", "2026-13-01T10:00:00Z", "2026-00-10T10:00:00Z", "2026-11-30T10:00:00+24:00", "2026-11-30T10:00:00+02:60"])(
    "a time that does not exist (%s) is no time, never the day it would roll over to",
    (text) => expect(parseTime(text)).toBeUndefined(),
  );
  it("the last day of February in a leap year and the last second of a day are real", () => {
    expect(parseTime("2028-02-29T23:59:59Z")).toBe(Date.parse("2028-02-29T23:59:59.000Z"));
    expect(parseTime("2026-11-30T10:00:00-23:59")).toBe(Date.parse("2026-12-01T09:59:00.000Z"));
  });
  it("other event types are read with their type", () => {
    expect(parseAuditLine('{"ts":"2026-03-02T10:00:00Z","type":"heartbeat","instance":"a1","counters":{"x":1}}', "log", 1)).toMatchObject({ type: "heartbeat" });
  });

  it.each([
    ["not json", "not a JSON line: Unexpected token 'o', \"not json\" is not valid JSON", 2],
    ['{"ts": tru}', "not a JSON line: Unexpected token '}'", 11],
    ["[1]", "not a JSON object", 1],
    // A missing key: the column of the object; a wrong value: the column where it starts.
    ['{"type":"tool_call","instance":"a"}', 'the event has no "ts"', 1],
    ['  {"ts":"10:00","type":"tool_call","instance":"a"}', '"ts" "10:00" is not an RFC 3339 time', 9],
    ['{"ts":"2026-03-02T10:00:00Z","type":"tool_call","instance":"a","result":"allowed"}', 'the event has no "tool"', 1],
    ['{"ts":"2026-03-02T10:00:00Z","type":"tool_call","instance":"a","tool":"t","result":"maybe"}', '"result" must be "allowed" or "denied", got "maybe"', 84],
    ['{"ts":"2026-03-02T10:00:00Z","type":"tool_call","instance":"a","tool":"t","result":"allowed","args_hash":"md5:1"}', '"args_hash" "md5:1" is not sha256:<64 hex digits>', 106],
    ['{"ts":"2026-03-02T10:00:00Z","type":"tool_call","instance":"a","tool":7,"result":"allowed"}', '"tool" must be a string, got 7', 71],
  ])("%s is an InputError at its file, line and column", (text, message, col: number) => {
    let error: unknown;
    try {
      parseAuditLine(text, "events.jsonl", 7);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).format()).toContain(`events.jsonl:7:${col}: error: ${message}`);
  });
});
