#!/usr/bin/env python3
"""Generate the Black-76 reference fixture from QuantLib.

    pip install QuantLib                     # once (PyPI "QuantLib"; 1.44 wrote the committed file)
    python3 scripts/options-fixtures/make-fixture.py            # writes the fixture
    python3 scripts/options-fixtures/make-fixture.py --check    # fails if the committed one differs

Writes Tests/LeewayCoreTests/Fixtures/black76-quantlib.json: 600 random European options (a fixed
seed), calls and puts alternating, with
  forward F      log-uniform in [10, 100 000]
  moneyness K/F  log-uniform in [0.5, 2]
  expiry         log-uniform in [1 hour, 1 year] (whole milliseconds; years = ms / 31 536 000 000)
  volatility     uniform in [0.10, 3.00]
and QuantLib's BlackCalculator (discount 1, spot = forward, stdDev = vol * sqrt(years)) values:
price, delta(F), gamma(F), vega(years), theta(F, years). Numbers are written with repr(), which
round-trips binary64 exactly, so the Swift test reads the same inputs this script priced.
Nothing is downloaded at test time: the Swift test (Black76FixtureTests) reads only this file.
"""

import argparse
import json
import math
import pathlib
import random
import sys

try:
    import QuantLib as ql
except ImportError:  # pragma: no cover
    sys.exit("make-fixture.py needs QuantLib: pip install QuantLib")

MS_PER_YEAR = 31_536_000_000
HOUR_MS = 3_600_000
COUNT = 600


def log_uniform(rng, low, high):
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def build():
    rng = random.Random(0xB1AC76)
    options = []
    for n in range(COUNT):
        kind = "call" if n % 2 == 0 else "put"
        forward = float(f"{log_uniform(rng, 10.0, 100_000.0):.4f}")
        strike = float(f"{forward * log_uniform(rng, 0.5, 2.0):.4f}")
        expiry_ms = int(round(log_uniform(rng, HOUR_MS, MS_PER_YEAR)))
        years = expiry_ms / MS_PER_YEAR
        vol = float(f"{rng.uniform(0.10, 3.00):.4f}")
        option_type = ql.Option.Call if kind == "call" else ql.Option.Put
        payoff = ql.PlainVanillaPayoff(option_type, strike)
        calculator = ql.BlackCalculator(payoff, forward, vol * math.sqrt(years), 1.0)
        options.append({
            "kind": kind, "forward": repr(forward), "strike": repr(strike), "vol": repr(vol),
            "expiryMs": expiry_ms, "years": repr(years),
            "price": repr(calculator.value()),
            "delta": repr(calculator.delta(forward)),
            "gamma": repr(calculator.gamma(forward)),
            "vega": repr(calculator.vega(years)),
            "theta": repr(calculator.theta(forward, years)),
        })
    return {
        "description": "Black-76 at zero rates from QuantLib's BlackCalculator (discount 1, spot = forward); "
                       "numbers are Python repr() of binary64, so they round-trip exactly.",
        "generator": "scripts/options-fixtures/make-fixture.py",
        "quantlib": ql.__version__,
        "options": options,
    }


def render(document):
    lines = ["{"]
    for key in ("description", "generator", "quantlib"):
        lines.append(f"  {json.dumps(key)}: {json.dumps(document[key])},")
    lines.append('  "options": [')
    options = document["options"]
    for i, option in enumerate(options):
        lines.append("    " + json.dumps(option) + ("," if i + 1 < len(options) else ""))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed fixture differs from a fresh run")
    parser.add_argument("--output", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parent.parent.parent
                        / "Tests/LeewayCoreTests/Fixtures/black76-quantlib.json")
    args = parser.parse_args()
    text = render(build())
    json.loads(text)
    if args.check:
        if not args.output.exists() or args.output.read_text() != text:
            sys.exit(f"FAILED: {args.output} is not what this script generates; rerun without --check")
        print(f"{args.output} is up to date")
        return
    args.output.write_text(text)
    print(f"wrote {args.output}: {COUNT} options")


if __name__ == "__main__":
    main()
