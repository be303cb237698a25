"""Tables of docs/studies/crashes.md from the JSON that scripts/crash-study.sh wrote.

tables.md: every metric of every preset per file (seed 1). bar.md: issue 12's bar, guarded
against hard per file, seed and feedback setting, and the summed reduction with feedback.
options.md: the option books on the one-day crashes and the stress run with vol of vol.
"""
import json
import os
import sys

out = sys.argv[1]
names = ["eth-2024-08-05", "btc-2024-08-05", "luna-2022-05", "avax-2025-02", "near-2025-04"]
keys = ["accounts_warned", "accounts_called", "accounts_cured", "accounts_deleveraged", "accounts_liquidated",
        "accounts_partially_liquidated", "accounts_bankrupt", "deficit_total", "liquidated_notional", "liquidation_costs",
        "liquidation_fees", "liquidation_slippage", "trader_liquidation_loss", "insurance_fund_pnl", "insurance_fund_min",
        "bad_debt", "adl_notional", "peak_liquidation_per_minute", "cascade_extra_drawdown", "trader_actions", "auto_topups"]


def number(v):
    return float(v) if isinstance(v, str) else v


def fmt(v):
    v = number(v)
    if isinstance(v, int):
        return f"{v:,}"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.4g}"


def policies(path):
    return {p["name"]: p["metrics"] for p in json.load(open(path))["policies"]}


def metric_table(title, data, metric_keys):
    """A markdown table of `metric_keys` (rows) for each policy of one run's JSON (columns)."""
    header = [p["name"] for p in data["policies"]]
    rows = [f"### {title}\n", "| metric | " + " | ".join(header) + " |", "|---|" + "---:|" * len(header)]
    for key in metric_keys:
        rows.append(f"| {key} | " + " | ".join(fmt(p["metrics"][key]) for p in data["policies"]) + " |")
    return rows


lines = []
for name in names:
    for suffix, label in [("", "with cascade feedback"), ("-no-feedback", "no feedback")]:
        data = json.load(open(os.path.join(out, f"{name}{suffix}.json")))
        lines += metric_table(f"{name}, {label} (seed 1)", data, keys)
        lines.append("")
open(os.path.join(out, "tables.md"), "w").write("\n".join(lines))

bar = ["| file | feedback | seed | liquidated hard → guarded | partial (guarded) | deficit hard → guarded | ADL hard → guarded | bankrupt hard → guarded | costs hard → guarded | bar met |",
       "|---|---|---:|---:|---:|---:|---:|---:|---:|:---:|"]
summed = {True: [0, 0], False: [0, 0]}
failures = []
for name in names:
    for feedback in [True, False]:
        for seed in [1, 2, 3]:
            suffix = ("" if seed == 1 else f"-seed{seed}") + ("" if feedback else "-no-feedback")
            runs = policies(os.path.join(out, f"{name}{suffix}.json"))
            h, g = runs["hard"], runs["guarded"]
            met = (g["accounts_liquidated"] < h["accounts_liquidated"]
                   and number(g["deficit_total"]) <= number(h["deficit_total"])
                   and number(g["adl_notional"]) <= number(h["adl_notional"]))
            if not met:
                failures.append(f"{name} {'feedback' if feedback else 'no feedback'} seed {seed}")
            summed[feedback][0] += h["accounts_liquidated"]
            summed[feedback][1] += g["accounts_liquidated"]
            bar.append(f"| {name} | {'on' if feedback else 'off'} | {seed} | {h['accounts_liquidated']:,} → {g['accounts_liquidated']:,} | "
                       f"{g['accounts_partially_liquidated']:,} | {fmt(h['deficit_total'])} → {fmt(g['deficit_total'])} | "
                       f"{fmt(h['adl_notional'])} → {fmt(g['adl_notional'])} | {h['accounts_bankrupt']:,} → {g['accounts_bankrupt']:,} | "
                       f"{fmt(h['liquidation_costs'])} → {fmt(g['liquidation_costs'])} | {'yes' if met else '**no**'} |")
bar.append("")
for feedback in [True, False]:
    h, g = summed[feedback]
    bar.append(f"Summed over the five files and three seeds, {'with' if feedback else 'without'} feedback: "
               f"{h:,} accounts fully liquidated under hard, {g:,} under guarded ({100 * (h - g) / max(h, 1):.1f} % fewer).")
bar.append("")
bar.append("Cases where the bar is not met: " + (", ".join(failures) if failures else "none") + ".")
stress = json.load(open(os.path.join(out, "stress-jump.json")))
bar.append("")
bar.append("| stress (jump, 200 paths, 2,000 accounts) | deficit VaR95 | deficit ES95 | deficit VaR99 | deficit ES99 | fund-loss VaR99 |")
bar.append("|---|---:|---:|---:|---:|---:|")
for p in stress["policies"]:
    bar.append(f"| {p['name']} | {fmt(p['deficit_var_95'])} | {fmt(p['deficit_es_95'])} | {fmt(p['deficit_var_99'])} | {fmt(p['deficit_es_99'])} | {fmt(p['insurance_fund_var_99'])} |")
open(os.path.join(out, "bar.md"), "w").write("\n".join(bar) + "\n")


# Options: 1,000 option books per one-day crash, and stress with half books and vol of vol.
option_keys = ["accounts_opened", "accounts_warned", "accounts_called", "accounts_cured", "accounts_deleveraged",
               "accounts_liquidated", "accounts_partially_liquidated", "accounts_bankrupt", "deficit_total",
               "liquidated_notional", "liquidation_fees", "insurance_fund_pnl", "trader_actions"]
options = []
for name in ["eth-2024-08-05", "btc-2024-08-05"]:
    data = json.load(open(os.path.join(out, f"{name}-options.json")))
    options += metric_table(f"{name}: 1,000 option books (seed 1)", data, option_keys)
    options.append("| ledger conserved | " + " | ".join("yes" if p["ledger_conserved"] else "**no**" for p in data["policies"]) + " |")
    options.append("")
stress = json.load(open(os.path.join(out, "stress-options.json")))
options.append(f"### stress: {stress['model']}, {stress['paths']} paths × {stress['horizon']}, {stress['accounts']} accounts (half option books), vol of vol 2\n")
options.append("| metric (mean / p95 / max over paths) | " + " | ".join(p["name"] for p in stress["policies"]) + " |")
options.append("|---|" + "---:|" * len(stress["policies"]))
for key in ["accounts_liquidated", "accounts_partially_liquidated", "accounts_bankrupt", "deficit_total", "liquidated_notional"]:
    cells = []
    for p in stress["policies"]:
        d = p["metrics"][key]
        cells.append(f"{fmt(d['mean'])} / {fmt(d['p95'])} / {fmt(d['max'])}")
    options.append(f"| {key} | " + " | ".join(cells) + " |")
options.append("")
open(os.path.join(out, "options.md"), "w").write("\n".join(options))
