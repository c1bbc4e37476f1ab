/**
 * `replay --format json` writes each decision field by field instead of JSON.stringify-ing an
 * object (it runs once per call of tapes with millions). Each line must still be exactly what
 * JSON.stringify makes of the documented object, whatever the strings hold.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DecisionKind } from "../../src/engine/types.js";
import { replayJson } from "../../src/report/replay-json.js";
import type { DecidedCall } from "../../src/replay/types.js";

/** The reference: the object of docs/spec (key order included), through JSON.stringify. */
function referenceLine(call: DecidedCall, index: number): string {
  const d = call.decision;
  const object = {
    session: call.session,
    seq: call.seq,
    t: new Date(Math.floor(call.t)).toISOString(),
    tool: call.tool,
    decision: d.decision,
    ...(d.approved ? { approved: true } : {}),
    rule: d.rule,
    message: d.message,
    recorded: call.recorded?.decision ?? null,
    ...(d.errors ? { errors: d.errors } : {}),
  };
  return (index === 0 ? "\n" : ",\n") + JSON.stringify(object);
}

const KINDS: DecisionKind[] = ["allow", "deny", "throttle", "approval", "undecided"];
/** Strings with quotes, backslashes, control characters, lone surrogates and non-ASCII text. */
const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom('"', "\\", "\n", "\u2028", "\ud800", "é", ""));
const decidedCall: fc.Arbitrary<DecidedCall> = fc.record({
  session: text,
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  t: fc.integer({ min: 0, max: 253402300799999 }),
  tool: text,
  args: fc.constant({}),
  decision: fc.record(
    {
      decision: fc.constantFrom(...KINDS),
      rule: fc.option(text, { nil: null }),
      message: fc.option(text, { nil: null }),
      reservations: fc.constant([]),
      counters: fc.constant([]),
      errors: fc.array(text, { maxLength: 3 }),
      approved: fc.constant(true as const),
    },
    { requiredKeys: ["decision", "rule", "message", "reservations", "counters"] },
  ),
  recorded: fc.option(fc.record({ decision: fc.constantFrom("allow", "deny", "throttle", "approval") as fc.Arbitrary<"allow"> }), { nil: null }),
  outcome: fc.constant(null),
  changed: fc.boolean(),
  tape: fc.constant("t.jsonl"),
  line: fc.nat(),
});

describe("replay --format json decisions", () => {
  it("are exactly what JSON.stringify writes for the documented object", () => {
    const renderer = replayJson();
    fc.assert(fc.property(decidedCall, fc.nat(3), (call, index) => {
      expect(renderer.call(call, index)).toBe(referenceLine(call, index));
    }), { numRuns: 3000 });
  });
});
