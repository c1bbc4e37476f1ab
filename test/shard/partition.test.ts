/** `--shard I/N`: the partition every CI runner computes on its own from the sorted paths and sizes. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseShard, partition, type Unit } from "../../src/shard/partition.js";
import { InputError } from "../../src/errors.js";

const units = fc.uniqueArray(fc.record({ path: fc.stringMatching(/^[a-z]{1,6}\.jsonl$/), bytes: fc.nat({ max: 10_000 }) }), { selector: (u) => u.path, maxLength: 30 });

describe("partition", () => {
  it("puts every unit in exactly one part", () => {
    fc.assert(
      fc.property(units, fc.integer({ min: 1, max: 8 }), (us, n) => {
        const parts = partition(us, n);
        expect(parts).toHaveLength(n);
        expect(parts.flat().sort((a, b) => a - b)).toEqual(us.map((_, i) => i));
      }),
    );
  });

  it("is the same whatever order the units are given in (each runner may list them differently)", () => {
    fc.assert(
      fc.property(units, fc.integer({ min: 1, max: 8 }), fc.nat(), (us, n, seed) => {
        const shuffled = [...us].sort((a, b) => ((hash(a.path) ^ seed) % 97) - ((hash(b.path) ^ seed) % 97));
        const byPath = (list: Unit[], parts: number[][]) => parts.map((p) => p.map((i) => list[i]!.path).sort());
        expect(byPath(shuffled, partition(shuffled, n))).toEqual(byPath(us, partition(us, n)));
      }),
    );
  });

  it("balances by bytes: no part is heavier than the lightest by more than the largest unit", () => {
    fc.assert(
      fc.property(units, fc.integer({ min: 1, max: 8 }), (us, n) => {
        const loads = partition(us, n).map((p) => p.reduce((sum, i) => sum + us[i]!.bytes, 0));
        const largest = Math.max(0, ...us.map((u) => u.bytes));
        expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(largest);
      }),
    );
  });

  it("gives each part its units in input order", () => {
    const parts = partition([{ path: "c", bytes: 1 }, { path: "a", bytes: 5 }, { path: "b", bytes: 1 }], 2);
    expect(parts).toEqual([[1], [0, 2]]);
  });
});

describe("parseShard", () => {
  it("reads I/N", () => {
    expect(parseShard("3/4")).toEqual({ index: 3, count: 4 });
    expect(parseShard(undefined)).toBeUndefined();
  });

  it.each(["0/4", "5/4", "1/0", "1", "a/b", "1/4/2", "-1/4", "1.5/4"])("refuses %s, saying what to write", (value) => {
    let error: unknown;
    try {
      parseShard(value);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).format()).toMatch(/is not a part I of N parts; write --shard I\/N with 1 <= I <= N/);
  });
});

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return Math.abs(h);
}
