import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DecisionKind } from "../../src/engine/types.js";
import { loadPolicyText } from "../../src/policy/load.js";
import { replay } from "../../src/replay/replay.js";
import { TotalsCounter } from "../../src/replay/totals.js";
import { DEFAULT_REPLAY_OPTIONS, type DecidedCall } from "../../src/replay/types.js";
import { TimeBins } from "../../src/report/html/bins.js";
import { jsonForScript } from "../../src/report/html/page.js";
import { LevelSeries } from "../../src/report/html/series.js";
import { DETAIL_CAP, type TimelineData } from "../../src/report/html/timeline.js";
import { replayHtml } from "../../src/report/replay-html.js";
import type { ReplayMeta } from "../../src/report/replay-renderer.js";
import { TapeBuilder } from "../replay/tape-builder.js";
import { gatewaysOf } from "../gateways.js";

const POLICY = `version: "1"
default: allow
tools:
  echo:
    rules:
      - name: "echo rate limit"
        rate_limit: 3/minute
`;

async function decided(tape: TapeBuilder, policyText = POLICY): Promise<{ calls: DecidedCall[]; meta: ReplayMeta }> {
  const policy = loadPolicyText(policyText, "policy.yaml").policy!;
  const path = tape.write();
  const calls: DecidedCall[] = [];
  for await (const c of replay(gatewaysOf(policy), { tapes: [path] }, DEFAULT_REPLAY_OPTIONS)) calls.push(c);
  const meta: ReplayMeta = { policy: "policy.yaml", tapes: [path], failOn: new Set(), warnings: [], policyModel: policy, options: DEFAULT_REPLAY_OPTIONS };
  return { calls, meta };
}

function render(calls: DecidedCall[], meta: ReplayMeta): string {
  const r = replayHtml();
  const counter = new TotalsCounter();
  let out = r.start(meta);
  calls.forEach((c, i) => {
    counter.add(c);
    out += r.call(c, i);
  });
  return out + r.end({ totals: counter.totals });
}

function embedded(page: string): { timeline: TimelineData; cards: { label: string; value: number }[] } {
  const m = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(page);
  return JSON.parse(m![1]!) as { timeline: TimelineData; cards: { label: string; value: number }[] };
}

describe("embedding data in the page", () => {
  it("jsonForScript leaves no < or > or line separators and parses back to the same value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, text) => {
        const data = { value, text: `${text}</script><!-- -->\u2028\u2029` };
        const out = jsonForScript(data);
        expect(out).not.toMatch(/[<>\u2028\u2029]/);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(data)));
      }),
    );
  });

  it("the Content-Security-Policy hashes are those of the page's own script and style", async () => {
    const { calls, meta } = await decided(new TapeBuilder().call(1, "echo").end(2));
    const page = render(calls, meta);
    const script = /<script>([\s\S]*)<\/script>/.exec(page)![1]!;
    const style = /<style>([\s\S]*)<\/style>/.exec(page)![1]!;
    const hash = (s: string): string => createHash("sha256").update(s).digest("base64");
    expect(page).toContain(`script-src 'sha256-${hash(script)}'`);
    expect(page).toContain(`style-src 'sha256-${hash(style)}'`);
    expect(page).toContain("default-src 'none'");
  });

  it("a tool name with </script> appears in the page only escaped", async () => {
    const tool = "</script><script>alert(1)</script>";
    const { calls, meta } = await decided(new TapeBuilder().call(1, tool, { args: { x: "<!--" } }).end(2));
    const page = render(calls, meta);
    expect(page.match(/<script/g)).toHaveLength(2); // the data block and the page script
    expect(embedded(page).timeline.calls[0]!.tool).toBe(tool);
  });
});

describe("replay html data", () => {
  it("summary cards count the calls by decision", async () => {
    const b = new TapeBuilder();
    for (let i = 0; i < 5; i++) b.call(i, "echo");
    const { calls, meta } = await decided(b.end(10));
    const cards = embedded(render(calls, meta)).cards;
    expect(cards.map((c) => [c.label, c.value])).toEqual([["calls", 5], ["allow", 3], ["deny", 0], ["throttle", 2], ["approval", 0], ["undecided", 0], ["changed", 0]]);
  });

  it("a counter's level climbs to its limit and falls to 0 where its fixed window ends", async () => {
    const b = new TapeBuilder();
    for (let i = 0; i < 5; i++) b.call(i, "echo");
    b.call(70, "echo"); // next minute
    const { calls, meta } = await decided(b.end(80));
    const { counters, tools } = embedded(render(calls, meta)).timeline;
    expect(counters).toHaveLength(1);
    expect(counters[0]).toMatchObject({ group: "echo", key: "echo._rate_minute", limit: 3, window: "per minute" });
    const t0 = Date.parse("2026-01-01T10:00:00.000Z");
    expect(counters[0]!.points).toEqual([
      [t0, 1], [t0 + 1000, 2], [t0 + 2000, 3], [t0 + 3000, 3], [t0 + 4000, 3],
      [t0 + 60_000, 0], [t0 + 70_000, 1], [t0 + 120_000, 0],
    ]);
    expect(tools[0]!.windows).toEqual([{ label: "echo rate limit: 3 per minute", spanMs: 60_000, fixed: true }]);
  });

  it("a window of a rule for every tool is drawn on the every-tool row, not on each tool's", async () => {
    const policy = `${POLICY.replace("3/minute", "100/hour")}  "*":
    rules:
      - name: "global"
        rate_limit: 50/minute
`;
    const { calls, meta } = await decided(new TapeBuilder().call(1, "echo").call(2, "other").end(3), policy);
    const { tools, everyTool } = embedded(render(calls, meta)).timeline;
    expect(tools.map((t) => [t.name, t.windows.map((w) => w.label)])).toEqual([["echo", ["echo rate limit: 100 per hour"]], ["other", []]]);
    expect(everyTool.map((w) => [w.label, w.spanMs])).toEqual([["global: 50 per minute", 60_000]]);
  });

  it("a failed call gives its reservation back, so the next call's level does not count it", async () => {
    const b = new TapeBuilder().request(1, 1, "echo").error(1.1, 1).request(2, 2, "echo").ok(2.1, 2).end(3);
    const { calls, meta } = await decided(b);
    const points = embedded(render(calls, meta)).timeline.counters[0]!.points.map((p) => p[1]);
    expect(points.slice(0, 2)).toEqual([1, 1]);
  });

  it(`keeps details of the first ${DETAIL_CAP} calls, then only the calls that matter, and counts every call in bins`, () => {
    const meta: ReplayMeta = { policy: "p", tapes: ["t"], failOn: new Set(), warnings: [] };
    const r = replayHtml();
    const counter = new TotalsCounter();
    r.start(meta);
    const n = DETAIL_CAP + 500;
    for (let i = 0; i < n; i++) {
      const c: DecidedCall = {
        session: "s", seq: i, t: i * 10, tool: i % 2 ? "a" : "b", args: { i },
        decision: i % 100 === 7 ? { decision: "deny", rule: "r", message: `no ${i}`, reservations: [], counters: [] } : { decision: "allow", rule: null, message: null, reservations: [], counters: [] },
        recorded: null, outcome: "ok", changed: false, tape: "t", line: i + 1,
      };
      counter.add(c);
      r.call(c, i);
    }
    const { timeline } = embedded(r.end({ totals: counter.totals }));
    const late = Array.from({ length: 500 }, (_, k) => DETAIL_CAP + k).filter((i) => i % 100 === 7);
    expect(timeline.calls.map((c) => c.i)).toEqual([...Array.from({ length: DETAIL_CAP }, (_, i) => i), ...late]);
    expect(timeline.calls.at(-1)).toMatchObject({ d: ["deny"], rule: "r", msg: `no ${late.at(-1)}` });
    expect(timeline.allKept).toBe(false);
    expect(timeline.callsTotal).toBe(n);
    const binned = Object.values(timeline.bins.tools).flat().reduce((s, row) => s + row.slice(1, 6).reduce((a, b) => a + b, 0), 0);
    expect(binned).toBe(n);
  });
});

describe("bounded timelines", () => {
  const kinds: DecisionKind[] = ["allow", "deny", "throttle", "approval"];

  it("time bins never exceed their count and keep every call", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.constantFrom(...kinds), fc.boolean()), { maxLength: 300 }), (events) => {
        const bins = new TimeBins(1, 16);
        for (const [t, k, changed] of events) bins.add(t, "x", [k], changed);
        const rows = bins.data().tools.x ?? [];
        const indexes = rows.map((r) => r[0]!);
        if (rows.length > 0) expect(Math.max(...indexes) - Math.min(...indexes)).toBeLessThan(16);
        expect(rows.reduce((s, r) => s + r[1]! + r[2]! + r[3]! + r[4]! + r[5]!, 0)).toBe(events.length);
        expect(rows.reduce((s, r) => s + r[6]!, 0)).toBe(events.filter((e) => e[2]).length);
        const { origin, widthMs } = bins.data();
        for (const [t, k] of events) {
          const row = rows.find((r) => r[0] === Math.floor((t - origin) / widthMs));
          expect(row![1 + kinds.indexOf(k)]).toBeGreaterThan(0);
        }
      }),
    );
  });

  it("a level series stays under its cap and keeps the peak", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 500 }), (levels) => {
        const s = new LevelSeries(20);
        levels.forEach((v, i) => s.add(i, v));
        expect(s.data().length).toBeLessThanOrEqual(20);
        expect(s.peak).toBe(Math.max(...levels));
      }),
    );
  });
});

describe("diff html data", () => {
  it("each call carries its base and head decisions and is marked changed when they differ", async () => {
    const { diffReplay } = await import("../../src/diff/diff-replay.js");
    const { DiffTotalsCounter } = await import("../../src/diff/totals.js");
    const { diffHtml } = await import("../../src/report/diff-html.js");
    const base = loadPolicyText(POLICY, "base.yaml").policy!;
    const head = loadPolicyText(POLICY.replace("3/minute", "1/minute"), "head.yaml").policy!;
    const path = new TapeBuilder().call(1, "echo").call(2, "echo").call(3, "other").end(4).write();
    const r = diffHtml();
    const counter = new DiffTotalsCounter();
    r.start({ base: "base.yaml", head: "head.yaml", tapes: [path], failOnChange: false, failOnLoosen: false, patch: "", warnings: [] });
    let i = 0;
    for await (const c of diffReplay({ base: gatewaysOf(base), head: gatewaysOf(head) }, { tapes: [path] }, DEFAULT_REPLAY_OPTIONS)) {
      counter.add(c);
      r.call(c, i++);
    }
    const { timeline } = embedded(r.end({ totals: counter.totals }));
    expect(timeline.sides).toEqual(["base", "head"]);
    expect(timeline.calls.map((c) => [c.tool, c.d, c.changed])).toEqual([
      ["echo", ["allow", "allow"], false],
      ["echo", ["allow", "throttle"], true],
      ["other", ["allow", "allow"], false],
    ]);
    expect(timeline.calls[1]!.fields).toContainEqual(["change", "allow->throttle"]);
  });
});
