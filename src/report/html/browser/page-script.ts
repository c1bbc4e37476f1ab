/**
 * The report page's script (browser code: built on its own with lib "dom" by tsconfig.json
 * beside it and inlined into the page by page.ts). It reads the JSON data block and draws the
 * header, the zoomable timeline (SVG), the detail panel, the table of the calls that matter and
 * the summary tables. Every recorded string goes in with textContent or as an SVG <title> text
 * node, never as markup. No imports: the page is one self-contained file.
 */
(function () {
  "use strict";

  type Kind = "allow" | "deny" | "throttle" | "approval" | "undecided";
  type Pair = [string, string];
  interface Call { i: number; t: number; tool: string; d: string[]; changed: boolean; was?: string; rule: string; msg: string; fields: Pair[]; args: string }
  interface Win { label: string; spanMs: number; fixed: boolean }
  interface Counter { group: string; key: string; limit: number; window: string; points: [number, number][]; coarse: boolean }
  interface Timeline {
    sides: string[]; t0: number; t1: number; tools: { name: string; windows: Win[] }[]; everyTool: Win[];
    calls: Call[]; callsTotal: number; allKept: boolean; notableDropped: number; detailCap: number;
    bins: { origin: number; widthMs: number; tools: Record<string, number[][]> };
    counters: Counter[]; countersUntracked: number;
  }
  interface Report {
    title: string; meta: Pair[]; cards: { label: string; value: number; kind?: string }[]; changedLegend: string;
    notes: string[]; tables: { title: string; columns: string[]; rows: (string | number)[][] }[]; timeline: Timeline;
  }
  interface Group { name: string; windows: Win[]; lanes: boolean; counters: Counter[]; hidden: number; y: number; laneH: number; rows: number }

  const KINDS: Kind[] = ["allow", "deny", "throttle", "approval", "undecided"];
  const K = KINDS.length;
  /** Most marks drawn one by one; more in view and calls are drawn as time bins. */
  const MARK_LIMIT = 3000;
  /** Marks that would overlap stack in rows within their lane, up to this many rows. */
  const MAX_ROWS = 12;
  const MARK_W = 5, ROW_H = 9, LANE_H = 24, COUNTER_H = 48, AXIS_H = 30, GAP = 14, LABEL_W = 200;
  const COUNTERS_PER_GROUP = 6, MAX_WINDOW_LINES = 200, PAGE = 100, BRUSH_MIN_PX = 5;
  const SVGNS = "http://www.w3.org/2000/svg";

  const dataNode = document.getElementById("report-data");
  const app = document.getElementById("app");
  if (!dataNode || !app) return;
  const data = JSON.parse(dataNode.textContent ?? "{}") as Report;
  app.textContent = "";
  const tl = data.timeline;
  const calls = tl.calls;
  const sides = tl.sides.length;

  function el<T extends keyof HTMLElementTagNameMap>(tag: T, cls?: string | null, text?: string | number | null): HTMLElementTagNameMap[T] {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function sv(tag: string, attrs: Record<string, string | number>, cls?: string): SVGElement {
    const e = document.createElementNS(SVGNS, tag) as SVGElement;
    for (const k in attrs) e.setAttribute(k, String(attrs[k]));
    if (cls) e.setAttribute("class", cls);
    return e;
  }
  function svText(x: number, y: number, text: string, cls: string, anchor?: string): SVGElement {
    const t = sv("text", { x, y, "text-anchor": anchor ?? "start" }, cls);
    t.textContent = text;
    return t;
  }
  function tip<T extends Element>(node: T, text: string): T {
    const t = sv("title", {});
    t.textContent = text;
    node.appendChild(t);
    return node;
  }
  /** A decision kind from data, as a known constant (never data-made class names). */
  function kind(k: string | undefined): Kind { const i = KINDS.indexOf(k as Kind); return i < 0 ? "deny" : KINDS[i]!; }
  /** Calls of one side in a bin row: [index, counts per kind per side..., changed]. */
  function sum(row: number[], s: number): number { let n = 0; for (let j = 1; j <= K; j++) n += row[j + s * K]!; return n; }
  function iso(t: number): string { return new Date(Math.floor(t)).toISOString(); }
  function shorten(s: string, n: number): string { return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }
  function duration(ms: number): string {
    if (ms < 1000) return Math.round(ms) + " ms";
    if (ms < 120000) return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + " s";
    if (ms < 7200000) return (ms / 60000).toFixed(1) + " min";
    return (ms / 3600000).toFixed(1) + " h";
  }
  /** A call the table lists: refused, waiting for approval, undecided or changed. */
  function notable(c: Call): boolean { return c.changed || c.d.some((d) => d !== "allow"); }

  // ── header, cards, notes ──
  const header = el("header");
  header.appendChild(el("h1", null, data.title));
  const meta = el("dl", "meta");
  data.meta.forEach((m) => { meta.appendChild(el("dt", null, m[0])); meta.appendChild(el("dd", null, m[1])); });
  header.appendChild(meta);
  app.appendChild(header);
  const cards = el("section", "cards");
  data.cards.forEach((c) => {
    const card = el("div", "card" + (c.kind ? " k-" + (c.kind === "changed" ? "changed" : kind(c.kind)) : ""));
    card.appendChild(el("div", "n", c.value));
    card.appendChild(el("div", "label", c.label));
    cards.appendChild(card);
  });
  app.appendChild(cards);
  if (data.notes.length) {
    const notes = el("ul", "notes");
    data.notes.forEach((n) => notes.appendChild(el("li", null, n)));
    app.appendChild(notes);
  }

  // ── timeline frame ──
  app.appendChild(el("h2", null, "Timeline"));
  const legend = el("div", "legend");
  function legendItem(swCls: string, text: string): void { const s = el("span"); s.appendChild(el("span", "sw " + swCls)); s.appendChild(document.createTextNode(text)); legend.appendChild(s); }
  KINDS.forEach((k) => legendItem("k-" + k, k));
  legendItem("changed", data.changedLegend);
  const hasWindows = tl.everyTool.concat(...tl.tools.map((t) => t.windows)).some((w) => w.fixed);
  if (hasWindows) legendItem("window", "rate-limit window boundary");
  if (tl.counters.length) { legendItem("level", "counter level"); legendItem("limit", "limit"); }
  app.appendChild(legend);
  const toolbar = el("div", "toolbar");
  const viewLabel = el("span", "view-label");
  viewLabel.id = "view-label";
  function button(text: string, id: string, title: string, fn: () => void): void {
    const b = el("button", null, text);
    b.id = id;
    b.title = title;
    b.type = "button";
    b.addEventListener("click", fn);
    toolbar.appendChild(b);
  }
  const wrap = el("section", "timeline");
  const chart = el("div", "chart");
  const left = el("div");
  left.appendChild(toolbar);
  left.appendChild(chart);
  const chartNotes = el("div", "chart-notes");
  left.appendChild(chartNotes);
  wrap.appendChild(left);
  const detail = el("aside", "detail");
  detail.id = "detail";
  detail.appendChild(el("p", "hint", tl.callsTotal ? "Click a mark or a row to see the call. Drag across the timeline to zoom in, double-click to see everything." : "No calls were replayed."));
  wrap.appendChild(detail);
  app.appendChild(wrap);

  // ── the view: the time range shown ──
  const span = Math.max(tl.t1 - tl.t0, 1);
  const pad = Math.max(span * 0.02, 250);
  const full = { lo: tl.t0 - pad, hi: tl.t1 + pad };
  const view = initialView();
  /**
   * Starts where the calls are: the shortest stretch holding all calls but 1% of them (at least
   * one, from 20 calls on), if it is under a tenth of the whole range; exact call times when
   * every call is kept, else time bins.
   */
  function initialView(): { lo: number; hi: number } {
    const points: [number, number, number][] = []; // [from, to, calls]
    const w = tl.allKept ? 0 : tl.bins.widthMs;
    if (tl.allKept) calls.forEach((c) => points.push([c.t, c.t, 1]));
    else Object.keys(tl.bins.tools).forEach((tool) => tl.bins.tools[tool]!.forEach((row) => { const t = tl.bins.origin + row[0]! * w; points.push([t, t + w, sum(row, 0)]); }));
    points.sort((a, b) => a[0] - b[0]);
    const total = points.reduce((n, p) => n + p[2], 0);
    if (total < 20) return { lo: full.lo, hi: full.hi };
    const need = total - Math.max(1, Math.floor(total * 0.01));
    let lo = full.lo, hi = full.hi, inside = 0, a = 0;
    for (let b = 0; b < points.length; b++) {
      inside += points[b]![2];
      while (inside - points[a]![2] >= need) inside -= points[a++]![2];
      if (inside >= need && points[b]![1] - points[a]![0] < hi - lo) { lo = points[a]![0]; hi = points[b]![1]; }
    }
    if (hi - lo > (full.hi - full.lo) / 10) return { lo: full.lo, hi: full.hi };
    const p = Math.max((hi - lo) * 0.02, 50);
    return { lo: lo - p, hi: hi + p };
  }
  function setView(lo: number, hi: number): void {
    const minSpan = 20;
    if (hi - lo < minSpan) { const mid = (lo + hi) / 2; lo = mid - minSpan / 2; hi = mid + minSpan / 2; }
    view.lo = lo; view.hi = hi;
    draw();
    renderTable();
  }
  function pan(fraction: number): void { const d = (view.hi - view.lo) * fraction; setView(view.lo + d, view.hi + d); }
  button("\u25C0", "pan-left", "Pan left", () => pan(-0.5));
  button("Zoom out", "zoom-out", "Show twice the time", () => { const d = (view.hi - view.lo) / 2; setView(view.lo - d, view.hi + d); });
  button("\u25B6", "pan-right", "Pan right", () => pan(0.5));
  button("Show all", "zoom-reset", "Show the whole replay (or double-click the timeline)", () => setView(full.lo, full.hi));
  toolbar.appendChild(viewLabel);

  // ── groups: a row per tool, then "*" for counters and windows of every tool ──
  const byGroup: Record<string, Counter[]> = {};
  tl.counters.forEach((c) => { (byGroup[c.group] = byGroup[c.group] ?? []).push(c); });
  function peak(c: Counter): number { let m = 0; c.points.forEach((p) => { if (p[1] > m) m = p[1]; }); return m; }
  const groups: Group[] = tl.tools.map((t) => ({ name: t.name, windows: t.windows, lanes: true, counters: [], hidden: 0, y: 0, laneH: LANE_H, rows: 1 }));
  if (byGroup["*"] || tl.everyTool.some((w) => w.fixed)) groups.push({ name: "*", windows: tl.everyTool, lanes: false, counters: [], hidden: 0, y: 0, laneH: LANE_H, rows: 1 });
  groups.forEach((g) => {
    const all = (byGroup[g.name] ?? []).slice().sort((a, b) => peak(b) / b.limit - peak(a) / a.limit);
    g.hidden = Math.max(0, all.length - COUNTERS_PER_GROUP);
    g.counters = all.slice(0, COUNTERS_PER_GROUP);
  });
  const byTool: Record<string, Call[]> = {};
  calls.forEach((c) => { (byTool[c.tool] = byTool[c.tool] ?? []).push(c); });
  Object.keys(byTool).forEach((k) => byTool[k]!.sort((a, b) => a.t - b.t));

  let W = 900, X0 = LABEL_W + 12, PW = 600;
  let svg: SVGElement | null = null;
  let selected: Call | null = null;
  function x(t: number): number { return X0 + ((t - view.lo) / (view.hi - view.lo)) * PW; }
  function tAt(px: number): number { return view.lo + ((px - X0) / PW) * (view.hi - view.lo); }

  /** Rows for the marks of each tool in view, so no two overlap; null when they do not fit. */
  function stack(): Record<string, { c: Call; row: number }[]> | null {
    if (!tl.allKept) return null;
    const out: Record<string, { c: Call; row: number }[]> = {};
    let n = 0;
    for (const g of groups) {
      if (!g.lanes) continue;
      const ends: number[] = [], placed: { c: Call; row: number }[] = [];
      for (const c of byTool[g.name] ?? []) {
        if (c.t < view.lo || c.t > view.hi) continue;
        if (++n > MARK_LIMIT) return null;
        const left = x(c.t) - MARK_W / 2;
        let row = ends.findIndex((e) => e + 1 <= left);
        if (row < 0) { if (ends.length >= MAX_ROWS) return null; row = ends.length; ends.push(0); }
        ends[row] = left + MARK_W;
        placed.push({ c, row });
      }
      out[g.name] = placed;
    }
    return out;
  }

  /** Draws the timeline SVG for the view at the chart's width (again on zoom and resize). */
  function draw(): void {
    if (!tl.callsTotal) {
      // No call, no time: an axis would be drawn around the epoch (1969-12-31).
      chart.textContent = "";
      chart.appendChild(el("p", "hint", "No calls to show."));
      viewLabel.textContent = "";
      return;
    }
    W = Math.max(480, chart.clientWidth || 900);
    X0 = LABEL_W + 12;
    PW = W - X0 - 18;
    chart.textContent = "";
    const marks = stack();
    let height = AXIS_H;
    groups.forEach((g) => {
      g.rows = Math.max(1, ...(marks?.[g.name] ?? []).map((m) => m.row + 1));
      g.laneH = Math.max(LANE_H, g.rows * ROW_H + 6);
      g.y = height;
      height += (g.lanes ? sides * g.laneH : 18) + g.counters.length * COUNTER_H + (g.hidden ? 16 : 0) + GAP;
    });
    height = Math.max(height, AXIS_H + 40);
    const s = sv("svg", { width: W, height, viewBox: "0 0 " + W + " " + height, role: "img", "data-lo": view.lo, "data-hi": view.hi, "data-mode": marks ? "marks" : "bins" });
    svg = s;
    s.setAttribute("aria-label", "Timeline of calls per tool");
    const clip = sv("clipPath", { id: "plot-clip" });
    clip.appendChild(sv("rect", { x: X0, y: 0, width: PW, height }));
    s.appendChild(clip);
    const plot = sv("g", { "clip-path": "url(#plot-clip)" });

    // time axis
    const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 108e5, 216e5, 432e5, 864e5, 1728e5, 6048e5];
    let step = STEPS[STEPS.length - 1]!;
    for (const st of STEPS) if ((view.hi - view.lo) / st <= 8) { step = st; break; }
    s.appendChild(sv("line", { x1: X0, x2: X0 + PW, y1: AXIS_H - 6, y2: AXIS_H - 6 }, "axis"));
    s.appendChild(svText(8, 16, iso(view.lo).slice(0, 10) + " UTC", "small"));
    for (let tick = Math.ceil(view.lo / step) * step; tick <= view.hi; tick += step) {
      const tx = x(tick);
      plot.appendChild(sv("line", { x1: tx, x2: tx, y1: AXIS_H - 6, y2: height }, "grid"));
      const label = step < 1000 ? iso(tick).slice(14, 23) : step < 864e5 ? iso(tick).slice(11, 19) : iso(tick).slice(5, 10);
      // Labels too near an edge would be cut off.
      if (tx > X0 - 20 && tx < X0 + PW - 30) s.appendChild(svText(tx, 16, label, "small tick", "middle"));
    }

    groups.forEach((g) => {
      let y = g.y;
      const top = y;
      if (g.lanes) {
        tl.sides.forEach((side, si) => {
          s.appendChild(sv("rect", { x: X0, y: y + 2, width: PW, height: g.laneH - 4, rx: 3 }, "lane-bg"));
          if (si === 0) s.appendChild(tip(svText(8, y + 16, shorten(g.name, sides > 1 ? 19 : 26), "tool"), g.name));
          if (sides > 1) s.appendChild(svText(X0 - 8, y + 16, side, "small", "end"));
          y += g.laneH;
        });
      } else {
        s.appendChild(svText(8, y + 13, "every tool (*)", "tool"));
        y += 18;
      }
      g.counters.forEach((c) => { drawCounter(c, y); y += COUNTER_H; });
      if (g.hidden) { s.appendChild(svText(X0, y + 11, "and " + g.hidden + " more counters of " + g.name + " not charted", "small")); y += 16; }
      drawWindows(g, top, y);
      if (g.lanes) { if (marks) drawMarks(g, marks[g.name] ?? []); else drawBins(g); }
    });

    function drawMarks(g: Group, placed: { c: Call; row: number }[]): void {
      const h = g.rows === 1 ? g.laneH - 10 : ROW_H - 2;
      const laneTop = (si: number): number => g.y + si * g.laneH + (g.laneH - (g.rows === 1 ? h : g.rows * ROW_H - 2)) / 2;
      placed.forEach(({ c, row }) => {
        const left = x(c.t) - MARK_W / 2;
        if (c.changed && sides > 1) plot.appendChild(sv("rect", { x: left - 1.5, y: laneTop(0) + row * ROW_H - 1.5, width: MARK_W + 3, height: laneTop(sides - 1) - laneTop(0) + h + 3 }, "change-band"));
        c.d.forEach((d, si) => {
          const k = kind(d);
          const r = sv("rect", { x: left, y: laneTop(si) + row * ROW_H, width: MARK_W, height: h, rx: 1 }, "mark d-" + k + (c.changed ? " changed" : ""));
          r.setAttribute("data-i", String(c.i));
          r.setAttribute("data-decision", k);
          r.setAttribute("data-side", String(si));
          tip(r, c.tool + " \u2014 " + c.d.join(" \u2192 ") + "\n" + iso(c.t));
          plot.appendChild(r);
        });
      });
    }

    function drawBins(g: Group): void {
      const b = tl.bins;
      // Merge the stored bins so each drawn bin is at least 4 px wide.
      let factor = 1;
      while ((b.widthMs * factor * PW) / (view.hi - view.lo) < 4) factor *= 2;
      const width = b.widthMs * factor;
      const merged: Record<number, number[]> = {};
      (b.tools[g.name] ?? []).forEach((row) => {
        const j = Math.floor(row[0]! / factor);
        const from = b.origin + j * width;
        if (from + width < view.lo || from > view.hi) return;
        const into = merged[j];
        if (!into) merged[j] = row.slice();
        else for (let k = 1; k < row.length; k++) into[k]! += row[k]!;
      });
      const rows = Object.keys(merged).map((j) => merged[Number(j)]!);
      let maxN = 1;
      rows.forEach((row) => { for (let si = 0; si < sides; si++) maxN = Math.max(maxN, sum(row, si)); });
      rows.forEach((row) => {
        const from = b.origin + Math.floor(row[0]! / factor) * width, to = from + width;
        const bx = x(from), bw = Math.max(2, x(to) - bx - 0.5);
        for (let si = 0; si < sides; si++) {
          const total = sum(row, si);
          if (!total) continue;
          const h = (g.laneH - 8) * (0.35 + 0.65 * Math.log(1 + total) / Math.log(1 + maxN));
          // Each decision's share of the bin's height; a decision with any call keeps 1 px.
          const parts = KINDS.map((k, j) => ({ k, n: row[1 + si * K + j]! })).filter((p) => p.n > 0);
          const px = parts.map((p) => Math.max(1, (h * p.n) / total));
          const over = px.reduce((a, v) => a + v, 0) - h;
          const big = px.indexOf(Math.max(...px));
          px[big] = px[big]! - over;
          const grp = sv("g", { "data-from": from, "data-to": to, "data-side": si }, "bin");
          let y = g.y + si * g.laneH + (g.laneH + h) / 2;
          parts.forEach((p, j) => {
            y -= px[j]!;
            const r = sv("rect", { x: bx, y, width: bw, height: px[j]! }, "seg d-" + p.k);
            r.setAttribute("data-decision", p.k);
            r.setAttribute("data-count", String(p.n));
            grp.appendChild(r);
          });
          const changed = row[1 + sides * K]!;
          tip(grp, g.name + (sides > 1 ? " (" + tl.sides[si] + ")" : "") + ": " + total + " calls\n" + parts.map((p) => p.k + " " + p.n).join(", ") + (changed ? "\nchanged " + changed : "") + "\n" + iso(from) + " \u2013 " + iso(to));
          grp.addEventListener("click", () => showBin(g.name, from, to, row, si));
          plot.appendChild(grp);
        }
      });
    }

    function drawCounter(c: Counter, y: number): void {
      const top = y + 14, h = COUNTER_H - 20;
      const p = peak(c), max = Math.max(c.limit, p, 1) * 1.08;
      const cy = (v: number): number => top + h - (v / max) * h;
      s.appendChild(sv("rect", { x: X0, y: top, width: PW, height: h }, "counter-bg"));
      s.appendChild(tip(svText(18, y + 26, shorten(c.key, 26), "small"), c.key));
      s.appendChild(svText(18, y + 40, "peak " + p + " / limit " + c.limit + ", " + c.window, "small"));
      const ly = cy(c.limit);
      s.appendChild(sv("line", { x1: X0, x2: X0 + PW, y1: ly, y2: ly }, "limit"));
      s.appendChild(svText(X0 + PW - 2, ly - 3, "limit " + c.limit, "small", "end"));
      if (!c.points.length) return;
      let d = "M" + x(Math.min(view.lo, c.points[0]![0])) + " " + cy(0);
      let prev = 0;
      c.points.forEach((pt) => {
        const px = x(pt[0]).toFixed(1);
        d += " L" + px + " " + cy(prev).toFixed(1) + " L" + px + " " + cy(pt[1]).toFixed(1);
        prev = pt[1];
      });
      const end = Math.max(X0 + PW, x(c.points[c.points.length - 1]![0]));
      d += " L" + end + " " + cy(prev).toFixed(1);
      const area = sv("path", { d: d + " L" + end + " " + cy(0) + " Z" }, "level-area");
      const line = sv("path", { d }, "level");
      line.setAttribute("data-counter", "1");
      tip(line, c.key + ": peak " + p + " of " + c.limit + (c.coarse ? " (coarse: each point is the peak of its stretch)" : ""));
      plot.appendChild(area);
      plot.appendChild(line);
    }

    function drawWindows(g: Group, top: number, bottom: number): void {
      const seen: Record<number, boolean> = {};
      g.windows.forEach((w) => {
        if (!w.fixed || seen[w.spanMs]) return;
        seen[w.spanMs] = true;
        const first = Math.ceil(view.lo / w.spanMs) * w.spanMs;
        if ((view.hi - first) / w.spanMs > MAX_WINDOW_LINES) return;
        for (let b = first; b <= view.hi; b += w.spanMs) {
          const line = sv("line", { x1: x(b), x2: x(b), y1: top, y2: bottom, "data-window": w.spanMs }, "window");
          tip(line, "window boundary (" + w.label + ")\n" + iso(b));
          plot.appendChild(line);
        }
      });
    }

    s.appendChild(plot);
    const brush = sv("rect", { x: 0, y: AXIS_H - 6, width: 0, height: height - AXIS_H + 6 }, "brush");
    s.appendChild(brush);
    chart.appendChild(s);
    viewLabel.textContent = iso(view.lo).slice(11, 23) + " \u2013 " + iso(view.hi).slice(11, 23) + " UTC (" + duration(view.hi - view.lo) + (view.lo <= full.lo && view.hi >= full.hi ? ", everything" : ", drag to zoom, double-click for everything") + ")";
    listen(s, brush as SVGRectElement);
    if (selected) select(selected);
  }

  // ── brush to zoom, double-click to reset, shift+wheel to pan ──
  let suppressClick = false;
  function listen(s: SVGElement, brush: SVGRectElement): void {
    let from: number | null = null;
    const px = (ev: MouseEvent): number => ev.clientX - s.getBoundingClientRect().left;
    s.addEventListener("mousedown", (ev) => {
      if (ev.button !== 0 || px(ev) < X0) return;
      from = px(ev);
      ev.preventDefault();
    });
    window.onmousemove = (ev: MouseEvent): void => {
      if (from === null) return;
      const to = Math.max(X0, Math.min(X0 + PW, px(ev)));
      brush.setAttribute("x", String(Math.min(from, to)));
      brush.setAttribute("width", String(Math.abs(to - from)));
    };
    window.onmouseup = (ev: MouseEvent): void => {
      if (from === null) return;
      const to = Math.max(X0, Math.min(X0 + PW, px(ev)));
      const a = from;
      from = null;
      brush.setAttribute("width", "0");
      if (Math.abs(to - a) < BRUSH_MIN_PX) return;
      suppressClick = true;
      setTimeout(() => { suppressClick = false; }, 0);
      setView(tAt(Math.min(a, to)), tAt(Math.max(a, to)));
    };
    s.addEventListener("click", (ev) => {
      if (suppressClick) { ev.stopPropagation(); return; }
      const t = ev.target as Element | null;
      const i = t?.getAttribute?.("data-i");
      if (i !== null && i !== undefined) showCall(calls[Number(i)]);
    }, true);
    s.addEventListener("dblclick", (ev) => { ev.preventDefault(); setView(full.lo, full.hi); });
    s.addEventListener("wheel", (ev) => {
      const dx = ev.shiftKey ? ev.deltaY : ev.deltaX;
      if (!dx) return;
      ev.preventDefault();
      pan(dx / PW);
    }, { passive: false });
  }

  // ── detail panel ──
  function select(c: Call): void {
    selected = c;
    if (!svg) return;
    svg.querySelectorAll(".mark.selected").forEach((n) => n.classList.remove("selected"));
    svg.querySelectorAll('.mark[data-i="' + c.i + '"]').forEach((n) => n.classList.add("selected"));
  }
  function pills(c: Call): HTMLElement {
    const p = el("p");
    c.d.forEach((d, si) => {
      if (sides > 1) p.appendChild(document.createTextNode(tl.sides[si] + " "));
      p.appendChild(el("span", "pill k-" + kind(d), d));
    });
    return p;
  }
  function showCall(c: Call | undefined): void {
    if (!c) return;
    select(c);
    detail.textContent = "";
    detail.appendChild(el("h3", "detail-tool", c.tool));
    detail.appendChild(pills(c));
    const dl = el("dl");
    dl.appendChild(el("dt", null, "call"));
    dl.appendChild(el("dd", "call-number", "#" + (c.i + 1)));
    c.fields.forEach((f) => { dl.appendChild(el("dt", null, f[0])); dl.appendChild(el("dd", null, f[1])); });
    detail.appendChild(dl);
    detail.appendChild(el("h4", null, "Arguments (as recorded, redacted)"));
    detail.appendChild(el("pre", "args", c.args));
  }
  function showBin(tool: string, from: number, to: number, row: number[], si: number): void {
    detail.textContent = "";
    detail.appendChild(el("h3", "detail-tool", tool));
    detail.appendChild(el("p", null, sum(row, si) + " calls, " + iso(from) + " \u2013 " + iso(to)));
    const dl = el("dl");
    KINDS.forEach((k, j) => { dl.appendChild(el("dt", null, k)); dl.appendChild(el("dd", null, row[1 + si * K + j]!)); });
    detail.appendChild(dl);
    const inBin = (byTool[tool] ?? []).filter((c) => c.t >= from && c.t < to);
    if (!inBin.length) { detail.appendChild(el("p", "hint", "No details kept for these calls.")); return; }
    const kept = tl.allKept ? "" : " kept (the calls that matter)";
    detail.appendChild(el("h4", null, inBin.length > 100 ? "First 100 of " + inBin.length + " calls" + kept : "Calls" + kept));
    const list = el("ul", "calls-list");
    inBin.slice(0, 100).forEach((c) => {
      const b = el("button", null, iso(c.t).slice(11, 23) + "  " + c.d.join(" \u2192 "));
      b.addEventListener("click", () => showCall(c));
      const li = el("li");
      li.appendChild(b);
      list.appendChild(li);
    });
    detail.appendChild(list);
  }

  // ── the calls that matter: filter, sort, page ──
  const notableCalls = calls.filter(notable);
  const section = el("section", "matter");
  section.appendChild(el("h2", null, "Calls that matter: refused, approval, undecided, changed"));
  const controls = el("div", "controls");
  const decisionFilter = el("select");
  decisionFilter.id = "filter-decision";
  ["all", "deny", "throttle", "approval", "undecided", "changed"].forEach((v) => { const o = el("option", null, v); o.value = v; decisionFilter.appendChild(o); });
  const textFilter = el("input");
  textFilter.id = "filter-text";
  textFilter.type = "search";
  textFilter.placeholder = "tool, rule or message contains\u2026";
  const inView = el("input");
  inView.id = "filter-in-view";
  inView.type = "checkbox";
  inView.checked = true;
  const inViewLabel = el("label");
  inViewLabel.appendChild(inView);
  inViewLabel.appendChild(document.createTextNode(" only the zoomed time range"));
  controls.appendChild(decisionFilter);
  controls.appendChild(textFilter);
  controls.appendChild(inViewLabel);
  section.appendChild(controls);
  const count = el("p", "count");
  count.id = "matter-count";
  section.appendChild(count);
  const table = el("table", "matter-table");
  table.id = "matter";
  const COLS: { key: string; label: string; get: (c: Call) => string | number }[] = [
    { key: "i", label: "#", get: (c) => c.i },
    { key: "t", label: "time (UTC)", get: (c) => c.t },
    { key: "tool", label: "tool", get: (c) => c.tool },
    { key: "decision", label: sides > 1 ? "base \u2192 head" : "decision", get: (c) => c.d.join(" ") + (c.changed ? " changed" : "") },
    { key: "rule", label: "rule", get: (c) => c.rule },
    { key: "msg", label: "message", get: (c) => c.msg },
  ];
  let sortKey = "i", sortDir = 1, page = 0;
  const headRow = el("tr");
  COLS.forEach((col) => {
    const th = el("th", "sortable", col.label);
    th.setAttribute("data-key", col.key);
    th.addEventListener("click", () => {
      if (sortKey === col.key) sortDir = -sortDir; else { sortKey = col.key; sortDir = 1; }
      page = 0;
      renderTable();
    });
    headRow.appendChild(th);
  });
  const thead = el("thead");
  thead.appendChild(headRow);
  table.appendChild(thead);
  const tbody = el("tbody");
  table.appendChild(tbody);
  section.appendChild(table);
  const pager = el("div", "pager");
  const pageButtons: Record<string, HTMLButtonElement> = {};
  [["first", "\u00AB first"], ["prev", "\u2039 previous"], ["next", "next \u203A"], ["last", "last \u00BB"]].forEach(([id, text]) => {
    const b = el("button", null, text);
    b.type = "button";
    b.id = "page-" + id;
    pageButtons[id!] = b;
    pager.appendChild(b);
  });
  const pageLabel = el("span", "page-label");
  pageLabel.id = "page-label";
  pager.appendChild(pageLabel);
  section.appendChild(pager);
  let rows: Call[] = [];
  function lastPage(): number { return Math.max(0, Math.ceil(rows.length / PAGE) - 1); }
  pageButtons.first!.addEventListener("click", () => { page = 0; renderTable(); });
  pageButtons.prev!.addEventListener("click", () => { page = Math.max(0, page - 1); renderTable(); });
  pageButtons.next!.addEventListener("click", () => { page = Math.min(lastPage(), page + 1); renderTable(); });
  pageButtons.last!.addEventListener("click", () => { page = lastPage(); renderTable(); });
  decisionFilter.addEventListener("change", () => { page = 0; renderTable(); });
  textFilter.addEventListener("input", () => { page = 0; renderTable(); });
  inView.addEventListener("change", () => { page = 0; renderTable(); });

  function renderTable(): void {
    const want = decisionFilter.value, text = textFilter.value.toLowerCase();
    rows = notableCalls.filter((c) =>
      (want === "all" || (want === "changed" ? c.changed : c.d.indexOf(want) >= 0)) &&
      (!inView.checked || (c.t >= view.lo && c.t <= view.hi)) &&
      (!text || (c.tool + "\n" + c.rule + "\n" + c.msg).toLowerCase().indexOf(text) >= 0));
    const col = COLS.filter((c) => c.key === sortKey)[0]!;
    rows.sort((a, b) => { const va = col.get(a), vb = col.get(b); return (va < vb ? -1 : va > vb ? 1 : a.i - b.i) * sortDir; });
    page = Math.min(page, lastPage());
    headRow.querySelectorAll("th").forEach((th) => {
      const on = th.getAttribute("data-key") === sortKey;
      th.setAttribute("aria-sort", on ? (sortDir > 0 ? "ascending" : "descending") : "none");
    });
    tbody.textContent = "";
    rows.slice(page * PAGE, page * PAGE + PAGE).forEach((c) => {
      const tr = el("tr");
      tr.setAttribute("data-i", String(c.i));
      tr.appendChild(el("td", "num", c.i + 1));
      tr.appendChild(el("td", null, iso(c.t).replace("T", " ").slice(0, 23)));
      tr.appendChild(el("td", "tool-cell", c.tool));
      const dc = el("td");
      c.d.forEach((d, si) => { if (si) dc.appendChild(document.createTextNode(" \u2192 ")); dc.appendChild(el("span", "pill k-" + kind(d), d)); });
      if (c.changed) dc.appendChild(el("span", "changed-tag", c.was ? "was " + c.was : "changed"));
      tr.appendChild(dc);
      tr.appendChild(el("td", null, c.rule || "(none)"));
      tr.appendChild(el("td", "msg", c.msg));
      tr.addEventListener("click", () => showCall(c));
      tbody.appendChild(tr);
    });
    const where = inView.checked && (view.lo > full.lo || view.hi < full.hi) ? " in the zoomed time range" : "";
    count.textContent = rows.length + " of " + notableCalls.length + " calls that matter" + where + "." +
      (tl.notableDropped ? " " + tl.notableDropped + " more were not kept (the page would be too large)." : "");
    pageLabel.textContent = rows.length ? "rows " + (page * PAGE + 1) + "\u2013" + Math.min(rows.length, page * PAGE + PAGE) + " of " + rows.length + ", page " + (page + 1) + " of " + (lastPage() + 1) : "no rows";
    pageButtons.first!.disabled = pageButtons.prev!.disabled = page === 0;
    pageButtons.next!.disabled = pageButtons.last!.disabled = page >= lastPage();
  }
  app.appendChild(section);

  draw();
  renderTable();
  let resizeTimer = 0, drawnWidth = chart.clientWidth;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => { if (chart.clientWidth !== drawnWidth) { drawnWidth = chart.clientWidth; draw(); } }, 150);
  });

  const nb: string[] = [];
  nb.push(tl.callsTotal ? tl.callsTotal + " calls over " + duration(tl.t1 - tl.t0) + "." : "The tapes hold no tools/call.");
  nb.push("Up to " + MARK_LIMIT + " calls in view are drawn one mark each (stacked where they would overlap); more are drawn as time bins per tool, each split by the share of each decision; hover for counts, click for its calls.");
  if (!tl.allKept) nb.push("Details (arguments in full) are kept for the first " + tl.detailCap + " calls; after them, for the calls that matter.");
  if (tl.countersUntracked) nb.push(tl.countersUntracked + " more counter keys are not charted.");
  const windowLabels: string[] = [];
  tl.everyTool.concat(...tl.tools.map((t) => t.windows)).forEach((w) => { if (windowLabels.indexOf(w.label) < 0) windowLabels.push(w.label); });
  if (windowLabels.length) nb.push("Windows: " + windowLabels.join("; ") + ".");
  chartNotes.textContent = nb.join(" ");

  // ── summary tables ──
  const tables = el("section", "tables");
  data.tables.forEach((spec) => {
    const box = el("div");
    box.appendChild(el("h2", null, spec.title));
    const t = el("table");
    const tr = el("tr");
    spec.columns.forEach((col, j) => {
      const numeric = spec.rows.length > 0 && typeof spec.rows[0]![j] === "number";
      tr.appendChild(el("th", (numeric ? "num" : "") + (KINDS.indexOf(col as Kind) >= 0 ? " k-" + col : ""), col));
    });
    const th = el("thead");
    th.appendChild(tr);
    t.appendChild(th);
    const tb = el("tbody");
    spec.rows.forEach((row) => {
      const r = el("tr");
      row.forEach((v, j) => r.appendChild(el("td", j > 0 && typeof v === "number" ? "num" + (v === 0 ? " zero" : "") : "", v)));
      tb.appendChild(r);
    });
    if (!spec.rows.length) {
      // A table of headings alone reads as a page that failed to fill it.
      const none = el("td", "zero", "none");
      none.colSpan = spec.columns.length;
      const r = el("tr");
      r.appendChild(none);
      tb.appendChild(r);
    }
    t.appendChild(tb);
    box.appendChild(t);
    tables.appendChild(box);
  });
  app.appendChild(tables);
  document.documentElement.setAttribute("data-ready", "1");
})();
