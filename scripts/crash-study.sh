#!/usr/bin/env bash
# Produces the data of docs/studies/crashes.md: hard, soft, soft-adaptive and guarded on the five
# real crashes in ../shared/data/prices, 10,000 accounts, with and without cascade feedback;
# the issue-12 bar (guarded against hard, seeds 1, 2 and 3), a jump-diffusion stress run, and the
# options section: 1,000 option books on the two one-day crashes and a stress run with vol of vol.
#   bash scripts/crash-study.sh        (from the repository root; ../shared beside it)
# Time on a 2-core machine: the release build first (its progress is shown; a first build takes
# several minutes, later ones seconds), then 34 simulation runs, about 6 minutes,
# each announced with the time elapsed.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
step=0
steps=34  # per crash: seed 1 with and without feedback, seeds 2 and 3 likewise (6 × 5), + stress, + 3 options runs
# Prints one progress line: step number, what runs, time since the script started.
announce() {
    step=$((step + 1))
    printf '[%2d/%d] %-52s %3d:%02d elapsed\n' "$step" "$steps" "$1" $(((SECONDS - start) / 60)) $(((SECONDS - start) % 60)) >&2
}
echo "building leeway (release); a first build takes several minutes on 2 cores, later ones seconds:" >&2
swift build -c release --product leeway >&2
echo "built in $((SECONDS - start)) s; now 34 runs (about 6 minutes on 2 cores)" >&2
out=docs/studies/crashes
mkdir -p "$out"
declare -A files=(
  [eth-2024-08-05]=ethusdt-1m-2024-08-05.json.gz
  [btc-2024-08-05]=btcusdt-1m-2024-08-05.json.gz
  [luna-2022-05]=lunausdt-1m-2022-05-01_13.json.gz
  [avax-2025-02]=avaxusdt-perp-1m-2025-02.json.gz
  [near-2025-04]=nearusdt-perp-1m-2025-04.json.gz
)
names=(eth-2024-08-05 btc-2024-08-05 luna-2022-05 avax-2025-02 near-2025-04)
for name in "${names[@]}"; do
  prices="../shared/data/prices/${files[$name]}"
  # Seed 1: every preset, with charts. Default population: every account opens at the first point.
  common=(--prices "$prices" --accounts 10000 --seed 1 --policy hard --policy soft --policy soft-adaptive --policy guarded --threads 2)
  announce "$name: four presets, seed 1, with charts"
  .build/release/leeway backtest "${common[@]}" --json --charts "$out/$name" > "$out/$name.json"
  announce "$name: four presets, seed 1, no feedback"
  .build/release/leeway backtest "${common[@]}" --json --no-feedback > "$out/$name-no-feedback.json"
  # The bar: guarded against hard on the same population and path, seeds 2 and 3 as well.
  for seed in 2 3; do
    bar=(--prices "$prices" --accounts 10000 --seed "$seed" --policy hard --policy guarded --threads 2 --json)
    announce "$name: hard vs guarded, seed $seed"
    .build/release/leeway backtest "${bar[@]}" > "$out/$name-seed$seed.json"
    announce "$name: hard vs guarded, seed $seed, no feedback"
    .build/release/leeway backtest "${bar[@]}" --no-feedback > "$out/$name-seed$seed-no-feedback.json"
  done
done
announce "stress: jump diffusion, 200 paths"
.build/release/leeway stress --model jump --paths 200 --horizon 1d --accounts 2000 --seed 1 --threads 2 \
  --policy hard --policy guarded --json > "$out/stress-jump.json"
# Options: every account an option book (the four strategies, portfolio margin, vol 60 % at the
# opening price rising as the price falls, β = 1), hard, soft and guarded.
for name in eth-2024-08-05 btc-2024-08-05; do
  announce "$name: 1,000 option books, hard / soft / guarded"
  .build/release/leeway backtest --prices "../shared/data/prices/${files[$name]}" --accounts 1000 --seed 1 --option-share 1 \
    --policy hard --policy soft --policy guarded --threads 2 --json > "$out/$name-options.json"
done
announce "stress: jump diffusion, half option books, vol of vol 2"
.build/release/leeway stress --model jump --paths 50 --horizon 6h --accounts 400 --seed 1 --option-share 0.5 --vol-of-vol 2 \
  --policy hard --policy guarded --threads 2 --json > "$out/stress-options.json"
python3 scripts/crash-study-tables.py "$out"
echo "wrote $out/tables.md, $out/bar.md and $out/options.md in $(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s"
