/// The dashboard's stylesheet (`GET /dashboard.css`).
enum DashboardStyle {
    static let css = #"""
:root { --bg: #0f1419; --panel: #171e26; --line: #2a3440; --text: #d8dee6; --dim: #8a96a3; --accent: #4aa3ff;
  --healthy: #3fb950; --warning: #d29922; --margin_call: #f0883e; --deleveraging: #f85149; --liquidated: #a371f7; --bankrupt: #ff7bba;
  --long: #f85149; --short: #39c5cf; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 13px/1.4 "DejaVu Sans", system-ui, sans-serif; }
header { display: flex; gap: 14px; align-items: center; padding: 10px 18px; border-bottom: 1px solid var(--line); background: var(--panel); position: sticky; top: 0; z-index: 2; }
header h1 { font-size: 17px; margin: 0 12px 0 0; }
main { padding: 14px 18px; display: flex; flex-direction: column; gap: 14px; }
h2 { font-size: 14px; margin: 0 0 8px; }
h3 { font-size: 13px; margin: 12px 0 6px; }
.subtle { color: var(--dim); font-weight: normal; }
.pill { padding: 2px 8px; border-radius: 10px; border: 1px solid var(--line); font-size: 12px; }
.pill.on { border-color: var(--healthy); color: var(--healthy); }
.pill.off { border-color: var(--deleveraging); color: var(--deleveraging); }
.pill:empty { display: none; }
button, input, select { background: #0b1016; color: var(--text); border: 1px solid var(--line); border-radius: 4px; padding: 4px 8px; font: inherit; }
button { cursor: pointer; }
button:hover { border-color: var(--accent); }
header #open-form { margin-left: auto; }
.cards { display: grid; grid-template-columns: 1fr 1fr 2fr 1fr; gap: 14px; }
.card, .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px; min-width: 0; }
.card .label { color: var(--dim); text-transform: uppercase; font-size: 11px; letter-spacing: .05em; }
.card .value { font-size: 24px; font-variant-numeric: tabular-nums; }
.chips { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 6px; }
.chip { padding: 3px 8px; border-radius: 4px; background: #0b1016; border-left: 4px solid var(--dim); font-variant-numeric: tabular-nums; }
.grid.two { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 6px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { color: var(--dim); font-weight: normal; font-size: 12px; }
.num { text-align: right; }
.scroll { height: 420px; overflow-y: auto; }
.scroll thead th { position: sticky; top: 0; background: var(--panel); }
#at-risk tbody tr { cursor: pointer; }
#at-risk tbody tr:hover, #feed li:hover { background: #1f2833; }
.phase { padding: 1px 6px; border-radius: 3px; font-size: 12px; background: #0b1016; border-left: 3px solid var(--dim); }
.phase.healthy, .chip.healthy { border-left-color: var(--healthy); }
.phase.warning, .chip.warning { border-left-color: var(--warning); }
.phase.margin_call, .chip.margin_call { border-left-color: var(--margin_call); }
.phase.deleveraging, .chip.deleveraging { border-left-color: var(--deleveraging); }
.phase.liquidated, .chip.liquidated { border-left-color: var(--liquidated); }
.phase.bankrupt, .chip.bankrupt { border-left-color: var(--bankrupt); }
.countdown.urgent { color: var(--deleveraging); font-weight: bold; }
.filters { display: flex; gap: 8px; margin-bottom: 6px; align-items: center; }
#feed { list-style: none; margin: 0; padding: 0; height: 420px; overflow-y: auto; font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
#feed li { padding: 2px 4px; border-bottom: 1px solid #1f2833; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; cursor: pointer; }
#feed .seq { color: var(--dim); display: inline-block; min-width: 7ch; }
#feed .type { display: inline-block; min-width: 20ch; }
#feed .type.margin_call { color: var(--margin_call); } #feed .type.warning { color: var(--warning); }
#feed .type.cured, #feed .type.warning_cleared { color: var(--healthy); } #feed .type.liquidation_fill, #feed .type.deleveraging_started { color: var(--deleveraging); }
#feed .type.liquidated { color: var(--liquidated); } #feed .type.bankrupt, #feed .type.adl_fill { color: var(--bankrupt); }
#feed .type.alert, #feed .type.rejected { color: #ff4d4d; } #feed .type.auto_topup { color: var(--accent); }
.chart { width: 100%; height: 220px; display: block; }
.chart text { fill: var(--dim); font-size: 11px; }
.chart .axis { stroke: var(--line); }
.legend { display: flex; gap: 12px; flex-wrap: wrap; font-size: 12px; }
.legend span::before { content: ""; display: inline-block; width: 10px; height: 3px; margin-right: 4px; vertical-align: middle; background: currentColor; }
.kv td:first-child { color: var(--dim); }
.hypothetical { border: 2px dashed var(--warning); border-radius: 6px; padding: 8px; margin-top: 10px; }
.banner { color: var(--warning); font-weight: bold; margin: 0 0 6px; }
.error { color: #ff6b6b; }
dialog { background: var(--panel); color: var(--text); border: 1px solid var(--line); border-radius: 6px; }
dialog::backdrop { background: rgba(0,0,0,.6); }
.buttons { display: flex; gap: 8px; }
form label { margin-right: 10px; }
.market { display: grid; grid-template-columns: 1.3fr 1.3fr 0.8fr; gap: 14px; }
.market .policy td { white-space: normal; word-break: break-word; }
.market .panel { min-width: 0; }
code { color: var(--dim); }
@media (max-width: 1100px) { .cards, .grid.two, .market { grid-template-columns: 1fr; } }
"""#
}
