"""Reference point for `leeway bench`: a vectorized NumPy full scan of 1M single-position accounts.

Computes equity and maintenance margin (float64, one tier) for every account and counts those
below MM, as the issue's "about 5 ms" figure does. Not exact arithmetic: a yardstick only.

    python3 Benchmarks/numpy_full_scan.py [accounts]
"""
import sys
import time

import numpy as np

accounts = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
rng = np.random.default_rng(1)
collateral = 100.0 * 100.0 ** rng.random(accounts)
leverage = 2.0 * 12.5 ** rng.random(accounts)
side = np.where(rng.random(accounts) < 0.5, 1.0, -1.0)
entry = 100.0
size = side * collateral * leverage / entry
mark = entry * 0.999

timings = []
for _ in range(20):
    start = time.perf_counter()
    notional = np.abs(size) * mark
    equity = collateral + size * (mark - entry)
    maintenance = notional * 0.01
    below = int(np.count_nonzero(equity < maintenance))
    timings.append(time.perf_counter() - start)
timings.sort()
median = timings[len(timings) // 2]
print(f"numpy full scan of {accounts} accounts: median {median * 1e3:.2f} ms "
      f"({accounts / median / 1e6:.1f}M accounts/s, float64), {below} below MM")
