/** The page's own style sheet (uPlot's comes from its package). */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --card: #f6f8fa;
  --missing: #9a6700; --missing-bg: #fff8c5; --warning: #bc4c00; --warning-bg: #fff1e5; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 20px; margin: 8px 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 16px 0 6px; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 13px; }
.command { margin: 0 0 12px; padding: 8px 10px; background: var(--card); border: 1px solid var(--line); border-radius: 6px;
  overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 6px 24px; margin: 0; }
dl.facts div { display: flex; gap: 8px; min-width: 0; }
dl.facts dt { color: var(--muted); flex: 0 0 auto; }
dl.facts dt::after { content: ":"; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; font-weight: 500; }
ul.notes { list-style: none; padding: 0; margin: 12px 0 0; }
ul.notes li { padding: 6px 10px; margin: 4px 0; border-radius: 6px; }
ul.notes li.missing { background: var(--missing-bg); color: var(--missing); }
ul.notes li.warning { background: var(--warning-bg); color: var(--warning); }
ul.notes li::before { font-weight: 600; margin-right: 6px; }
ul.notes li.missing::before { content: "missing"; }
ul.notes li.warning::before { content: "warning"; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 12px 24px; }
figure.chart { margin: 0; min-width: 0; }
figure.chart figcaption { font-weight: 600; margin: 8px 0 2px; }
figure.chart figcaption small { font-weight: 400; color: var(--muted); }
figure.wide { grid-column: 1 / -1; }
.chart-error { color: var(--warning); }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--card); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.wrap { overflow-wrap: anywhere; }
table.compact { width: auto; min-width: 320px; }
th button { font: inherit; font-weight: 600; border: 0; background: none; padding: 0; cursor: pointer; color: inherit; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.table-wrap { overflow-x: auto; }
.small { color: var(--muted); font-size: 12px; }
details { margin: 6px 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
.syscall-grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(280px, 2fr); gap: 12px 24px; align-items: start; }
.muted { color: var(--muted); }
button.show-all { margin: 6px 0; padding: 3px 10px; font: inherit; font-size: 13px; color: var(--fg); background: var(--card);
  border: 1px solid var(--line); border-radius: 6px; cursor: pointer; }
/* Legends name the series; the values (and the elapsed time) appear while the cursor is over the chart. */
.uplot.idle .u-legend .u-series:first-child { display: none; }
.uplot.idle .u-legend .u-value { display: none; }
.uplot.idle .u-inline.u-live th::after { content: ""; }
figure.barchart { margin: 0; }
figure.barchart figcaption { font-weight: 600; margin: 8px 0 6px; }
figure.barchart figcaption small { font-weight: 400; color: var(--muted); }
ol.bars { list-style: none; margin: 0; padding: 0; }
ol.bars li { display: grid; grid-template-columns: minmax(90px, max-content) 1fr 8em 5em; gap: 8px; align-items: center; line-height: 20px; }
.bar-name { text-align: right; overflow-wrap: anywhere; }
.bar-track { height: 14px; }
.bar-track i, .hbar i { display: block; height: 100%; background: #4e79a7; border-radius: 0 2px 2px 0; }
.bar-track i.nz, .hbar i.nz { min-width: 2px; }
.bar-value, .bar-share { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bar-share { color: var(--muted); }
.histograms { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 16px 28px; margin: 8px 0; }
figure.histogram { margin: 0; min-width: 0; }
figure.histogram figcaption { margin: 4px 0 6px; font-weight: 600; }
figure.histogram figcaption small { display: block; font-weight: 400; color: var(--muted); }
.hrow { display: grid; grid-template-columns: 9.5em 1fr 5.5em; gap: 6px; align-items: center; font-size: 12px; line-height: 16px; }
.hlabel { text-align: right; white-space: nowrap; color: var(--muted); font-variant-numeric: tabular-nums; }
.hbar { height: 12px; }
.hrow.gap .hbar { border-top: 1px dashed var(--line); height: 0; }
.hrow.gap .hlabel { font-style: italic; }
.hbar i { background: #e15759; }
.hcount { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable td.wrap { max-width: 420px; }
@media (max-width: 900px) { .syscall-grid { grid-template-columns: 1fr; } .charts { grid-template-columns: 1fr; } }
`;
