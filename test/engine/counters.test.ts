import { describe, expect, it } from "vitest";
import { createCounterStore, fixedWindowStart, windowMs } from "../../src/engine/counters.js";

const T = (iso: string): number => Date.parse(iso);
const MIN = windowMs({ kind: "calendar", unit: "minute" });
const HOUR = windowMs({ kind: "calendar", unit: "hour" });
const DAY = windowMs({ kind: "calendar", unit: "day" });

describe("fixed windows", () => {
  it("a minute window starts at :00 UTC", () => {
    expect(fixedWindowStart(T("2026-03-04T10:31:42.123Z"), MIN)).toBe(T("2026-03-04T10:31:00Z"));
  });
  it("an hour window starts at :00:00 UTC", () => {
    expect(fixedWindowStart(T("2026-03-04T10:31:42.123Z"), HOUR)).toBe(T("2026-03-04T10:00:00Z"));
  });
  it("a day window starts at 00:00:00Z", () => {
    expect(fixedWindowStart(T("2026-03-04T23:59:59.999Z"), DAY)).toBe(T("2026-03-04T00:00:00Z"));
  });
  it("an N-second window is aligned to the Unix epoch", () => {
    const span = windowMs({ kind: "seconds", seconds: 7 });
    expect(fixedWindowStart(15_500, span)).toBe(14_000);
    expect(fixedWindowStart(-500, span)).toBe(-7_000);
  });
  it("a counter from an earlier window reads 0", () => {
    const s = createCounterStore();
    s.tryReserve("t.c", 3, 10, MIN, T("2026-03-04T10:31:59.999Z"));
    expect(s.read("t.c", T("2026-03-04T10:31:59.999Z"))).toBe(3);
    expect(s.read("t.c", T("2026-03-04T10:32:00Z"))).toBe(0);
  });
  it("a never-set counter reads 0", () => expect(createCounterStore().read("x.y", 0)).toBe(0));
  it("a reservation in a new window starts from 0", () => {
    const s = createCounterStore();
    s.tryReserve("t.c", 10, 10, MIN, T("2026-03-04T10:31:00Z"));
    expect(s.tryReserve("t.c", 1, 10, MIN, T("2026-03-04T10:31:30Z"))).toBeUndefined();
    expect(s.tryReserve("t.c", 1, 10, MIN, T("2026-03-04T10:32:00Z"))).toBeDefined();
    expect(s.read("t.c", T("2026-03-04T10:32:00Z"))).toBe(1);
  });
  it("reservation fails when value + amount > limit and changes nothing", () => {
    const s = createCounterStore();
    expect(s.tryReserve("k", 4, 5, MIN, 0)).toEqual({ key: "k", amount: 4, at: 0 });
    expect(s.tryReserve("k", 2, 5, MIN, 0)).toBeUndefined();
    expect(s.read("k", 0)).toBe(4);
    expect(s.tryReserve("k", 1, 5, MIN, 0)).toBeDefined();
  });
  it("rollback floors at 0", () => {
    const s = createCounterStore();
    const r = s.tryReserve("k", 5, 10, MIN, 0)!;
    s.rollback({ ...r, amount: 8 });
    expect(s.read("k", 0)).toBe(0);
  });
  it("rollback after the window rolled over takes from the new window's count (Intercept)", () => {
    const s = createCounterStore();
    const a = s.tryReserve("k", 1, 10, MIN, T("2026-03-04T10:31:59Z"))!;
    s.tryReserve("k", 1, 10, MIN, T("2026-03-04T10:32:00Z"));
    s.tryReserve("k", 1, 10, MIN, T("2026-03-04T10:32:01Z"));
    s.rollback(a);
    expect(s.read("k", T("2026-03-04T10:32:02Z"))).toBe(1);
  });
  it("rollback after the window rolled over with no newer reservation changes nothing visible", () => {
    const s = createCounterStore();
    const a = s.tryReserve("k", 1, 10, MIN, T("2026-03-04T10:31:59Z"))!;
    s.rollback(a);
    expect(s.read("k", T("2026-03-04T10:32:01Z"))).toBe(0);
    expect(s.tryReserve("k", 10, 10, MIN, T("2026-03-04T10:32:01Z"))).toBeDefined();
  });
});

describe("sliding windows", () => {
  it("allow at most limit in any span of the window's length", () => {
    const s = createCounterStore("sliding");
    const t0 = T("2026-03-04T10:31:50Z");
    for (let i = 0; i < 3; i++) expect(s.tryReserve("k", 1, 3, MIN, t0 + i)).toBeDefined();
    // A fixed window would reset at 10:32:00; the sliding one still holds three.
    expect(s.tryReserve("k", 1, 3, MIN, T("2026-03-04T10:32:10Z"))).toBeUndefined();
    expect(s.read("k", T("2026-03-04T10:32:10Z"))).toBe(3);
  });
  it("an event leaves the window exactly one span later", () => {
    const s = createCounterStore("sliding");
    s.tryReserve("k", 1, 1, MIN, 1000);
    expect(s.tryReserve("k", 1, 1, MIN, 1000 + MIN - 1)).toBeUndefined();
    expect(s.tryReserve("k", 1, 1, MIN, 1000 + MIN)).toBeDefined();
  });
  it("rollback gives back the call's amount", () => {
    const s = createCounterStore("sliding");
    const r = s.tryReserve("k", 2, 5, MIN, 1000)!;
    s.tryReserve("k", 1, 5, MIN, 2000);
    s.rollback(r);
    expect(s.read("k", 3000)).toBe(1);
  });
  it("keeps memory bounded by pruning old events", () => {
    const s = createCounterStore("sliding");
    for (let i = 0; i < 10_000; i++) s.tryReserve("k", 1, 100, 1000, i * 100);
    expect(s.read("k", 10_000 * 100)).toBeLessThanOrEqual(10);
  });
});

describe("token buckets", () => {
  it("start full with capacity limit", () => {
    const s = createCounterStore("token-bucket");
    for (let i = 0; i < 5; i++) expect(s.tryReserve("k", 1, 5, MIN, 0)).toBeDefined();
    expect(s.tryReserve("k", 1, 5, MIN, 0)).toBeUndefined();
  });
  it("refill limit per window length", () => {
    const s = createCounterStore("token-bucket");
    for (let i = 0; i < 6; i++) s.tryReserve("k", 1, 6, MIN, 0);
    // 6 per minute: one token every 10 s.
    expect(s.tryReserve("k", 1, 6, MIN, 9_999)).toBeUndefined();
    expect(s.tryReserve("k", 1, 6, MIN, 10_000)).toBeDefined();
    expect(s.tryReserve("k", 1, 6, MIN, 10_001)).toBeUndefined();
  });
  it("never hold more than capacity", () => {
    const s = createCounterStore("token-bucket");
    s.tryReserve("k", 1, 3, MIN, 0);
    const later = 10 * MIN;
    expect(s.read("k", later)).toBe(0);
    for (let i = 0; i < 3; i++) expect(s.tryReserve("k", 1, 3, MIN, later)).toBeDefined();
    expect(s.tryReserve("k", 1, 3, MIN, later)).toBeUndefined();
  });
  it("read the capacity in use", () => {
    const s = createCounterStore("token-bucket");
    s.tryReserve("k", 2, 6, MIN, 0);
    expect(s.read("k", 0)).toBe(2);
    expect(s.read("k", 5_000)).toBe(1.5);
  });
  it("rollback returns tokens up to capacity", () => {
    const s = createCounterStore("token-bucket");
    const r = s.tryReserve("k", 3, 3, MIN, 0)!;
    s.rollback(r);
    s.rollback(r);
    expect(s.read("k", 0)).toBe(0);
  });
});
