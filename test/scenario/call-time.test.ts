import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCallTime } from "../../src/scenario/call-time.js";

describe("parseCallTime", () => {
  it("reads each offset unit", () => {
    expect(parseCallTime("+250ms")).toEqual({ kind: "offset", ms: 250 });
    expect(parseCallTime("+30s")).toEqual({ kind: "offset", ms: 30_000 });
    expect(parseCallTime("+2m")).toEqual({ kind: "offset", ms: 120_000 });
    expect(parseCallTime("+1h")).toEqual({ kind: "offset", ms: 3_600_000 });
  });

  it("adds the parts of a compound offset", () => {
    expect(parseCallTime("+1h2m3s4ms")).toEqual({ kind: "offset", ms: 3_723_004 });
  });

  it("reads an absolute time with a zone", () => {
    expect(parseCallTime("2026-01-01T10:00:00Z")).toEqual({ kind: "absolute", t: Date.parse("2026-01-01T10:00:00Z") });
    expect(parseCallTime("2026-01-01T12:00:00+02:00")).toEqual({ kind: "absolute", t: Date.parse("2026-01-01T10:00:00Z") });
  });

  it("refuses an unknown unit, a time without a zone and a negative offset, saying what to write", () => {
    expect(parseCallTime("+3x")).toMatchObject({ error: 'offset "+3x" is not a duration' });
    expect(parseCallTime("2026-01-01T10:00:00")).toMatchObject({ hint: "add the zone, like 2026-01-01T10:00:00Z" });
    expect(parseCallTime("-5s")).toMatchObject({ error: 'offset "-5s" goes back in time' });
  });

  it("an offset is the sum of its parts for any parts", () => {
    const unit = fc.constantFrom(["ms", 1], ["s", 1000], ["m", 60_000], ["h", 3_600_000]) as fc.Arbitrary<[string, number]>;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(10_000), unit), { minLength: 1, maxLength: 4 }), (parts) => {
        const text = "+" + parts.map(([n, [u]]) => `${n}${u}`).join("");
        const want = parts.reduce((sum, [n, [, ms]]) => sum + n * ms, 0);
        expect(parseCallTime(text)).toEqual({ kind: "offset", ms: want });
      }),
    );
  });
});
