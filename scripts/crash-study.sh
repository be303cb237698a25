#!/usr/bin/env bash
# Produces the data and charts of docs/studies/crashes.md: hard vs soft (fixed grace) vs soft
# (volatility-scaled grace) on four real crashes, 10,000 accounts each, seed 1.
#   bash scripts/crash-study.sh        (from the repository root; ../shared beside it)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product leeway >/dev/null
out=docs/studies/crashes
mkdir -p "$out"
# Accounts open during the part of each file before its crash (a fraction of the path), so the
# crash meets a book of positions rather than one opened in the first minute.
declare -A windows=([eth-2024-08-05]=0 [btc-2024-08-05]=0 [luna-2022-05]=0.6 [avax-2025-02]=0.06)
declare -A files=(
  [eth-2024-08-05]=ethusdt-1m-2024-08-05.json.gz
  [btc-2024-08-05]=btcusdt-1m-2024-08-05.json.gz
  [luna-2022-05]=lunausdt-1m-2022-05-01_13.json.gz
  [avax-2025-02]=avaxusdt-perp-1m-2025-02.json.gz
)
for name in eth-2024-08-05 btc-2024-08-05 luna-2022-05 avax-2025-02; do
  prices="../shared/data/prices/${files[$name]}"
  common=(--prices "$prices" --accounts 10000 --seed 1 --policy hard --policy soft --policy soft-adaptive --threads 2
          --entry-window "${windows[$name]}")
  .build/release/leeway backtest "${common[@]}" --json --charts "$out/$name" > "$out/$name.json"
  .build/release/leeway backtest "${common[@]}" --json --no-feedback > "$out/$name-no-feedback.json"
  echo "done: $name"
done
python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
keys = ["accounts_warned", "accounts_called", "accounts_cured", "accounts_deleveraged", "accounts_liquidated",
        "accounts_bankrupt", "liquidated_notional", "trader_liquidation_loss", "liquidation_fees", "liquidation_slippage",
        "forced_close_loss", "insurance_fund_pnl", "insurance_fund_min", "bad_debt", "adl_notional",
        "peak_liquidation_per_minute", "cascade_extra_drawdown", "trader_actions"]
def fmt(v):
    if isinstance(v, str):
        v = float(v)
    if isinstance(v, int):
        return f"{v:,}"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.4g}"
lines = []
for name in ["eth-2024-08-05", "btc-2024-08-05", "luna-2022-05", "avax-2025-02"]:
    for suffix, label in [("", "with cascade feedback"), ("-no-feedback", "no feedback")]:
        data = json.load(open(os.path.join(out, f"{name}{suffix}.json")))
        names = [p["name"] for p in data["policies"]]
        lines.append(f"### {name}, {label}\n")
        lines.append("| metric | " + " | ".join(names) + " |")
        lines.append("|---|" + "---:|" * len(names))
        for key in keys:
            lines.append(f"| {key} | " + " | ".join(fmt(p["metrics"][key]) for p in data["policies"]) + " |")
        lines.append("")
open(os.path.join(out, "tables.md"), "w").write("\n".join(lines))
PY
echo "wrote $out/tables.md"
