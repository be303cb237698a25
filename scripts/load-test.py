"""Command throughput through `leeway serve` (group commit), for BENCHMARKS.md.

    python3 scripts/load-test.py PORT CLIENTS COMMANDS_PER_REQUEST TOTAL_COMMANDS

Each client thread posts requests of COMMANDS_PER_REQUEST deposit commands (distinct accounts,
fixed increasing ts) over one keep-alive connection; prints commands/s and requests/s.
"""
import http.client, sys, threading, time

port, clients, per_request, total = (int(a) for a in sys.argv[1:5])
requests_per_client = max(1, total // (clients * per_request))
counter = [0]
lock = threading.Lock()
errors = [0]

def worker(index):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for r in range(requests_per_client):
        lines = []
        for c in range(per_request):
            n = (index * requests_per_client + r) * per_request + c
            lines.append('{"type":"deposit","account":"a%d","asset":"USDC","amount":"1"}' % n)
        connection.request("POST", "/v1/commands", body="\n".join(lines))
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            with lock: errors[0] += 1
    connection.close()

threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
start = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.perf_counter() - start
commands = clients * requests_per_client * per_request
print(f"clients {clients:3d}, {per_request:4d} commands/request: {commands / elapsed:10.0f} commands/s, "
      f"{clients * requests_per_client / elapsed:8.0f} requests/s, {errors[0]} errors, {elapsed:.2f} s")
