#!/usr/bin/env python3
"""Open-loop load generator for `leeway serve` (loopback only), for BENCHMARKS.md.

    python3 scripts/load.py --port 8080 --rate 100 --duration 20 --batch 1000 [--accounts 100000]
                            [--connections 64] [--key KEY] [--setup] [--max-requests N]

Requests are *due* at a fixed rate (--rate requests/s, each of --batch commands) whatever the
server does: a request waits for a free connection if all are busy, and its latency is measured
from its due time to its answer, so queueing (in the server or here) is counted, not hidden as a
closed-loop client would hide it. The run is bounded: it stops scheduling after --duration
seconds or --max-requests requests, and waits at most 30 s more for answers.

--setup first creates USDC, BTC-PERP with a mark, and a deposit for each of --accounts accounts
(in batches of 1,000, not timed). The load is a mix over those accounts: 70 % deposits, 20 % small
fills, 10 % marks (a random walk around 10,000, which also moves everyone's margin).

With --id-prefix every command has an id; --ack-log appends the ids of acknowledged commands
to a file (the soak script checks them against the journal after each SIGKILL).

Prints one JSON line: achieved commands/s (acknowledged with 200 only), latency percentiles
(ms), errors by status, and how far behind schedule the generator itself fell (if that is large,
the generator, not the server, was the bottleneck).
"""
import argparse, asyncio, json, random, time

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--rate", type=float, required=True, help="requests per second")
parser.add_argument("--duration", type=float, required=True, help="seconds of scheduled load")
parser.add_argument("--batch", type=int, default=1, help="commands per request")
parser.add_argument("--accounts", type=int, default=100_000)
parser.add_argument("--connections", type=int, default=64)
parser.add_argument("--key", default=None)
parser.add_argument("--setup", action="store_true")
parser.add_argument("--max-requests", type=int, default=1_000_000)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--id-prefix", default=None, help="give command j of request i the id PREFIX-i-j")
parser.add_argument("--ack-log", default=None, help="write the ids of acknowledged commands here, one a line")
parser.add_argument("--ts-start", type=int, default=0, help="offset of the first command's ts (ms after 1700000000000)")
args = parser.parse_args()
if not (args.host.startswith("127.") or args.host in ("localhost", "::1")):
    raise SystemExit("load.py sends traffic to loopback addresses only")

random.seed(args.seed)
auth = f"Authorization: Bearer {args.key}\r\n" if args.key else ""
TS0 = 1_700_000_000_000
clock = [args.ts_start]  # command ts, increasing


def request_bytes(lines):
    body = "\n".join(lines).encode()
    head = (f"POST /v1/commands HTTP/1.1\r\nHost: {args.host}\r\n{auth}Content-Type: application/x-ndjson\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    return head + body


mark = [10_000.0]


def command(id=None):
    clock[0] += 1
    ts = TS0 + clock[0]
    tail = f',"ts":{ts}' + (f',"id":"{id}"' if id else "") + "}"
    pick = random.random()
    account = f"a{random.randrange(args.accounts)}"
    if pick < 0.7:
        return f'{{"type":"deposit","account":"{account}","asset":"USDC","amount":"{random.randint(1, 50)}"' + tail
    if pick < 0.9:
        size = random.choice(["0.001", "-0.001", "0.002", "-0.002"])
        return f'{{"type":"fill","account":"{account}","market":"BTC-PERP","size":"{size}","price":"{mark[0]:.1f}"' + tail
    mark[0] = min(10_500.0, max(9_500.0, mark[0] + random.uniform(-5, 5)))
    return f'{{"type":"mark","market":"BTC-PERP","price":"{mark[0]:.1f}"' + tail


def command_id(index, j):
    return f"{args.id_prefix}-{index}-{j}" if args.id_prefix else None


async def exchange(reader, writer, payload):
    writer.write(payload)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def setup():
    reader, writer = await asyncio.open_connection(args.host, args.port)
    lines = ['{"type":"asset","asset":"USDC","price":"1","weight":"1","ts":%d}' % TS0,
             '{"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005","ts":%d}' % TS0,
             '{"type":"insurance_deposit","amount":"1000000","ts":%d}' % TS0,
             '{"type":"mark","market":"BTC-PERP","price":"10000","ts":%d}' % TS0]
    assert await exchange(reader, writer, request_bytes(lines)) == 200
    for start in range(0, args.accounts, 1_000):
        lines = ['{"type":"deposit","account":"a%d","asset":"USDC","amount":"1000","ts":%d}' % (n, TS0)
                 for n in range(start, min(args.accounts, start + 1_000))]
        status = await exchange(reader, writer, request_bytes(lines))
        assert status == 200, status
    writer.close()


async def main():
    if args.setup:
        started = time.perf_counter()
        await setup()
        print(json.dumps({"setup_accounts": args.accounts, "setup_seconds": round(time.perf_counter() - started, 2)}), flush=True)
    total = min(args.max_requests, int(args.rate * args.duration))
    # Payloads are built before the clock starts, so building them does not delay the schedule.
    payloads = [request_bytes([command(command_id(i, j)) for j in range(args.batch)]) for i in range(total)]
    pool = asyncio.Queue()
    for _ in range(args.connections):
        pool.put_nowait(None)  # connected on first use, and again after a failure
    latencies, statuses, behind, acknowledged = [], {}, [], []
    start = time.perf_counter() + 0.2

    async def one(index):
        due = start + index / args.rate
        connection = await pool.get()
        try:
            if connection is None:
                connection = await asyncio.open_connection(args.host, args.port)
            status = await exchange(*connection, payloads[index])
        except Exception:
            status, connection = "error", None  # the server is gone (a soak kills it): count, go on
        pool.put_nowait(connection)
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            latencies.append(time.perf_counter() - due)
            acknowledged.append(index)

    tasks = []
    for index in range(total):
        due = start + index / args.rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        behind.append(max(0.0, time.perf_counter() - due))
        tasks.append(asyncio.create_task(one(index)))
    scheduled_end = time.perf_counter()
    done, pending = await asyncio.wait(tasks, timeout=30)
    for task in pending:
        task.cancel()
    elapsed = time.perf_counter() - start
    latencies.sort()

    def percentile(p):
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1_000, 2) if latencies else None

    ok = statuses.get(200, 0)
    if args.ack_log:
        with open(args.ack_log, "a") as log:
            for index in acknowledged:
                log.writelines(f"{command_id(index, j)}\n" for j in range(args.batch))
    print(json.dumps({
        "rate_requests_per_s": args.rate, "batch": args.batch, "duration_s": args.duration, "requests": total,
        "acknowledged_commands_per_s": round(ok * args.batch / elapsed),
        "latency_ms": {"p50": percentile(0.5), "p90": percentile(0.9), "p99": percentile(0.99), "max": percentile(1.0)},
        "statuses": {str(k): v for k, v in statuses.items()}, "unanswered": len(pending),
        "generator_behind_ms_p99": round(sorted(behind)[int(0.99 * (len(behind) - 1))] * 1_000, 2) if behind else None,
        "scheduling_s": round(scheduled_end - start, 2),
    }))


asyncio.run(main())
