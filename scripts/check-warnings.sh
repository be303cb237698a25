#!/usr/bin/env bash
# Builds the package and its tests and fails if the compiler warns about the project's own code
# (Sources/ or Tests/); warnings from dependencies under .build/checkouts are listed but allowed.
#   bash scripts/check-warnings.sh        (from the repository root; CI runs it)
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift build --build-tests 2>&1 | tee "$log"
root=$(pwd)
own=$(grep -E "^($root/)?(Sources|Tests)/[^:]+:[0-9]+:[0-9]+: warning:" "$log" | sort -u || true)
if [ -n "$own" ]; then
    echo "the project's own code has compiler warnings (fix them):" >&2
    echo "$own" >&2
    exit 1
fi
echo "no compiler warnings in Sources/ or Tests/"
