/**
 * Each rate-limit counter's level over time, for the timeline's counter charts.
 *
 * Why here and not in the engine: reading every counter on every decision would cost the hot
 * path; instead this keeps a shadow CounterStore per gateway run (the engine's own store, so
 * fixed, sliding and token-bucket windows count exactly as in the replay) and feeds it the
 * reservations of allowed calls, in replay order. Levels are sampled at the calls that touch a
 * counter, plus the drop to 0 when a fixed window ends. One approximation: a call whose answer
 * failed gives its reservation back at once here, where the replay gives it back when the
 * answer arrived (DecidedCall has no latency); a throttled call's reading (what the deciding
 * rule saw) is the exact level and is plotted as is.
 */
import { basename } from "node:path";
import { createCounterStore, fixedWindowStart, type CounterStore, windowMs } from "../../engine/counters.js";
import type { WindowAlgorithm } from "../../engine/types.js";
import type { CounterSpec, Policy, Rule, Window } from "../../policy/model.js";
import type { DecidedCall, ReplayOptions } from "../../replay/types.js";
import { LevelSeries } from "./series.js";

/** Most counter keys charted (session- or identity-keyed counters can have very many). */
const MAX_KEYS = 200;

export interface CounterChart {
  /** The tool whose timeline shows it, or "*" for counters of every tool. */
  group: string;
  key: string;
  limit: number;
  window: string;
  points: [number, number][];
  /** Points were merged to bound memory: each shows the peak of its stretch. */
  coarse: boolean;
}

/** A window a tool's calls are counted in, for the boundaries drawn on its timeline. */
export interface ToolWindow {
  label: string;
  spanMs: number;
  /** Fixed windows have boundaries to draw; sliding and token-bucket windows do not. */
  fixed: boolean;
}

interface SpecInfo {
  spec: CounterSpec;
  rule: Rule;
  group: string;
  spanMs: number;
}

interface Tracked {
  chart: Omit<CounterChart, "points" | "coarse">;
  series: LevelSeries;
  spanMs: number;
  lastT: number;
}

export type LevelOptions = Pick<ReplayOptions, "window" | "rollbackOn" | "together">;

export class CounterLevels {
  private readonly specs = new Map<string, SpecInfo>();
  private readonly stores = new Map<string, CounterStore>();
  private readonly tracked = new Map<string, Tracked>();
  /** Counter keys seen beyond MAX_KEYS, not charted. */
  untracked = 0;

  constructor(
    private readonly policy: Policy,
    private readonly options: LevelOptions,
    private readonly manyTapes: boolean,
  ) {
    const add = (rule: Rule, group: string): void => {
      const spec = rule.counter;
      if (spec?.limit === undefined) return;
      const base = `${spec.scope}.${spec.counter}`;
      if (!this.specs.has(base)) this.specs.set(base, { spec, rule, group, spanMs: windowMs(spec.window) });
    };
    for (const [name, tool] of policy.tools) for (const rule of tool.rules) add(rule, name);
    for (const rule of policy.wildcard) add(rule, "*");
  }

  add(call: DecidedCall): void {
    const d = call.decision;
    if (d.reservations.length === 0 && d.counters.length === 0) return;
    const run = this.options.together ? "" : call.tape;
    let store = this.stores.get(run);
    if (!store) this.stores.set(run, (store = createCounterStore(this.options.window)));
    for (const r of d.reservations) {
      const info = this.specOf(r.key, call);
      if (!info) continue;
      const made = store.tryReserve(r.key, r.amount, info.spec.limit!, info.spanMs, call.t);
      this.record(run, r.key, info, call, store.read(r.key, call.t));
      if (made && this.rollsBack(call)) store.rollback(made);
    }
    for (const reading of d.counters) {
      const info = this.specOf(reading.key, call);
      if (info) this.record(run, reading.key, info, call, reading.value);
    }
  }

  charts(): CounterChart[] {
    const out: CounterChart[] = [];
    for (const t of this.tracked.values()) {
      if (this.options.window === "fixed") t.series.add(fixedWindowStart(t.lastT, t.spanMs) + t.spanMs, 0);
      out.push({ ...t.chart, points: t.series.data(), coarse: t.series.coarse });
    }
    return out;
  }

  /**
   * The windows of a tool's own rules' counters, or with no tool those of the rules for every
   * tool: each row shows the boundaries of the limits it belongs to, not every limit's.
   */
  toolWindows(tool?: string): ToolWindow[] {
    const rules = tool === undefined ? this.policy.wildcard : this.policy.tools.get(tool)?.rules ?? [];
    const out: ToolWindow[] = [];
    for (const rule of rules) {
      const spec = rule.counter;
      if (spec?.limit === undefined) continue;
      out.push({ label: `${rule.id}: ${spec.limit} ${this.windowLabel(spec.window)}`, spanMs: windowMs(spec.window), fixed: this.options.window === "fixed" });
    }
    return out;
  }

  private record(run: string, key: string, info: SpecInfo, call: DecidedCall, level: number): void {
    const id = `${run}\u0000${key}`;
    let t = this.tracked.get(id);
    if (!t) {
      if (this.tracked.size >= MAX_KEYS) {
        this.untracked++;
        return;
      }
      const where = this.manyTapes && !this.options.together ? ` (${basename(call.tape)})` : "";
      const chart = { group: info.group, key: key + where, limit: info.spec.limit!, window: this.windowLabel(info.spec.window) };
      this.tracked.set(id, (t = { chart, series: new LevelSeries(), spanMs: info.spanMs, lastT: call.t }));
    } else if (this.options.window === "fixed") {
      // The level falls to 0 where the last point's window ended.
      const end = fixedWindowStart(t.lastT, t.spanMs) + t.spanMs;
      if (call.t >= end) t.series.add(end, 0);
    }
    t.series.add(call.t, level);
    t.lastT = call.t;
  }

  private specOf(key: string, call: DecidedCall): SpecInfo | undefined {
    const direct = this.specs.get(key);
    if (direct) return direct;
    for (const prefix of [`session:${call.session}/`, `identity:${call.identity ?? ""}/`]) {
      if (key.startsWith(prefix)) return this.specs.get(key.slice(prefix.length));
    }
    return undefined;
  }

  private rollsBack(call: DecidedCall): boolean {
    return call.outcome === "error" || (call.outcome === "isError" && this.options.rollbackOn === "error+isError");
  }

  private windowLabel(w: Window): string {
    const span = w.kind === "calendar" ? `per ${w.unit}` : `per ${w.seconds}s`;
    const algorithm: WindowAlgorithm = this.options.window;
    return algorithm === "fixed" ? span : `${span} (${algorithm})`;
  }
}
