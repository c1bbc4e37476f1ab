/**
 * `--jobs` with json and text outputs renders each tape's call lines on its worker thread and
 * only places them on the main thread (src/parallel/split-run.ts). Rendered in pieces that way,
 * in batches and tapes of any size, the report is the bytes one thread writes call by call,
 * past the long-run cut of text (its notice, its numbering) in any view; counted per tape and
 * added up, the totals are those counted call by call, in the same order.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DECISION_KINDS, type DecisionKind } from "../../src/engine/types.js";
import type { DecidedCall } from "../../src/replay/types.js";
import { TotalsCounter } from "../../src/replay/totals.js";
import { replayRenderers } from "../../src/report/replay-formats.js";
import type { ReplayMeta } from "../../src/report/replay-renderer.js";
import { LONG_RUN, type ListKind, type ListView } from "../../src/report/list-view.js";
import { addTotals } from "../../src/parallel/split-run.js";

const call = fc.record({
  tool: fc.constantFrom("ping", "send_sms", "delete_file"),
  decision: fc.constantFrom<DecisionKind>(...DECISION_KINDS),
  rule: fc.constantFrom(null, "r1", "r2", "r✓ (Grüße)"),
  changed: fc.boolean(),
  error: fc.constantFrom(undefined, "boom"),
});

/** Tapes of calls, each tape cut into the batches its reader would yield. */
const tapes = fc.array(fc.array(fc.array(call, { minLength: 1, maxLength: 8 }), { maxLength: 4 }), { minLength: 1, maxLength: 4 });

const views: ListView[] = [
  { quiet: false, all: false, wide: false },
  { quiet: false, all: true, wide: false },
  { quiet: true, all: false, wide: false },
  { quiet: false, all: false, wide: false, only: new Set<ListKind>(["deny", "changed"]) },
];

type Tapes = typeof tapes extends fc.Arbitrary<infer T> ? T : never;

type CallSpec = Tapes[number][number][number];

function decidedCall(c: CallSpec, seq: number, tape: string): DecidedCall {
  return {
    session: "s1",
    seq,
    t: Date.UTC(2026, 0, 1) + seq * 1000,
    tool: c.tool,
    args: {},
    decision: { decision: c.decision, rule: c.rule, message: c.rule ? `by ${c.rule}` : null, reservations: [], counters: [], ...(c.error ? { errors: [c.error] } : {}) },
    recorded: c.changed ? { decision: c.decision === "allow" ? "deny" : "allow" } : null,
    outcome: null,
    changed: c.changed,
    tape,
    line: seq,
  };
}

/** The decided calls of each tape's batches. */
function decided(given: Tapes): DecidedCall[][][] {
  let seq = 0;
  return given.map((batches, k) => batches.map((batch) => batch.map((c) => decidedCall(c, seq++, `t${k}.jsonl`))));
}

/** What the main thread writes of a placed batch that is bytes. */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

const PLAIN_ALLOW: CallSpec = { tool: "ping", decision: "allow", rule: null, changed: false, error: undefined };

function meta(view: ListView): ReplayMeta {
  return { policy: "p.yaml", tapes: ["t0.jsonl"], failOn: new Set(["deny", "changed"]), warnings: [], view };
}

describe("call lines rendered on the workers and placed on the main thread", () => {
  it.each(["json", "text"])("%s: the same bytes as one thread's, whatever the tapes, batches, view and where the run starts", async (format) => {
    const replayRenderer = await replayRenderers([format]);
    fc.assert(
      fc.property(tapes, fc.constantFrom(...views), fc.integer({ min: 0, max: LONG_RUN + 5 }), (given, view, before) => {
        // A first tape of `before` plain allows, so LONG_RUN falls anywhere in the tapes after it.
        const lead = [Array.from({ length: before }, (_, i) => decidedCall(PLAIN_ALLOW, -1 - i, "lead.jsonl"))];
        const all = [lead, ...decided(given)].map((batches) => batches.filter((b) => b.length > 0)).filter((batches) => batches.length > 0);

        const whole = replayRenderer(format, false, "never");
        let expected = whole.start(meta(view));
        let index = 0;
        for (const call of all.flat(2)) expected += whole.call(call, index++);

        const main = replayRenderer(format, false, "never");
        let placed = main.start(meta(view));
        let first = 0;
        for (const batches of all) {
          const worker = replayRenderer(format, false, "never"); // one per tape, as a worker starts one per unit
          worker.start(meta(view));
          let local = 0;
          for (const batch of batches) {
            const piece = main.split!.place(worker.split!.render(batch, local), first);
            placed += typeof piece === "string" ? piece : UTF8.decode(piece);
            local += batch.length;
            first += batch.length;
          }
        }
        expect(placed).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("json: each rendered batch is UTF-8 bytes with a buffer of its own, so handing it to the main thread (a transfer) detaches nothing else", async () => {
    const replayRenderer = await replayRenderers(["json"]);
    const worker = replayRenderer("json", false, "never");
    worker.start(meta(views[0]!));
    const unit = decided([[[{ ...PLAIN_ALLOW, rule: "r1" }], [PLAIN_ALLOW, PLAIN_ALLOW]]])[0]!;
    const batches = unit.map((calls, k) => worker.split!.render(calls, k));
    for (const batch of batches) {
      expect(batch).toBeInstanceOf(Uint8Array);
      const bytes = batch as Uint8Array;
      expect([bytes.byteOffset, bytes.byteLength]).toEqual([0, bytes.buffer.byteLength]);
    }
    expect(new Set(batches.map((b) => (b as Uint8Array).buffer)).size).toBe(batches.length);
  });

  it("counts per tape, added up, are the totals counted call by call, tools and rules in the order first seen", () => {
    fc.assert(
      fc.property(tapes, (given) => {
        const units = decided(given);
        const whole = new TotalsCounter();
        for (const call of units.flat(2)) whole.add(call);
        const added = new TotalsCounter();
        for (const batches of units) {
          const unit = new TotalsCounter();
          for (const call of batches.flat()) unit.add(call);
          addTotals(added.totals, unit.totals);
        }
        expect(added.totals).toEqual(whole.totals);
        expect([...added.totals.byTool.keys()]).toEqual([...whole.totals.byTool.keys()]);
        expect([...added.totals.byRule.keys()]).toEqual([...whole.totals.byRule.keys()]);
      }),
    );
  });
});
