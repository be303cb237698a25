#!/usr/bin/env bash
# Fuzzes the running API from its own OpenAPI document with schemathesis (PyPI): no 5xx, no
# crash, responses as documented. Starts a throwaway `leeway serve` on a loopback port with an admin
# key, seeds it with the example scenario, runs schemathesis, and checks the server is still up.
#   bash scripts/fuzz-api.sh [max-examples-per-operation]   (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-100}"
command -v schemathesis >/dev/null || python3 -m pip install -q schemathesis
swift build --product leeway >/dev/null
bin="$(swift build --show-bin-path)/leeway"
work="$(mktemp -d)"
port=$((30000 + RANDOM % 20000))
key="fuzz-admin-key-0123456789"
echo "{\"keys\":[{\"key\":\"$key\",\"role\":\"admin\"}]}" > "$work/config.json"
"$bin" serve --data "$work/data" --port "$port" --config "$work/config.json" 2> "$work/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; cp "$work/serve.log" /tmp/fuzz-serve.log 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
grep -v '^#' examples/gap-to-bankruptcy.jsonl | curl -sf -H "Authorization: Bearer $key" --data-binary @- "http://127.0.0.1:$port/v1/commands" >/dev/null
# The WebSocket upgrade is not an HTTP operation schemathesis can call: excluded.
schemathesis run "http://127.0.0.1:$port/openapi.json" \
  --header "Authorization: Bearer $key" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --exclude-path /v1/stream \
  --max-examples "$examples" \
  --phases examples,coverage,fuzzing
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && echo "server still healthy after fuzzing"
