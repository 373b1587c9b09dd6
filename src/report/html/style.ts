/** The stylesheet of report.html: inline, allowed by its hash in the page's Content-Security-Policy. */
export const PAGE_STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
  --ok: #1a7f37; --bad: #cf222e; --limit: #9a6700; --err: #8250df; --int: #59636e; --add-bg: #dafbe1; --del-bg: #ffebe9; --hunk: #0969da; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23;
  --ok: #3fb950; --bad: #f85149; --limit: #d29922; --err: #a371f7; --int: #9198a1; --add-bg: #12261e; --del-bg: #25171c; --hunk: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
#app { max-width: 1200px; margin: 0 auto; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; } h3 { font-size: 14px; margin: 16px 0 6px; }
code, pre { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; tab-size: 4; }
pre { margin: 0; padding: 8px 10px; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 480px; overflow: auto; }
a { color: var(--hunk); }
.meta, .note { color: var(--muted); } .note { font-size: 12.5px; margin-left: 8px; }
.warnings { margin: 12px 0; padding: 10px 14px 10px 32px; border: 1px solid var(--limit); border-radius: 6px; background: color-mix(in srgb, var(--limit) 12%, transparent); }
.warn-text { color: var(--bad); }
.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 8px; margin: 16px 0 8px; }
.stat { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; display: flex; flex-direction: column; }
.stat .value { font-size: 18px; font-weight: 600; } .stat .label { color: var(--muted); font-size: 12px; }
.stat.succeeded .value { color: var(--ok); } .stat.failed .value { color: var(--bad); } .stat.limit_exceeded .value { color: var(--limit); }
.stat.error .value { color: var(--err); } .stat.zero .value { color: var(--muted); }
.chip { display: inline-block; margin: 0 6px 4px 0; padding: 1px 8px; border: 1px solid var(--line); border-radius: 10px; font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 12px; align-items: start; }
.chart-box { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.chart-box figcaption { margin-bottom: 6px; } svg.chart { width: 100%; height: auto; display: block; }
svg .bar { fill: var(--muted); cursor: pointer; } svg .bar:hover { opacity: 0.7; }
svg .bar.succeeded { fill: var(--ok); } svg .bar.failed { fill: var(--bad); } svg .bar.limit_exceeded { fill: var(--limit); }
svg .bar.error { fill: var(--err); } svg .bar.spread { fill: var(--hunk); cursor: default; }
svg .axis { fill: var(--muted); font-size: 11px; } svg .tok.cached { fill: color-mix(in srgb, var(--hunk) 45%, transparent); }
svg .tok.input { fill: var(--hunk); } svg .tok.output { fill: var(--ok); }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
.filters input, .filters select { font: inherit; padding: 4px 6px; background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 6px; }
.filters input[type=search] { min-width: 240px; } .filters input[type=number] { width: 90px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th button { font: inherit; font-weight: 600; background: none; border: 0; color: var(--fg); cursor: pointer; padding: 0; }
th[aria-sort=ascending] button::after { content: " ▲"; } th[aria-sort=descending] button::after { content: " ▼"; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.task-row { cursor: pointer; } tr.task-row:hover, tr.task-row.open { background: var(--panel); }
.task-id { font-family: ui-monospace, monospace; } .title { display: block; color: var(--muted); font-size: 12.5px; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; color: #fff; background: var(--int); white-space: nowrap; }
.badge.succeeded { background: var(--ok); } .badge.failed { background: var(--bad); } .badge.limit_exceeded { background: var(--limit); } .badge.error { background: var(--err); }
.denied-count { color: var(--bad); font-weight: 600; }
#task-panel { position: fixed; top: 0; right: 0; bottom: 0; width: min(960px, 72vw); overflow: auto; contain: strict;
  background: var(--bg); border-left: 3px solid var(--hunk); box-shadow: -8px 0 24px rgb(0 0 0 / 18%); padding: 12px 20px 40px; }
#task-panel[hidden] { display: none; } .panel-head { display: flex; justify-content: space-between; align-items: center; }
.panel-head h2 { margin: 0; } .close { font: 22px/1 system-ui, sans-serif; background: none; border: 0; color: var(--muted); cursor: pointer; padding: 0 6px; }
table.tasks { table-layout: fixed; } table.tasks td { overflow-wrap: anywhere; } table.tasks td.num { white-space: nowrap; }
table.tasks th:nth-child(1) { width: 27%; } table.tasks th:nth-child(2) { width: 11%; } table.tasks th:nth-child(3) { width: 13%; }
table.tasks th:nth-child(4) { width: 6%; } table.tasks th:nth-child(5) { width: 13%; } table.tasks th:nth-child(6) { width: 9%; }
table.tasks th:nth-child(7) { width: 8%; } table.tasks th:nth-child(8) { width: 6%; } table.tasks th:nth-child(9) { width: 7%; }
.part { margin-top: 6px; } .task-head { margin: 10px 0; }
.check { margin-bottom: 8px; } .check.failed > p strong { color: var(--bad); } .check p { margin: 4px 0; }
.denials li { margin-bottom: 4px; } .denials { color: var(--bad); }
details > summary { cursor: pointer; }
.diff-file { margin-bottom: 4px; } .diff-file > summary { padding: 3px 0; }
pre.diff { padding: 0; } .diff .line { display: block; padding: 0 10px; } .diff .add { background: var(--add-bg); }
.diff .del { background: var(--del-bg); } .diff .hunk { color: var(--hunk); } .diff .head { color: var(--muted); font-weight: 600; } .diff .cut { color: var(--muted); font-style: italic; }
span.add { color: var(--ok); } span.del { color: var(--bad); }
.timeline { list-style: none; padding: 0; margin: 0; }
.step { border-left: 3px solid var(--line); padding: 4px 0 4px 10px; margin-bottom: 6px; }
.step.model { border-color: var(--hunk); } .step.tool { border-color: var(--ok); } .step.check.failed, .step.note.warn { border-color: var(--limit); }
.step.denied { border-color: var(--bad); background: color-mix(in srgb, var(--bad) 8%, transparent); }
.step.gap { color: var(--muted); font-style: italic; } .who { color: var(--muted); font-size: 12px; margin-right: 4px; }
.step .args { color: var(--fg); } .call-body { margin: 6px 0 0 14px; } .call-body .label { margin: 4px 0 2px; color: var(--muted); font-size: 12px; }
.decision { font-size: 12px; padding: 0 6px; border-radius: 10px; border: 1px solid var(--ok); color: var(--ok); margin-left: 4px; white-space: nowrap; }
.decision.deny { border-color: var(--bad); color: #fff; background: var(--bad); }
.decision-line.deny { color: var(--bad); } .result-status { font-size: 12px; color: var(--muted); } .result-status.error, .result-status.denied { color: var(--bad); }
.result { margin-top: 6px; } table.requests { width: auto; } table.requests td, table.requests th { padding: 2px 10px; }
`;
