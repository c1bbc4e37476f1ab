/**
 * The report page's script: reads the JSON data block and draws the header, the timeline
 * (SVG), the detail panel and the tables. Every recorded string goes in with textContent or
 * as an SVG <title> text node, never as markup. Plain ES2017, no template strings (this file
 * is itself a template string).
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
  var KINDS = ["allow", "deny", "throttle", "approval", "undecided"];
  var K = KINDS.length;
  var SEVERITY = ["deny", "throttle", "approval", "undecided", "allow"];
  var MARK_LIMIT = 3000, COUNTERS_PER_GROUP = 6, MAX_WINDOW_LINES = 200;
  var LABEL_W = 200, LANE_H = 24, COUNTER_H = 48, AXIS_H = 30, GAP = 14;
  var SVGNS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var app = document.getElementById("app");
  app.textContent = "";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function sv(tag, attrs, cls) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    if (cls) e.setAttribute("class", cls);
    return e;
  }
  function svText(x, y, text, cls, anchor) {
    var t = sv("text", { x: x, y: y, "text-anchor": anchor || "start" }, cls);
    t.textContent = text;
    return t;
  }
  function tip(node, text) {
    var t = sv("title", {});
    t.textContent = text;
    node.appendChild(t);
    return node;
  }
  /** A decision kind from data, as a known constant (never data-made class names). */
  function kind(k) { var i = KINDS.indexOf(k); return i < 0 ? "deny" : KINDS[i]; }
  /** Calls of one side in a bin row: [index, 4 counts per side..., changed]. */
  function sum(row, s) { var n = 0; for (var j = 1; j <= K; j++) n += row[j + s * K]; return n; }
  function iso(t) { return new Date(Math.floor(t)).toISOString(); }
  function shorten(s, n) { return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }
  function duration(ms) {
    if (ms < 1000) return ms + " ms";
    if (ms < 120000) return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + " s";
    if (ms < 7200000) return (ms / 60000).toFixed(1) + " min";
    return (ms / 3600000).toFixed(1) + " h";
  }

  // ── header, cards, notes ──
  var header = el("header");
  header.appendChild(el("h1", null, data.title));
  var meta = el("dl", "meta");
  data.meta.forEach(function (m) { meta.appendChild(el("dt", null, m[0])); meta.appendChild(el("dd", null, m[1])); });
  header.appendChild(meta);
  app.appendChild(header);
  var cards = el("section", "cards");
  data.cards.forEach(function (c) {
    var card = el("div", "card" + (c.kind ? " k-" + (c.kind === "changed" ? "changed" : kind(c.kind)) : ""));
    card.appendChild(el("div", "n", c.value));
    card.appendChild(el("div", "label", c.label));
    cards.appendChild(card);
  });
  app.appendChild(cards);
  if (data.notes.length) {
    var notes = el("ul", "notes");
    data.notes.forEach(function (n) { notes.appendChild(el("li", null, n)); });
    app.appendChild(notes);
  }

  // ── timeline ──
  var tl = data.timeline;
  app.appendChild(el("h2", null, "Timeline"));
  var legend = el("div", "legend");
  function legendItem(swCls, text) { var s = el("span"); s.appendChild(el("span", "sw " + swCls)); s.appendChild(document.createTextNode(text)); legend.appendChild(s); }
  KINDS.forEach(function (k) { legendItem("k-" + k, k); });
  legendItem("changed", data.changedLegend);
  var hasWindows = tl.tools.some(function (t) { return t.windows.some(function (w) { return w.fixed; }); });
  if (hasWindows) legendItem("window", "rate-limit window boundary");
  if (tl.counters.length) { legendItem("level", "counter level"); legendItem("limit", "limit"); }
  app.appendChild(legend);
  var wrap = el("section", "timeline");
  var chart = el("div", "chart");
  var left = el("div");
  left.appendChild(chart);
  var chartNotes = el("div", "chart-notes");
  left.appendChild(chartNotes);
  wrap.appendChild(left);
  var detail = el("aside", "detail");
  detail.id = "detail";
  detail.appendChild(el("p", "hint", tl.callsTotal ? "Click a mark to see the call." : "No calls were replayed."));
  wrap.appendChild(detail);
  app.appendChild(wrap);

  var useMarks = tl.callsTotal <= MARK_LIMIT && tl.calls.length === tl.callsTotal;
  var span = Math.max(tl.t1 - tl.t0, 1);
  var pad = Math.max(span * 0.02, 250);
  var lo = tl.t0 - pad, hi = tl.t1 + pad;
  var W, X0, PW, svg, height, selectedIndex = -1;
  function x(t) { return X0 + ((t - lo) / (hi - lo)) * PW; }

  var groups = tl.tools.map(function (t) { return { name: t.name, windows: t.windows, lanes: true }; });
  var byGroup = {};
  tl.counters.forEach(function (c) { (byGroup[c.group] = byGroup[c.group] || []).push(c); });
  if (byGroup["*"]) groups.push({ name: "*", windows: [], lanes: false });
  groups.forEach(function (g) {
    g.counters = (byGroup[g.name] || []).slice().sort(function (a, b) { return peak(b) / b.limit - peak(a) / a.limit; });
    g.hidden = Math.max(0, g.counters.length - COUNTERS_PER_GROUP);
    g.counters = g.counters.slice(0, COUNTERS_PER_GROUP);
  });
  function peak(c) { var m = 0; c.points.forEach(function (p) { if (p[1] > m) m = p[1]; }); return m; }

  var calls = tl.calls;
  var byTool = {};
  calls.forEach(function (c, i) { (byTool[c.tool] = byTool[c.tool] || []).push(i); });

  /** Draws the timeline SVG at the chart's current width (again on a resize). */
  function draw() {
    W = Math.max(480, chart.clientWidth || 900);
    X0 = LABEL_W + 12;
    PW = W - X0 - 18;
    chart.textContent = "";
    height = AXIS_H;
    groups.forEach(function (g) {
      g.y = height;
      height += (g.lanes ? tl.sides.length * LANE_H : 18) + g.counters.length * COUNTER_H + (g.hidden ? 16 : 0) + GAP;
    });
    height = Math.max(height, AXIS_H + 40);
    svg = sv("svg", { width: W, height: height, viewBox: "0 0 " + W + " " + height, role: "img" });
    svg.setAttribute("aria-label", "Timeline of calls per tool");

    // time axis
    var STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 108e5, 216e5, 432e5, 864e5, 1728e5, 6048e5];
    var step = STEPS[STEPS.length - 1];
    for (var si = 0; si < STEPS.length; si++) if ((hi - lo) / STEPS[si] <= 8) { step = STEPS[si]; break; }
    svg.appendChild(sv("line", { x1: X0, x2: X0 + PW, y1: AXIS_H - 6, y2: AXIS_H - 6 }, "axis"));
    svg.appendChild(svText(8, 16, iso(tl.t0).slice(0, 10) + " UTC", "small"));
    for (var tick = Math.ceil(lo / step) * step; tick <= hi; tick += step) {
      var tx = x(tick);
      svg.appendChild(sv("line", { x1: tx, x2: tx, y1: AXIS_H - 6, y2: height }, "grid"));
      var label = step < 1000 ? iso(tick).slice(14, 23) : step < 864e5 ? iso(tick).slice(11, 19) : iso(tick).slice(5, 10);
      // Labels too near an edge would be cut off.
      if (tx > X0 - 20 && tx < X0 + PW - 30) svg.appendChild(svText(tx, 16, label, "small", "middle"));
    }

    groups.forEach(function (g) {
      var y = g.y;
      var groupTop = y;
      if (g.lanes) {
        tl.sides.forEach(function (side, s) {
          svg.appendChild(sv("rect", { x: X0, y: y + 2, width: PW, height: LANE_H - 4, rx: 3 }, "lane-bg"));
          if (s === 0) svg.appendChild(tip(svText(8, y + 16, shorten(g.name, tl.sides.length > 1 ? 19 : 26), "tool"), g.name));
          if (tl.sides.length > 1) svg.appendChild(svText(X0 - 8, y + 16, side, "small", "end"));
          y += LANE_H;
        });
        var laneTop = groupTop;
        if (useMarks) drawMarks(g.name, laneTop); else drawBins(g.name, laneTop);
      } else {
        svg.appendChild(svText(8, y + 13, "every tool (*)", "tool"));
        y += 18;
      }
      g.counters.forEach(function (c) { drawCounter(c, y); y += COUNTER_H; });
      if (g.hidden) { svg.appendChild(svText(X0, y + 11, "and " + g.hidden + " more counters of " + g.name + " not charted", "small")); y += 16; }
      drawWindows(g, groupTop, y);
    });

    function drawMarks(tool, top) {
      (byTool[tool] || []).forEach(function (i) {
        var c = calls[i];
        var mx = x(c.t);
        if (c.changed && tl.sides.length > 1) svg.appendChild(sv("rect", { x: mx - 4, y: top, width: 8, height: tl.sides.length * LANE_H }, "change-band"));
        c.d.forEach(function (d, s) {
          var k = kind(d);
          var r = sv("rect", { x: mx - 2, y: top + s * LANE_H + 5, width: 4, height: LANE_H - 10, rx: 1 }, "mark d-" + k + (c.changed ? " changed" : ""));
          r.setAttribute("data-i", i);
          r.setAttribute("data-decision", k);
          r.setAttribute("data-side", s);
          tip(r, c.tool + " \u2014 " + c.d.join(" \u2192 ") + "\n" + iso(c.t));
          svg.appendChild(r);
        });
      });
    }

    function drawBins(tool, top) {
      var rows = tl.bins.tools[tool] || [];
      var n = tl.sides.length, maxN = 1;
      rows.forEach(function (row) { for (var s = 0; s < n; s++) maxN = Math.max(maxN, sum(row, s)); });
      rows.forEach(function (row) {
        var from = tl.bins.origin + row[0] * tl.bins.widthMs, to = from + tl.bins.widthMs;
        var bx = x(from), bw = Math.max(2, x(to) - bx - 0.5);
        for (var s = 0; s < n; s++) {
          var total = sum(row, s);
          if (!total) continue;
          var worst = "allow";
          for (var w = 0; w < SEVERITY.length; w++) if (row[1 + s * K + KINDS.indexOf(SEVERITY[w])] > 0) { worst = SEVERITY[w]; break; }
          var h = (LANE_H - 8) * (0.35 + 0.65 * Math.log(1 + total) / Math.log(1 + maxN));
          var r = sv("rect", { x: bx, y: top + s * LANE_H + (LANE_H - h) / 2, width: bw, height: h }, "bin d-" + worst);
          r.setAttribute("data-decision", worst);
          var counts = KINDS.map(function (k, j) { return k + " " + row[1 + s * K + j]; }).join(", ");
          var changed = row[1 + n * K];
          tip(r, tool + (n > 1 ? " (" + tl.sides[s] + ")" : "") + ": " + total + " calls\n" + counts + (changed ? "\nchanged " + changed : "") + "\n" + iso(from) + " \u2013 " + iso(to));
          r.addEventListener("click", showBin.bind(null, tool, from, to, row, s));
          svg.appendChild(r);
        }
      });
    }

    function drawCounter(c, y) {
      var top = y + 14, h = COUNTER_H - 20;
      var p = peak(c), max = Math.max(c.limit, p, 1) * 1.08;
      function cy(v) { return top + h - (v / max) * h; }
      svg.appendChild(sv("rect", { x: X0, y: top, width: PW, height: h }, "counter-bg"));
      svg.appendChild(tip(svText(18, y + 26, shorten(c.key, 26), "small"), c.key));
      svg.appendChild(svText(18, y + 40, "peak " + p + " / limit " + c.limit + ", " + c.window, "small"));
      var ly = cy(c.limit);
      svg.appendChild(sv("line", { x1: X0, x2: X0 + PW, y1: ly, y2: ly }, "limit"));
      svg.appendChild(svText(X0 + PW - 2, ly - 3, "limit " + c.limit, "small", "end"));
      if (!c.points.length) return;
      var d = "M" + X0 + " " + cy(0);
      var prev = 0;
      c.points.forEach(function (pt) {
        if (pt[0] > hi) return; // the drop at a window's end past the range
        var px = Math.max(x(pt[0]), X0);
        d += " L" + px.toFixed(1) + " " + cy(prev).toFixed(1) + " L" + px.toFixed(1) + " " + cy(pt[1]).toFixed(1);
        prev = pt[1];
      });
      d += " L" + (X0 + PW) + " " + cy(prev).toFixed(1);
      var area = sv("path", { d: d + " L" + (X0 + PW) + " " + cy(0) + " Z" }, "level-area");
      var line = sv("path", { d: d }, "level");
      line.setAttribute("data-counter", "1");
      tip(line, c.key + ": peak " + p + " of " + c.limit + (c.coarse ? " (coarse: each point is the peak of its stretch)" : ""));
      svg.appendChild(area);
      svg.appendChild(line);
    }

    function drawWindows(g, top, bottom) {
      var seen = {};
      g.windows.forEach(function (w) {
        if (!w.fixed || seen[w.spanMs]) return;
        seen[w.spanMs] = true;
        var first = Math.ceil(lo / w.spanMs) * w.spanMs;
        if ((hi - first) / w.spanMs > MAX_WINDOW_LINES) return;
        for (var b = first; b <= hi; b += w.spanMs) {
          var line = sv("line", { x1: x(b), x2: x(b), y1: top, y2: bottom }, "window");
          tip(line, "window boundary (" + w.label + ")\n" + iso(b));
          svg.appendChild(line);
        }
      });
    }

    chart.appendChild(svg);
    svg.addEventListener("click", function (ev) {
      var t = ev.target;
      if (t && t.getAttribute && t.getAttribute("data-i") !== null) showCall(Number(t.getAttribute("data-i")));
    });
    if (selectedIndex >= 0) select(selectedIndex);
  }
  draw();
  var resizeTimer = 0, drawnWidth = chart.clientWidth;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { if (chart.clientWidth !== drawnWidth) { drawnWidth = chart.clientWidth; draw(); } }, 150);
  });

  var nb = [];
  nb.push(tl.callsTotal + " calls over " + duration(tl.t1 - tl.t0) + ".");
  if (!useMarks) nb.push("Too many calls for one mark each: calls are binned by time (" + duration(tl.bins.widthMs) + " a bin) per tool, each bin coloured by its worst decision; hover for counts, click for its calls.");
  if (tl.calls.length < tl.callsTotal) nb.push("Details are kept for the first " + tl.calls.length + " calls.");
  if (tl.countersUntracked) nb.push(tl.countersUntracked + " more counter keys are not charted.");
  var windowLabels = [];
  tl.tools.forEach(function (t) { t.windows.forEach(function (w) { if (windowLabels.indexOf(w.label) < 0) windowLabels.push(w.label); }); });
  if (windowLabels.length) nb.push("Windows: " + windowLabels.join("; ") + ".");
  chartNotes.textContent = nb.join(" ");

  // ── detail panel ──
  var selected = [];
  function select(i) {
    selectedIndex = i;
    selected.forEach(function (n) { n.classList.remove("selected"); });
    selected = Array.prototype.slice.call(svg.querySelectorAll(".mark")).filter(function (n) { return n.getAttribute("data-i") === String(i); });
    selected.forEach(function (n) { n.classList.add("selected"); });
  }
  function pills(c) {
    var p = el("p");
    c.d.forEach(function (d, s) {
      if (tl.sides.length > 1) p.appendChild(document.createTextNode(tl.sides[s] + " "));
      p.appendChild(el("span", "pill k-" + kind(d), d));
    });
    return p;
  }
  function showCall(i) {
    var c = calls[i];
    if (!c) return;
    select(i);
    detail.textContent = "";
    detail.appendChild(el("h3", "detail-tool", c.tool));
    detail.appendChild(pills(c));
    var dl = el("dl");
    c.fields.forEach(function (f) { dl.appendChild(el("dt", null, f[0])); dl.appendChild(el("dd", null, f[1])); });
    detail.appendChild(dl);
    detail.appendChild(el("h4", null, "Arguments (as recorded, redacted)"));
    detail.appendChild(el("pre", "args", c.args));
  }
  function showBin(tool, from, to, row, s) {
    detail.textContent = "";
    detail.appendChild(el("h3", "detail-tool", tool));
    detail.appendChild(el("p", null, sum(row, s) + " calls, " + iso(from) + " \u2013 " + iso(to)));
    var dl = el("dl");
    KINDS.forEach(function (k, j) { dl.appendChild(el("dt", null, k)); dl.appendChild(el("dd", null, row[1 + s * K + j])); });
    detail.appendChild(dl);
    var inBin = (byTool[tool] || []).filter(function (i) { return calls[i].t >= from && calls[i].t < to; });
    if (!inBin.length) { detail.appendChild(el("p", "hint", "No details kept for these calls.")); return; }
    detail.appendChild(el("h4", null, inBin.length > 100 ? "First 100 of " + inBin.length + " calls" : "Calls"));
    var list = el("ul", "calls-list");
    inBin.slice(0, 100).forEach(function (i) {
      var b = el("button", null, iso(calls[i].t).slice(11, 23) + "  " + calls[i].d.join(" \u2192 "));
      b.addEventListener("click", function () { showCall(i); });
      var li = el("li");
      li.appendChild(b);
      list.appendChild(li);
    });
    detail.appendChild(list);
  }

  // ── tables ──
  var tables = el("section", "tables");
  data.tables.forEach(function (spec) {
    var box = el("div");
    box.appendChild(el("h2", null, spec.title));
    var table = el("table");
    var tr = el("tr");
    spec.columns.forEach(function (col, j) {
      var numeric = spec.rows.length > 0 && typeof spec.rows[0][j] === "number";
      tr.appendChild(el("th", (numeric ? "num" : "") + (KINDS.indexOf(col) >= 0 ? " k-" + col : ""), col));
    });
    var thead = el("thead");
    thead.appendChild(tr);
    table.appendChild(thead);
    var tbody = el("tbody");
    spec.rows.forEach(function (row) {
      var r = el("tr");
      row.forEach(function (v, j) { r.appendChild(el("td", j > 0 && typeof v === "number" ? "num" + (v === 0 ? " zero" : "") : "", v)); });
      tbody.appendChild(r);
    });
    table.appendChild(tbody);
    box.appendChild(table);
    tables.appendChild(box);
  });
  app.appendChild(tables);
  document.documentElement.setAttribute("data-ready", "1");
})();
`;
