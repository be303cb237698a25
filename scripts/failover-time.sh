#!/usr/bin/env bash
# Measures a takeover: a leader and a standby on the PostgreSQL journal URL, a journal of RECORDS
# commands (scripts/load.py, batches of 1,000), the standby following it (caught up to the leader's
# Leeway-Applied-Seq), then kill -9 of the leader; prints the time until the standby's /healthz
# answers ok as the leader (lock release, epoch, catching up what it had not applied), ROUNDS times.
#   bash scripts/failover-time.sh URL [ROUNDS] [RECORDS]      (URL: an empty database; BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:?usage: $0 POSTGRES_URL [ROUNDS] [RECORDS]}
rounds=${2:-3}
records=${3:-100000}
bin=.build/release/leeway
config=$(mktemp)
echo '{"ticker_ms": 250}' > "$config"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -f "$config"' EXIT
port=18500
$bin serve --postgres "$url" --standby --port $port --config "$config" 2>/dev/null &
leader=$!
until curl -sf "http://127.0.0.1:$port/healthz" | grep -q '"role":"leader"'; do sleep 0.05; done
python3 scripts/load.py --port $port --setup --accounts 10000 --rate 20 --duration $((records / 20000)) --batch 1000 --connections 8 >/dev/null
# The Leeway-Applied-Seq header of the server on port $1 (empty while it does not answer).
applied() { curl -sfD - -o /dev/null "http://127.0.0.1:$1/healthz" 2>/dev/null | tr -d '\r' | sed -n 's/^leeway-applied-seq: //Ip'; }
for round in $(seq "$rounds"); do
    next=$((port + round))
    $bin serve --postgres "$url" --standby --port $next --config "$config" 2>/dev/null &
    standby=$!
    # The standby has recovered and follows: it stands at the leader's applied seq.
    until [ -n "$(applied $next)" ] && [ "$(applied $next)" = "$(applied $port)" ]; do sleep 0.05; done
    start=$(date +%s%N)
    kill -9 $leader
    until curl -sf "http://127.0.0.1:$next/healthz" | grep -q '"role":"leader"'; do sleep 0.01; done
    echo "round $round: the standby led and answered /healthz $(( ($(date +%s%N) - start) / 1000000 )) ms after kill -9"
    leader=$standby
    port=$next
done
