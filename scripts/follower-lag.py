#!/usr/bin/env python3
"""Follower lag under load, for BENCHMARKS.md: polls a leader and a follower (loopback only) and
reads the `Leeway-Applied-Seq` header of each answer. It asks for /openapi.json, which the server
answers without waiting for the engine's owner (a /healthz would queue behind a batch being
applied, and time the batch instead of the lag); the header is the seq applied when the request
arrived.

    python3 scripts/follower-lag.py --leader 18600 --follower 18601 --duration 12 [--interval-ms 5]

Run it beside a load on the leader (scripts/load.py). Prints one JSON line:
- records: the leader's applied seq minus the follower's, each follower sample against the leader
  sample just before it (p50/p99/max), i.e. how many committed records a read on the follower
  did not show yet;
- ms: for each seq the leader was seen at, the time until the follower was seen at or past it
  (p50/p99/max), i.e. how long after a commit a read on the follower shows it (within the
  sampling interval, about two requests).
"""
import argparse, http.client, json, time

parser = argparse.ArgumentParser()
parser.add_argument("--leader", type=int, required=True)
parser.add_argument("--follower", type=int, required=True)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--duration", type=float, required=True)
parser.add_argument("--interval-ms", type=float, default=5)
args = parser.parse_args()
if not (args.host.startswith("127.") or args.host in ("localhost", "::1")):
    raise SystemExit("follower-lag.py polls loopback addresses only")


def applied_seq(connection):
    connection.request("GET", "/openapi.json")
    response = connection.getresponse()
    response.read()
    return int(response.getheader("Leeway-Applied-Seq"))


leader = http.client.HTTPConnection(args.host, args.leader, timeout=5)
follower = http.client.HTTPConnection(args.host, args.follower, timeout=5)
record_lags, leader_seen, follower_seen = [], [], []
end = time.monotonic() + args.duration
while time.monotonic() < end:
    at_leader = applied_seq(leader)
    leader_seen.append((time.monotonic(), at_leader))
    at_follower = applied_seq(follower)
    follower_seen.append((time.monotonic(), at_follower))
    record_lags.append(max(at_leader - at_follower, 0))
    time.sleep(args.interval_ms / 1000)

# Time lag: first time the leader showed each new seq, to the first time the follower showed it.
time_lags, j = [], 0
first_seen = []
for t, seq in leader_seen:
    if not first_seen or seq > first_seen[-1][1]:
        first_seen.append((t, seq))
for t, seq in first_seen:
    while j < len(follower_seen) and follower_seen[j][1] < seq:
        j += 1
    if j == len(follower_seen):
        break
    time_lags.append(max(follower_seen[j][0] - t, 0) * 1000)


def percentiles(values):
    if not values:
        return None
    values = sorted(values)
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
    return {"p50": round(pick(0.5), 1), "p99": round(pick(0.99), 1), "max": round(values[-1], 1)}


print(json.dumps({"samples": len(record_lags), "leader_seq": leader_seen[-1][1], "follower_seq": follower_seen[-1][1],
                  "records": percentiles(record_lags), "ms": percentiles(time_lags), "seqs_timed": len(time_lags)}))
