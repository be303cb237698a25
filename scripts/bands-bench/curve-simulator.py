#!/usr/bin/env python3
"""Time Curve's own LLAMMA loss simulator on the workload of `leeway bands bench`.

Runs curvefi/llamma-simulator's `Simulator.f` (the function its Monte-Carlo maps over windows)
single-threaded, on the same candle file extended with its time-reversed copy, the same window
length, A, N, fee, Texp and dynamic-fee options as `leeway bands bench`, and prints seconds per
sample and the mean loss. Nothing of Curve's code is kept in the project: the checkout is given on
the command line (a clone of github.com/curvefi/llamma-simulator, commit printed).

  python3 scripts/bands-bench/curve-simulator.py --checkout DIR [--prices FILE] [--samples 2000]

`scripts/bands-bench/side-by-side.sh DIR` runs this and `leeway bands bench` in one run and prints
the ratio (BENCHMARKS.md, "Bands").
"""
import argparse
import random
import statistics
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", required=True, help="a clone of curvefi/llamma-simulator")
    parser.add_argument("--prices", default="../shared/data/prices/ethusdt-1m-2024-08-05.json.gz")
    parser.add_argument("--samples", type=int, default=2000, help="windows to time")
    parser.add_argument("--days", type=float, default=0.05, help="window length in days (0.05 = 72 minutes)")
    parser.add_argument("--A", type=int, default=100)
    parser.add_argument("--N", type=int, default=4)
    parser.add_argument("--fee", type=float, default=0.002)
    parser.add_argument("--texp", type=float, default=600, help="oracle EMA half-life, s")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    sys.path.insert(0, args.checkout)
    import libsimulate  # Curve's module, from the checkout

    commit = subprocess.run(["git", "-C", args.checkout, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    simulator = libsimulate.Simulator(args.prices, libsimulate.EXT_FEE, add_reverse=True)
    data = libsimulate.price_data
    day_fraction = 86400 * 1000 / (data[-1][0] - data[0][0])
    size = args.days * day_fraction
    other = dict(libsimulate.Simulator.other)
    rng = random.Random(args.seed)
    inputs = [(args.A, args.N, args.fee, args.texp, rng.random(), size, 0, other) for _ in range(args.samples)]
    simulator.update_emas(args.texp)  # computed once per file, as in the Monte-Carlo (not timed)
    simulator.f(inputs[0])  # warm-up

    losses = []
    per_sample = []
    start = time.perf_counter()
    for x in inputs:
        t0 = time.perf_counter()
        losses.append(simulator.f(x))
        per_sample.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    print(f"curvefi/llamma-simulator {commit[:12]}, Python {sys.version.split()[0]}: {args.samples} samples of "
          f"{args.days} d windows, A={args.A}, N={args.N}, fee={args.fee} (+ reversed), one thread")
    print("seconds\tms/sample (mean)\tms/sample (median)\tmean loss")
    print(f"{total:.3f}\t{total / args.samples * 1e3:.3f}\t{statistics.median(per_sample) * 1e3:.3f}\t{statistics.fmean(losses):.6f}")
    print(f"PYTHON_SECONDS_PER_SAMPLE={total / args.samples:.6e}")


if __name__ == "__main__":
    main()
