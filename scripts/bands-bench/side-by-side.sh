#!/usr/bin/env bash
# Curve's Python LLAMMA simulator and `leeway bands bench` on the same workload, in one run.
#   bash scripts/bands-bench/side-by-side.sh CHECKOUT [SAMPLES_PY] [SAMPLES_SWIFT]
# CHECKOUT: a clone of github.com/curvefi/llamma-simulator (outside the project; none of it is kept).
set -euo pipefail
cd "$(dirname "$0")/../.."
checkout=${1:?usage: side-by-side.sh CHECKOUT [SAMPLES_PY] [SAMPLES_SWIFT]}
samples_py=${2:-2000}
samples_swift=${3:-200000}
swift build -c release --product leeway >/dev/null
python_out=$(python3 scripts/bands-bench/curve-simulator.py --checkout "$checkout" --samples "$samples_py")
echo "$python_out" | grep -v '^PYTHON_SECONDS_PER_SAMPLE='
python_seconds=$(echo "$python_out" | sed -n 's/^PYTHON_SECONDS_PER_SAMPLE=//p')
echo
.build/release/leeway bands bench --samples "$samples_swift" --python-seconds "$python_seconds"
