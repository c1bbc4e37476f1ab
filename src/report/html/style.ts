/** The report page's stylesheet (inline, no external fonts). */
export const PAGE_STYLE = String.raw`
:root { --allow: #2f9e5b; --deny: #d64545; --throttle: #e08a1e; --approval: #6d5bd0; --undecided: #8a94a0; --ink: #1d2430; --muted: #6b7480; --line: #e3e7ec; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1400px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
h3 { font-size: 15px; margin: 0 0 8px; word-break: break-all; }
h4 { font-size: 13px; margin: 14px 0 6px; color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; color: var(--muted); }
dl.meta dd { margin: 0; color: var(--ink); word-break: break-all; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 18px 0 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 96px; background: var(--bg); border-top: 4px solid #9aa3ad; }
.card .n { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card.k-allow { border-top-color: var(--allow); } .card.k-deny { border-top-color: var(--deny); }
.card.k-throttle { border-top-color: var(--throttle); } .card.k-approval { border-top-color: var(--approval); } .card.k-undecided { border-top-color: var(--undecided); }
.card.k-changed { border-top-color: #222; }
ul.notes { margin: 12px 0 0; padding-left: 18px; color: #8a5a00; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; color: var(--muted); font-size: 12px; margin-bottom: 8px; }
.sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.sw.k-allow { background: var(--allow); } .sw.k-deny { background: var(--deny); } .sw.k-throttle { background: var(--throttle); } .sw.k-approval { background: var(--approval); } .sw.k-undecided { background: var(--undecided); }
.sw.changed { background: #fff; border: 2px solid #111; } .sw.window { border-left: 2px dashed #8794a3; border-radius: 0; width: 2px; height: 13px; vertical-align: -2px; }
.sw.level { background: #3a6fd8; height: 3px; width: 14px; vertical-align: 3px; } .sw.limit { border-top: 2px dashed var(--deny); height: 0; width: 14px; border-radius: 0; vertical-align: 3px; }
.timeline { display: grid; grid-template-columns: minmax(0, 1fr) 330px; gap: 16px; align-items: start; }
.chart { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
.chart svg { display: block; }
.chart-notes { color: var(--muted); font-size: 12px; margin: 6px 2px 0; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
svg text.small { font-size: 11px; fill: var(--muted); }
svg text.tool { font-weight: 600; }
svg .lane-bg { fill: var(--bg); }
svg .grid { stroke: #edf0f3; }
svg .axis { stroke: #c9d0d8; }
svg .window { stroke: #8794a3; stroke-dasharray: 3 3; }
svg .mark, svg .bin { cursor: pointer; }
svg .mark:hover, svg .bin:hover { opacity: .75; }
svg .d-allow { fill: var(--allow); } svg .d-deny { fill: var(--deny); } svg .d-throttle { fill: var(--throttle); } svg .d-approval { fill: var(--approval); } svg .d-undecided { fill: var(--undecided); }
svg .changed { stroke: #111; stroke-width: 1.5; }
svg .change-band { fill: #ffd43b; pointer-events: none; }
svg .brush { fill: #3a6fd8; opacity: .15; pointer-events: none; }
svg .window, svg .grid, svg .level, svg .level-area { pointer-events: none; }
.chart svg { cursor: crosshair; user-select: none; }
.toolbar { display: flex; gap: 6px; align-items: center; margin-bottom: 6px; font-size: 12px; color: var(--muted); }
.toolbar button, .pager button { font: inherit; font-size: 12px; padding: 2px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); cursor: pointer; }
.toolbar button:hover, .pager button:hover:enabled { background: #e9edf2; }
.view-label { margin-left: 8px; }
.matter .controls { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; font-size: 13px; }
.matter select, .matter input[type=search] { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 6px; }
.matter input[type=search] { width: 260px; }
.matter .count { color: var(--muted); font-size: 12px; margin: 6px 0; }
.matter-table { width: 100%; }
.matter-table th.sortable { cursor: pointer; user-select: none; }
.matter-table th[aria-sort=ascending]::after { content: " \25B2"; } .matter-table th[aria-sort=descending]::after { content: " \25BC"; }
.matter-table tbody tr { cursor: pointer; } .matter-table tbody tr:hover { background: var(--bg); }
.matter-table td.msg { color: var(--muted); max-width: 420px; }
.matter-table td.tool-cell { word-break: break-all; }
.changed-tag { font-size: 11px; border: 1px solid #111; border-radius: 8px; padding: 0 6px; margin-left: 6px; }
.pager { display: flex; gap: 6px; align-items: center; font-size: 12px; color: var(--muted); }
.pager button:disabled { opacity: .45; cursor: default; }
svg .selected { stroke: #111; stroke-width: 2.5; }
svg .level { fill: none; stroke: #3a6fd8; stroke-width: 1.5; }
svg .level-area { fill: #3a6fd8; opacity: .1; }
svg .limit { stroke: var(--deny); stroke-dasharray: 5 3; }
svg .counter-bg { fill: #fbfcfd; }
.detail { position: sticky; top: 12px; border: 1px solid var(--line); border-radius: 8px; padding: 14px; background: #fff; max-height: calc(100vh - 24px); overflow: auto; }
.detail .hint { color: var(--muted); }
.detail dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 10px; margin: 8px 0 0; font-size: 13px; }
.detail dt { color: var(--muted); }
.detail dd { margin: 0; word-break: break-word; white-space: pre-wrap; }
.detail pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-all; margin: 0; max-height: 320px; overflow: auto; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; margin-right: 6px; }
.pill.k-allow { background: var(--allow); } .pill.k-deny { background: var(--deny); } .pill.k-throttle { background: var(--throttle); } .pill.k-approval { background: var(--approval); } .pill.k-undecided { background: var(--undecided); }
.calls-list { list-style: none; padding: 0; margin: 8px 0 0; }
.calls-list button { all: unset; cursor: pointer; display: block; width: 100%; padding: 3px 4px; border-radius: 4px; font-size: 12px; }
.calls-list button:hover { background: var(--bg); }
table { border-collapse: collapse; margin: 0 0 18px; font-size: 13px; }
th, td { padding: 5px 12px; border-bottom: 1px solid var(--line); text-align: left; }
th { color: var(--muted); font-weight: 600; background: var(--bg); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.zero { color: #c0c6cd; }
th.k-allow { box-shadow: inset 0 -3px var(--allow); } th.k-deny { box-shadow: inset 0 -3px var(--deny); }
th.k-throttle { box-shadow: inset 0 -3px var(--throttle); } th.k-approval { box-shadow: inset 0 -3px var(--approval); } th.k-undecided { box-shadow: inset 0 -3px var(--undecided); }
.tables { display: flex; flex-wrap: wrap; gap: 0 32px; align-items: flex-start; }
@media (max-width: 900px) { .timeline { grid-template-columns: 1fr; } .detail { position: static; max-height: none; } }
`;
