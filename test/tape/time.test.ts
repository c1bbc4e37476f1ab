/**
 * Tape times are read by hand (src/tape/time.ts) for speed; the answer must be Date.parse's on
 * every string the format takes, and NaN wherever the format or the calendar refuses it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tapeTimeMs } from "../../src/tape/time.js";

/**
 * The reference, written the obvious slow way: the spec's pattern, then Date.parse, then a
 * round trip through toISOString that catches the days and hours Date.parse rolls over.
 */
function reference(s: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(s)) return NaN;
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return NaN;
  return new Date(ms).toISOString().slice(0, 19) === s.slice(0, 19) ? ms : NaN;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");
/** Near-valid times: every field a little past its range now and then, fractions of 0 to 10 digits. */
const nearTime = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }),
    fc.option(fc.stringMatching(/^[0-9]{0,10}$/), { nil: undefined }),
  )
  .map(([y, mo, d, h, mi, s, frac]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${frac === undefined ? "" : "." + frac}Z`);
/** The same with one character replaced, inserted or removed. */
const damagedTime = fc.tuple(nearTime, fc.nat(), fc.constantFrom("", "x", "/", ".", ":", "-", "Z", "T", " ", "9", "٣"), fc.boolean())
  .map(([t, at, c, replace]) => t.slice(0, at % t.length) + c + t.slice((at % t.length) + (replace ? 1 : 0)));

describe("tape times", () => {
  it("are Date.parse's milliseconds for every near-valid or damaged time, NaN where the reference refuses", () => {
    fc.assert(fc.property(fc.oneof(nearTime, damagedTime, fc.string()), (s) => {
      expect(tapeTimeMs(s)).toBe(reference(s));
    }), { numRuns: 20_000 });
  });

  it("read a day the same after any other time of that day, valid or not (the reader keeps the last day it read)", () => {
    const sameDay = fc.tuple(nearTime, fc.array(fc.oneof(nearTime, damagedTime), { minLength: 1, maxLength: 4 }))
      .map(([first, rest]) => [first, ...rest.map((t) => first.slice(0, 10) + t.slice(10))]);
    fc.assert(fc.property(sameDay, (times) => {
      for (const s of times) expect(tapeTimeMs(s), s).toBe(reference(s));
    }), { numRuns: 5_000 });
  });

  it("keep the calendar: leap days, month lengths, no hour 24 or second 60", () => {
    expect(tapeTimeMs("2024-02-29T12:00:00.000Z")).toBe(Date.UTC(2024, 1, 29, 12));
    expect(tapeTimeMs("2000-02-29T00:00:00Z")).toBe(Date.UTC(2000, 1, 29));
    for (const no of ["2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:60Z", "2026-13-01T00:00:00Z", "2026-01-00T00:00:00Z"]) {
      expect(tapeTimeMs(no), no).toBeNaN();
    }
  });

  it("drop fraction digits past milliseconds, as Date.parse does, and read years below 100 as written", () => {
    expect(tapeTimeMs("2026-11-21T23:40:23.1239Z")).toBe(Date.UTC(2026, 10, 21, 23, 40, 23, 123));
    expect(tapeTimeMs("2026-11-21T23:40:23.5Z")).toBe(Date.UTC(2026, 10, 21, 23, 40, 23, 500));
    expect(tapeTimeMs("0050-06-01T00:00:00Z")).toBe(Date.parse("0050-06-01T00:00:00Z"));
    expect(tapeTimeMs("2026-11-21T23:40:23.Z")).toBeNaN();
    expect(tapeTimeMs("2026-11-21T23:40:23.1234567890Z")).toBeNaN();
  });
});
