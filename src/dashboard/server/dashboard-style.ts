/** The dashboard's stylesheet, served as static/dashboard.css and embedded in reports. */
export const dashboardCss = `
:root { --ink: #1f2430; --muted: #6b7280; --line: #e5e7eb; --panel: #ffffff; --back: #f5f6f8; --accent: #3c4d8a; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--back); }
nav { display: flex; align-items: center; gap: 2px; padding: 0 12px; background: #1f2430; height: 38px; }
nav .brand { color: #fde724; font-weight: 700; margin-right: 14px; letter-spacing: .5px; }
nav a { color: #cfd3dc; text-decoration: none; padding: 9px 10px; border-bottom: 2px solid transparent; }
nav a:hover { color: #fff; }
nav a.current { color: #fff; border-bottom-color: #fde724; }
nav .live { margin-left: auto; color: #9ca3af; font-size: 12px; }
nav .live.connected::before { content: "●"; color: #45bf6f; margin-right: 5px; }
nav .live.disconnected::before { content: "●"; color: #d62728; margin-right: 5px; }
main { padding: 12px; display: grid; gap: 12px; }
main.two-columns { grid-template-columns: minmax(320px, 1fr) minmax(420px, 2fr); align-items: start; }
section.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; }
section.panel h2 { font-size: 13px; margin: 0 0 8px; font-weight: 600; display: flex; gap: 10px; align-items: baseline; }
section.panel h2 small { color: var(--muted); font-weight: 400; }
.summary { display: flex; flex-wrap: wrap; gap: 6px 18px; color: var(--muted); }
.summary b { color: var(--ink); font-variant-numeric: tabular-nums; }
canvas { display: block; width: 100%; }
.chart { position: relative; }
.tooltip { position: absolute; pointer-events: none; background: rgba(31,36,48,.92); color: #fff; padding: 4px 7px; border-radius: 4px; font-size: 12px; white-space: pre; z-index: 2; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; margin-top: 6px; color: var(--muted); font-size: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
.hint { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: right; padding: 4px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { color: var(--muted); font-weight: 600; position: sticky; top: 0; background: var(--panel); }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
tfoot td { font-weight: 600; border-top: 2px solid var(--line); }
.bar { position: relative; height: 12px; min-width: 90px; background: #eef0f3; border-radius: 2px; overflow: hidden; }
.bar span { position: absolute; left: 0; top: 0; bottom: 0; }
.tabs { display: flex; gap: 4px; }
.tabs button, .controls button, .controls select { font: inherit; border: 1px solid var(--line); background: #fff; border-radius: 4px; padding: 2px 8px; cursor: pointer; }
.tabs button.current { background: var(--accent); color: #fff; border-color: var(--accent); }
.controls { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; color: var(--muted); }
.controls input[type=range] { width: 220px; }
.empty { color: var(--muted); padding: 18px 4px; }
pre.source { background: #f8f8fa; border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 480px; font-size: 12px; }
.report-header h1 { margin: 0; font-size: 20px; }
.report-header { padding: 14px 12px 0; }
.report-nav { display: flex; gap: 12px; flex-wrap: wrap; padding: 6px 12px; }
.report-nav a { color: var(--accent); }
`;
