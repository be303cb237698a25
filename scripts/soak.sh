#!/usr/bin/env bash
# Soak test of `leeway serve` on loopback: mixed load (scripts/load.py, every command with an id),
# a SIGKILL every KILL_EVERY seconds (at a random moment in the second half of each round), then:
# `leeway verify` on the journal, every acknowledged id present in `leeway export`, a restart
# (timed), and the server's resident memory at the end of each round. Fails on any lost
# acknowledged command, a failed verify, or memory growing more than 2x from the second round to
# the last (the first is warm-up).
#
#   bash scripts/soak.sh [SECONDS=1800] [KILL_EVERY=60] [RATE=20] [BATCH=50]
#
# Uses $LEEWAY, else .build/release/leeway, else .build/debug/leeway. CI runs a 2-minute version.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TOTAL=${1:-1800}
KILL_EVERY=${2:-60}
RATE=${3:-20}
BATCH=${4:-50}
LEEWAY=${LEEWAY:-}
if [ -z "$LEEWAY" ]; then
    if [ -x .build/release/leeway ]; then LEEWAY=.build/release/leeway; else LEEWAY=.build/debug/leeway; fi
fi
WORK=$(mktemp -d)
DATA=$WORK/data
ACKS=$WORK/acknowledged
PORT=$((20000 + RANDOM % 20000))
SERVER=
cleanup() {
    if [ -n "$SERVER" ]; then kill -9 "$SERVER" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
echo '{"snapshot_every": 5000, "ticker_ms": 250}' > "$WORK/config.json"
: > "$ACKS"

start_server() {
    local started=$(date +%s%N)
    "$LEEWAY" serve --data "$DATA" --port "$PORT" --config "$WORK/config.json" >> "$WORK/server.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 600); do
        if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
            echo "restart_ms=$(( ($(date +%s%N) - started) / 1000000 ))"
            return 0
        fi
        sleep 0.05
    done
    echo "the server did not become healthy"; tail -20 "$WORK/server.log"; exit 1
}

check_journal() {
    "$LEEWAY" verify --data "$DATA"
    "$LEEWAY" export --data "$DATA" | python3 -c '
import re, sys
journal = set(re.findall(r"\"id\":\"([^\"]+)\"", sys.stdin.read()))
acknowledged = [line.strip() for line in open(sys.argv[1]) if line.strip()]
lost = [i for i in acknowledged if i not in journal]
print(f"acknowledged {len(acknowledged)}, in the journal {len(journal)}, lost {len(lost)}")
sys.exit(1 if lost else 0)' "$ACKS"
}

start_server
ROUNDS=$(( (SECONDS_TOTAL + KILL_EVERY - 1) / KILL_EVERY ))
RSS=()
SETUP=--setup
for round in $(seq 1 "$ROUNDS"); do
    python3 scripts/load.py --port "$PORT" --rate "$RATE" --duration "$KILL_EVERY" --batch "$BATCH" --accounts 10000 \
        --connections 8 $SETUP --id-prefix "r$round" --ack-log "$ACKS" --ts-start $((round * 100000000)) --seed "$round" \
        > "$WORK/load-$round.json" &
    LOAD=$!
    SETUP=
    sleep $(( KILL_EVERY / 2 + RANDOM % (KILL_EVERY / 2) ))
    RSS+=("$(ps -o rss= -p "$SERVER" | tr -d ' ')")
    kill -9 "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
    wait "$LOAD" || true
    echo "round $round: killed with RSS ${RSS[-1]} kB; load $(tail -1 "$WORK/load-$round.json")"
    check_journal
    start_server
done
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
check_journal
echo "rss_kb=${RSS[*]}"
if [ "${#RSS[@]}" -ge 3 ] && [ "${RSS[-1]}" -gt $(( RSS[1] * 2 )) ]; then
    echo "resident memory grew from ${RSS[1]} kB (round 2) to ${RSS[-1]} kB"; exit 1
fi
echo "soak passed: $ROUNDS rounds, no acknowledged command lost, verify passed after every kill"
