/**
 * A diff whose every output lists changes only hands the main thread just the changed calls,
 * with their places and counts (src/parallel/changes-only.ts). That is only sound when those
 * formats take nothing from an unchanged call, and when the changes posted, put back at their
 * places, are the calls as they came: both held here for random runs cut into random batches.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CHANGE_KINDS, type ChangeKind } from "../../src/diff/change-kind.js";
import { DiffTotalsCounter } from "../../src/diff/totals.js";
import type { DiffedCall } from "../../src/diff/types.js";
import type { Decision, DecisionKind } from "../../src/engine/types.js";
import { postChanges, type Changes } from "../../src/parallel/changes-only.js";
import { diffRenderer } from "../../src/report/diff-formats.js";
import type { DiffMeta } from "../../src/report/diff-renderer.js";
import { DIFF_FORMATS } from "../../src/report/formats.js";

const spec = fc.record({
  change: fc.option(fc.constantFrom(...CHANGE_KINDS), { freq: 2 }),
  tool: fc.constantFrom("ping", "send_sms"),
  session: fc.constantFrom("s1", "s2"),
  rule: fc.constantFrom(null, "r1", "r2"),
});
/** A run's calls cut into the batches a reader would yield. */
const batches = fc.array(fc.array(spec, { minLength: 1, maxLength: 300 }), { maxLength: 12 });

function decision(kind: DecisionKind, rule: string | null): Decision {
  return { decision: kind, rule, message: rule ? `by ${rule}` : null, reservations: [], counters: [] };
}

function diffedCalls(given: { change: ChangeKind | null; tool: string; session: string; rule: string | null }[][]): DiffedCall[][] {
  let seq = 0;
  return given.map((batch) =>
    batch.map((c) => ({
      session: c.session,
      seq: seq++,
      t: Date.UTC(2026, 0, 1) + seq * 1000,
      tool: c.tool,
      args: {},
      base: decision("allow", null),
      head: c.change === null ? decision("allow", null) : decision("deny", c.rule),
      change: c.change,
      counterfactual: c.change !== null && seq % 3 === 0,
      tape: "t.jsonl",
      line: seq,
    })),
  );
}

async function* yieldAll<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

const META: DiffMeta = { base: "base.yaml", head: "head.yaml", tapes: ["t.jsonl"], failOnChange: true, failOnLoosen: false, patch: "", warnings: [] };

describe("a diff's changes only, handed back by a worker", () => {
  it("put back at their places, are the changed calls as they came, and the counts add up to every call", async () => {
    await fc.assert(
      fc.asyncProperty(batches, async (given) => {
        const runs = diffedCalls(given);
        const posted: Changes[] = [];
        await postChanges(yieldAll(runs), (c) => posted.push(c));
        const all = runs.flat();
        expect(posted.reduce((n, c) => n + c.count, 0)).toBe(all.length);
        let first = 0;
        const placed: [number, DiffedCall][] = [];
        for (const c of posted) {
          c.calls.forEach((call, k) => placed.push([first + c.at[k]!, call]));
          first += c.count;
        }
        expect(placed).toEqual(all.flatMap((call, i) => (call.change === null ? [] : [[i, call]])));
      }),
    );
  });

  it("counted as changed calls plus a number of unchanged ones, gives the totals of every call counted", () => {
    fc.assert(
      fc.property(batches, (given) => {
        const all = diffedCalls(given).flat();
        const every = new DiffTotalsCounter();
        for (const call of all) every.add(call);
        const changes = new DiffTotalsCounter();
        for (const call of all) if (call.change !== null) changes.add(call);
        changes.addUnchanged(all.filter((c) => c.change === null).length);
        expect(changes.totals).toEqual(every.totals);
        expect([...changes.totals.byTool.keys()]).toEqual([...every.totals.byTool.keys()]);
      }),
    );
  });

  const changesOnly = DIFF_FORMATS.filter((f) => diffRenderer(f, false, "never").changesOnly);
  it("is what text, markdown, github and sarif need: only they say so", () => {
    expect([...changesOnly].sort()).toEqual(["github", "markdown", "sarif", "text"]);
  });

  it.each(changesOnly)("%s: given only the changed calls at their indexes, writes what it writes given every call", (format) => {
    fc.assert(
      fc.property(batches, (given) => {
        const all = diffedCalls(given).flat();
        const totals = new DiffTotalsCounter();
        for (const call of all) totals.add(call);
        const every = diffRenderer(format, false, "never");
        let full = every.start(META);
        all.forEach((call, i) => (full += every.call(call, i)));
        full += every.end({ totals: totals.totals });
        const changed = diffRenderer(format, false, "never");
        let thin = changed.start(META);
        all.forEach((call, i) => (thin += call.change === null ? "" : changed.call(call, i)));
        thin += changed.end({ totals: totals.totals });
        expect(thin).toBe(full);
      }),
      { numRuns: 50 },
    );
  });
});
