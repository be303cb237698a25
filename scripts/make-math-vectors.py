#!/usr/bin/env python3
"""Regenerate the DeterministicMath test vectors.

    python3 scripts/make-math-vectors.py            # check against mpmath, then write the fixture
    python3 scripts/make-math-vectors.py --check    # check, and compare with the committed fixture

Writes Tests/LeewayCoreTests/Fixtures/deterministic-math-vectors.json.

The file holds a line-for-line port of Sources/LeewayCore/Numerics/DeterministicMath.swift
(`log`, `exp2`, `erfc`, `normalCDF` and `exp`, which `erfc` and Black-76 use). Python floats are
IEEE-754 binary64 and +, -, *, / are correctly rounded, and the port uses nothing
else (bit manipulation goes through `struct`; math.log/exp/erfc are never called), so the port
produces the same bits as the Swift code on every machine. Each vector records the input's bit
pattern, the port's output bit pattern and a 50-digit mpmath reference; the Swift tests assert
the committed bit patterns (cross-machine determinism) and closeness to the reference.

Before writing, every port output is checked against mpmath: log and exp2 within 2 ulp, erfc
within 1e-15 relative (plus 4 subnormal ulps absolute near underflow), normalCDF within the same
plus the conditioning of the argument rounding x/sqrt(2). Any miss aborts with exit status 1 and
nothing is written.

Requirements: Python 3.8+ and mpmath (`pip install mpmath`). Nothing is downloaded at run time.
If you change an algorithm or a constant here, make the same change in DeterministicMath.swift
(and vice versa) and regenerate; the Swift test then proves the two still agree bit for bit.
"""

import argparse
import json
import math  # only to confirm the sqrt(2) constant; never math.log/exp/erfc
import pathlib
import random
import struct
import sys

try:
    import mpmath
except ImportError:  # pragma: no cover
    sys.exit("make-math-vectors.py needs mpmath: pip install mpmath")

# ---------------------------------------------------------------------------------------------
# Bit helpers (exact)
# ---------------------------------------------------------------------------------------------

MASK64 = (1 << 64) - 1


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(u):
    return struct.unpack("<d", struct.pack("<Q", u & MASK64))[0]


def high_word(x):
    """The signed upper 32 bits of x's bit pattern (fdlibm's __HI)."""
    h = bits(x) >> 32
    return h - (1 << 32) if h & 0x80000000 else h


def with_high_word(x, h):
    """x with its upper 32 bits replaced by h (fdlibm's SET_HIGH_WORD)."""
    return from_bits(((h & 0xFFFFFFFF) << 32) | (bits(x) & 0xFFFFFFFF))


def is_nan(x):
    return x != x


NAN = from_bits(0x7FF8000000000000)  # the canonical quiet NaN (Swift's Double.nan)
INF = from_bits(0x7FF0000000000000)


def power_of_two(n):
    """2^n for -1022 <= n <= 1023, built from its bit pattern."""
    return from_bits((1023 + n) << 52)


def scaled(y, k):
    """y * 2^k for y in about [0.7, 1.5] and -1075 <= k <= 1024 (one rounding, if subnormal)."""
    if k >= -1021:
        if k == 1024:
            return (y * 2.0) * power_of_two(1023)
        return y * power_of_two(k)
    return (y * power_of_two(k + 1000)) * power_of_two(-1000)


# ---------------------------------------------------------------------------------------------
# Constants (bit patterns; the fdlibm decimal values are in DeterministicMath.swift's comments)
# ---------------------------------------------------------------------------------------------

D = from_bits

TWO54 = D(0x4350000000000000)       # 2^54
LN2_HI = D(0x3FE62E42FEE00000)      # ln 2 high part, 32 significant bits: k*LN2_HI exact for |k| < 2000
LN2_LO = D(0x3DEA39EF35793C76)      # ln 2 - LN2_HI
ONE_THIRD = D(0x3FD5555555555555)   # 0.33333333333333333
LG1 = D(0x3FE5555555555593)
LG2 = D(0x3FD999999997FA04)
LG3 = D(0x3FD2492494229359)
LG4 = D(0x3FCC71C51D8E78AF)
LG5 = D(0x3FC7466496CB03DE)
LG6 = D(0x3FC39A09D078C69F)
LG7 = D(0x3FC2F112DF3E5244)

O_THRESHOLD = D(0x40862E42FEFA39EF)  # 709.782712893383973096: exp overflows above
U_THRESHOLD = D(0xC0874910D52D3051)  # -745.133219101941108420: exp underflows to 0 below
INV_LN2 = D(0x3FF71547652B82FE)
P1 = D(0x3FC555555555553E)
P2 = D(0xBF66C16C16BEBD93)
P3 = D(0x3F11566AAF25DE2C)
P4 = D(0xBEBBBD41C5D26BF1)
P5 = D(0x3E66376972BEA4D0)

LN2 = D(0x3FE62E42FEFA39EF)          # ln 2 rounded to nearest
LN2_TAIL = D(0x3C7ABC9E3B39803F)     # ln 2 - LN2, rounded
SPLITTER = 134217729.0               # 2^27 + 1 (Veltkamp split)
ROUNDING_SHIFTER = 6755399441055744.0  # 1.5 * 2^52: (x + s) - s rounds x to an integer, ties to even

ERX = D(0x3FEB0AC160000000)
PP0 = D(0x3FC06EBA8214DB68)
PP1 = D(0xBFD4CD7D691CB913)
PP2 = D(0xBF9D2A51DBD7194F)
PP3 = D(0xBF77A291236668E4)
PP4 = D(0xBEF8EAD6120016AC)
QQ1 = D(0x3FD97779CDDADC09)
QQ2 = D(0x3FB0A54C5536CEBA)
QQ3 = D(0x3F74D022C4D36B0F)
QQ4 = D(0x3F215DC9221C1A10)
QQ5 = D(0xBED09C4342A26120)
PA0 = D(0xBF6359B8BEF77538)
PA1 = D(0x3FDA8D00AD92B34D)
PA2 = D(0xBFD7D240FBB8C3F1)
PA3 = D(0x3FD45FCA805120E4)
PA4 = D(0xBFBC63983D3E28EC)
PA5 = D(0x3FA22A36599795EB)
PA6 = D(0xBF61BF380A96073F)
QA1 = D(0x3FBB3E6618EEE323)
QA2 = D(0x3FE14AF092EB6F33)
QA3 = D(0x3FB2635CD99FE9A7)
QA4 = D(0x3FC02660E763351F)
QA5 = D(0x3F8BEDC26B51DD1C)
QA6 = D(0x3F888B545735151D)
RA0 = D(0xBF843412600D6435)
RA1 = D(0xBFE63416E4BA7360)
RA2 = D(0xC0251E0441B0E726)
RA3 = D(0xC04F300AE4CBA38D)
RA4 = D(0xC0644CB184282266)
RA5 = D(0xC067135CEBCCABB2)
RA6 = D(0xC054526557E4D2F2)
RA7 = D(0xC023A0EFC69AC25C)
SA1 = D(0x4033A6B9BD707687)
SA2 = D(0x4061350C526AE721)
SA3 = D(0x407B290DD58A1A71)
SA4 = D(0x40842B1921EC2868)
SA5 = D(0x407AD02157700314)
SA6 = D(0x405B28A3EE48AE2C)
SA7 = D(0x401A47EF8E484A93)
SA8 = D(0xBFAEEFF2EE749A62)
RB0 = D(0xBF84341239E86F4A)
RB1 = D(0xBFE993BA70C285DE)
RB2 = D(0xC031C209555F995A)
RB3 = D(0xC064145D43C5ED98)
RB4 = D(0xC083EC881375F228)
RB5 = D(0xC09004616A2E5992)
RB6 = D(0xC07E384E9BDC383F)
SB1 = D(0x403E568B261D5190)
SB2 = D(0x40745CAE221B9F0A)
SB3 = D(0x409802EB189D5118)
SB4 = D(0x40A8FFB7688C246A)
SB5 = D(0x40A3F219CEDF3BE6)
SB6 = D(0x407DA874E79FE763)
SB7 = D(0xC03670E242712D62)

SQRT2 = D(0x3FF6A09E667F3BCD)  # sqrt(2) correctly rounded (= Swift's 2.0.squareRoot())
assert SQRT2 == math.sqrt(2.0)

# ---------------------------------------------------------------------------------------------
# The port (keep in step with DeterministicMath.swift, statement for statement)
# ---------------------------------------------------------------------------------------------


def dm_log(x):
    hx = high_word(x)
    lx = bits(x) & 0xFFFFFFFF
    k = 0
    if hx < 0x00100000:
        if (hx & 0x7FFFFFFF) == 0 and lx == 0:
            return -INF
        if hx < 0:
            return NAN
        k -= 54
        x = x * TWO54
        hx = high_word(x)
    if hx >= 0x7FF00000:
        return NAN if is_nan(x) else x
    k += (hx >> 20) - 1023
    hx &= 0x000FFFFF
    i = (hx + 0x95F64) & 0x100000
    x = with_high_word(x, hx | (i ^ 0x3FF00000))
    k += i >> 20
    f = x - 1.0
    dk = float(k)
    if (0x000FFFFF & (2 + hx)) < 3:
        if f == 0.0:
            if k == 0:
                return 0.0
            return (dk * LN2_HI) + (dk * LN2_LO)
        r = (f * f) * (0.5 - (ONE_THIRD * f))
        if k == 0:
            return f - r
        return (dk * LN2_HI) - ((r - (dk * LN2_LO)) - f)
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (LG2 + (w * (LG4 + (w * LG6))))
    t2 = z * (LG1 + (w * (LG3 + (w * (LG5 + (w * LG7))))))
    r = t2 + t1
    if ((hx - 0x6147A) | (0x6B851 - hx)) > 0:
        hfsq = (0.5 * f) * f
        if k == 0:
            return f - (hfsq - (s * (hfsq + r)))
        return (dk * LN2_HI) - ((hfsq - ((s * (hfsq + r)) + (dk * LN2_LO))) - f)
    if k == 0:
        return f - (s * (f - r))
    return (dk * LN2_HI) - (((s * (f - r)) - (dk * LN2_LO)) - f)


def exp_kernel(hi, lo, k):
    """2^k * e^(hi - lo) for |hi - lo| <= 0.5 ln 2 (fdlibm's rational form)."""
    r = hi - lo
    t = r * r
    c = r - (t * (P1 + (t * (P2 + (t * (P3 + (t * (P4 + (t * P5)))))))))
    y = 1.0 - ((lo - ((r * c) / (2.0 - c))) - hi)
    return scaled(y, k)


def dm_exp(x):
    hx = high_word(x)
    negative = hx < 0
    hx &= 0x7FFFFFFF
    if hx >= 0x40862E42:
        if hx >= 0x7FF00000:
            if is_nan(x):
                return NAN
            return 0.0 if negative else INF
        if x > O_THRESHOLD:
            return INF
        if x < U_THRESHOLD:
            return 0.0
    hi = 0.0
    lo = 0.0
    k = 0
    if hx > 0x3FD62E42:
        if hx < 0x3FF0A2B2:
            hi = x - (-LN2_HI if negative else LN2_HI)
            lo = -LN2_LO if negative else LN2_LO
            k = -1 if negative else 1
        else:
            k = int((INV_LN2 * x) + (-0.5 if negative else 0.5))
            t = float(k)
            hi = x - (t * LN2_HI)
            lo = t * LN2_LO
        x = hi - lo
    elif hx < 0x3E300000:
        return 1.0 + x
    t = x * x
    c = x - (t * (P1 + (t * (P2 + (t * (P3 + (t * (P4 + (t * P5)))))))))
    if k == 0:
        return 1.0 - (((x * c) / (c - 2.0)) - x)
    y = 1.0 - ((lo - ((x * c) / (2.0 - c))) - hi)
    return scaled(y, k)


def split(a):
    c = SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


def two_product(a, b):
    p = a * b
    ah, al = split(a)
    bh, bl = split(b)
    e = ((((ah * bh) - p) + (ah * bl)) + (al * bh)) + (al * bl)
    return p, e


def dm_exp2(x):
    if is_nan(x):
        return NAN
    if x >= 1024.0:
        return INF
    if x <= -1075.0:
        return 0.0
    kd = (x + ROUNDING_SHIFTER) - ROUNDING_SHIFTER
    k = int(kd)
    r = x - kd
    p, e = two_product(r, LN2)
    lo = -(e + (r * LN2_TAIL))
    return exp_kernel(p, lo, k)


def dm_erfc(x):
    hx = high_word(x)
    ix = hx & 0x7FFFFFFF
    if ix >= 0x7FF00000:
        if is_nan(x):
            return NAN
        return 2.0 if hx < 0 else 0.0
    if ix < 0x3FEB0000:
        if ix < 0x3C700000:
            return 1.0 - x
        z = x * x
        r = PP0 + (z * (PP1 + (z * (PP2 + (z * (PP3 + (z * PP4)))))))
        s = 1.0 + (z * (QQ1 + (z * (QQ2 + (z * (QQ3 + (z * (QQ4 + (z * QQ5)))))))))
        y = r / s
        if hx < 0x3FD00000:
            return 1.0 - (x + (x * y))
        t = (x * y) + (x - 0.5)
        return 0.5 - t
    if ix < 0x3FF40000:
        s = abs(x) - 1.0
        p = PA0 + (s * (PA1 + (s * (PA2 + (s * (PA3 + (s * (PA4 + (s * (PA5 + (s * PA6)))))))))))
        q = 1.0 + (s * (QA1 + (s * (QA2 + (s * (QA3 + (s * (QA4 + (s * (QA5 + (s * QA6)))))))))))
        if hx >= 0:
            return (1.0 - ERX) - (p / q)
        return 1.0 + (ERX + (p / q))
    if ix < 0x403C0000:
        ax = abs(x)
        s = 1.0 / (ax * ax)
        if ix < 0x4006DB6D:
            r = RA0 + (s * (RA1 + (s * (RA2 + (s * (RA3 + (s * (RA4 + (s * (RA5 + (s * (RA6 + (s * RA7)))))))))))))
            q = 1.0 + (s * (SA1 + (s * (SA2 + (s * (SA3 + (s * (SA4 + (s * (SA5 + (s * (SA6 + (s * (SA7 + (s * SA8)))))))))))))))
        else:
            if hx < 0 and ix >= 0x40180000:
                return 2.0
            r = RB0 + (s * (RB1 + (s * (RB2 + (s * (RB3 + (s * (RB4 + (s * (RB5 + (s * RB6)))))))))))
            q = 1.0 + (s * (SB1 + (s * (SB2 + (s * (SB3 + (s * (SB4 + (s * (SB5 + (s * (SB6 + (s * SB7)))))))))))))
        z = from_bits(bits(ax) & 0xFFFFFFFF00000000)
        e = dm_exp(((-z) * z) - 0.5625) * dm_exp(((z - ax) * (z + ax)) + (r / q))
        if hx > 0:
            return e / ax
        return 2.0 - (e / ax)
    return 0.0 if hx > 0 else 2.0


def dm_normal_cdf(x):
    if is_nan(x):
        return NAN
    return 0.5 * dm_erfc((-x) / SQRT2)


# ---------------------------------------------------------------------------------------------
# References and error measures
# ---------------------------------------------------------------------------------------------

mpmath.mp.prec = 300  # ~90 decimal digits, far beyond the 50 that are written

MIN_SUBNORMAL = from_bits(1)
MIN_NORMAL = from_bits(0x0010000000000000)
MAX_FINITE = from_bits(0x7FEFFFFFFFFFFFFF)


def ref_log(x):
    if is_nan(x) or x < 0:
        return "nan"
    if x == 0:
        return "-inf"
    if x == INF:
        return "inf"
    return mpmath.log(mpmath.mpf(x))


def _ref_exponential(x, function):
    if is_nan(x):
        return "nan"
    if x == INF:
        return "inf"
    if x == -INF:
        return mpmath.mpf(0)
    return function(mpmath.mpf(x))


def ref_exp2(x):
    return _ref_exponential(x, lambda v: mpmath.power(2, v))


def ref_exp(x):
    return _ref_exponential(x, mpmath.exp)


def ref_erfc(x):
    if is_nan(x):
        return "nan"
    if x == INF or x > 1e6:   # erfc(1e6) < 10^-(4e11): zero to any precision that matters here
        return mpmath.mpf(0)
    if x == -INF or x < -1e6:
        return mpmath.mpf(2)
    return mpmath.erfc(mpmath.mpf(x))


def ref_normal_cdf(x):
    if is_nan(x):
        return "nan"
    if x == INF or x > 1e6:
        return mpmath.mpf(1)
    if x == -INF or x < -1e6:
        return mpmath.mpf(0)
    return mpmath.erfc(-mpmath.mpf(x) / mpmath.sqrt(2)) / 2


OVERFLOW = mpmath.mpf(2) ** 1024 - mpmath.mpf(2) ** 970  # the least value that rounds to infinity


def overflow_aware(reference):
    """A reference that rounds to +-infinity in binary64 is recorded as "inf" / "-inf"."""
    def wrapped(x):
        ref = reference(x)
        if not isinstance(ref, str) and abs(ref) >= OVERFLOW:
            return "inf" if ref > 0 else "-inf"
        return ref
    return wrapped


def ulp_of(ref):
    """The spacing of binary64 numbers at the exact value ref (2^-1074 in the subnormal range)."""
    if ref == 0:
        return mpmath.mpf(2) ** -1074
    _, e = mpmath.frexp(abs(ref))  # |ref| = m * 2^e, 0.5 <= m < 1
    return mpmath.mpf(2) ** max(e - 53, -1074)


def ulp_error(out, ref):
    return float(abs(mpmath.mpf(out) - ref) / ulp_of(ref))


def special_matches(out, ref):
    """For NaN/infinite references or outputs: they must agree exactly."""
    if isinstance(ref, str):
        if ref == "nan":
            return is_nan(out)
        return out == (INF if ref == "inf" else -INF)
    return False  # finite reference but non-finite output


def ref_text(ref):
    if isinstance(ref, str):
        return ref
    if ref == 0:
        return "0"
    return mpmath.nstr(ref, 50, min_fixed=-5, max_fixed=6)


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def next_up(x):
    b = bits(x)
    if x == 0:
        return MIN_SUBNORMAL
    return from_bits(b + 1) if x > 0 else from_bits(b - 1)


def next_down(x):
    return -next_up(-x)


def linspace(a, b, n):
    return [a + (b - a) * i / (n - 1) for i in range(n)]


def dedupe(xs):
    seen, out = set(), []
    for x in xs:
        b = bits(x)
        if b not in seen:
            seen.add(b)
            out.append(x)
    return out


SPECIAL = [0.0, -0.0, INF, -INF, NAN, MIN_SUBNORMAL, -MIN_SUBNORMAL, MIN_NORMAL, MAX_FINITE, -MAX_FINITE]


def log_inputs(rng):
    xs = list(SPECIAL)
    xs += [1.0, next_down(1.0), next_up(1.0), 2.0, 0.5, 4.0, 10.0, 100.0, 1e-300, 1e300,
           from_bits(0x4005BF0A8B145769),           # e
           from_bits(0x3FE6A09E667F3BCD),           # sqrt(2)/2
           from_bits(0x3FF6A09E667F3BCD),           # sqrt(2)
           from_bits(3), from_bits(0x000FFFFFFFFFFFFF), from_bits(0x0008000000000000), 1e-310, 2.5e-320,
           -1.0, -2.5, -1e-300]
    # Branch boundaries inside the reduction: |f| < 2^-20, and the two polynomial-combination cases.
    for d in (2.0 ** -20, 2.0 ** -21, 3 * 2.0 ** -22):
        xs += [1.0 + d, 1.0 - d, next_down(1.0 + d), next_up(1.0 - d)]
    for h in (0x3FF6147A, 0x3FF6B851, 0x3FF95F64, 0x3FE6A09E, 0x3FE95F64):
        xs += [from_bits(h << 32), next_down(from_bits(h << 32)), from_bits((h << 32) + 0x80000000)]
    # Price ratios: 0.5 .. 2, a grid and random points.
    xs += linspace(0.5, 2.0, 61)
    xs += [rng.uniform(0.5, 2.0) for _ in range(40)]
    # Ratios within about 1e-9 of 1, and slightly further out.
    for d in (1e-9, 2e-9, 5e-10, 1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15, 3e-16, 1e-8, 1e-7, 1e-6, 1e-5,
              1e-4, 1e-3, 1e-2, 0.1):
        xs += [1.0 + d, 1.0 - d]
    xs += [1.0 + rng.uniform(-1e-9, 1e-9) for _ in range(20)]
    xs += [1.0 + k * 2.0 ** -52 for k in range(-8, 9) if k]
    # Everything else: powers of ten, random magnitudes, subnormals.
    xs += [10.0 ** e for e in range(-300, 301, 25)]
    xs += [from_bits(rng.randrange(0x0010000000000000, 0x7FF0000000000000)) for _ in range(50)]
    xs += [from_bits(rng.randrange(1, 0x0010000000000000)) for _ in range(10)]
    return dedupe(xs)


def exp2_inputs(rng):
    xs = list(SPECIAL)
    xs += [1.0, -1.0, 0.5, -0.5, 2.0, 10.0, -10.0, 0.25, 1.5, -1.5, 2.5, -2.5,
           1e-300, -1e-300, 2.0 ** -54, -(2.0 ** -54), 2.0 ** -53, 1e-17, -1e-17, 1e-20,
           1023.0, next_down(1024.0), 1024.0, 1024.5, 1100.0, 1023.5, 1000.3,
           -1021.0, -1022.0, -1022.5, -1030.0, -1050.25, -1070.7, -1073.0, -1074.0, -1074.5,
           next_down(-1074.0), next_up(-1075.0), -1075.0, -1075.5, -1076.0, -1100.0, -1e10]
    # The risk-estimate range: -50 .. 0, grid and random points.
    xs += linspace(-50.0, 0.0, 101)
    xs += [rng.uniform(-50.0, 0.0) for _ in range(40)]
    # Small negative arguments.
    for d in (1e-7, 2e-7, 5e-8, 1e-8, 1e-9, 1e-10, 1e-12, 1e-14, 1e-15, 1e-16, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2,
              0.1):
        xs += [-d, d]
    xs += [-rng.uniform(0.0, 1e-6) for _ in range(15)]
    # Reduction boundaries (ties go to even k) and the wider range.
    xs += [k + 0.5 for k in range(-6, 6)] + [next_down(0.5), next_up(0.5), next_down(-0.5), next_up(-0.5)]
    xs += [rng.uniform(-1074.0, 1023.0) for _ in range(40)]
    xs += [rng.uniform(-1.0, 1.0) for _ in range(20)]
    return dedupe(xs)


def erfc_inputs(rng):
    xs = list(SPECIAL)
    xs += [1.0, -1.0, 2.0 ** -56, next_down(2.0 ** -56), 1e-300, -1e-300, 1e-20, -1e-20, 1e-8, -1e-8,
           0.25, next_down(0.25), -0.25, 0.84375, next_down(0.84375), -0.84375, next_up(-0.84375), next_down(-0.84375),
           1.25, next_down(1.25), -1.25, 1 / 0.35, next_down(1 / 0.35), -(1 / 0.35),
           from_bits(0x4006DB6D00000000), next_down(from_bits(0x4006DB6D00000000)),
           6.0, -6.0, next_up(-6.0), next_down(-6.0), 5.9999, -5.9999,
           26.0, 26.5, 26.55, 26.6, 26.64, 26.7, 27.0, 27.2, 27.25, 27.3, 27.5, 27.9, next_down(28.0), 28.0, 30.0,
           50.0, 1e300, -1e300, -10.0, -27.0, -28.0]
    # The risk-estimate range: -10 .. 27, grid and random points.
    xs += linspace(-10.0, 27.0, 186)
    xs += [rng.uniform(-10.0, 27.0) for _ in range(60)]
    xs += [rng.uniform(-1.5, 1.5) for _ in range(20)]
    return dedupe(xs)


def exp_inputs(rng):
    xs = list(SPECIAL)
    xs += [1.0, -1.0, 0.5, -0.5, 2.0 ** -28, -(2.0 ** -28), 2.0 ** -29, 1e-300, -1e-300,
           709.78, 709.79, -745.13, -745.14, -708.0, -720.0, 700.0]
    # Black-76's density e^(-d^2/2): arguments from -800 to 0, and the reduction boundaries.
    xs += linspace(-800.0, 0.0, 161)
    xs += [rng.uniform(-800.0, 0.0) for _ in range(60)]
    xs += [rng.uniform(-2.0, 2.0) for _ in range(30)]
    for b in (0.34657359027997264, 1.0397207708399179):  # ln2/2, 1.5 ln2
        xs += [b, -b, next_up(b), next_down(b), -next_up(b), -next_down(b)]
    return dedupe(xs)


def normal_cdf_inputs(rng):
    xs = list(SPECIAL)
    xs += [1.0, -1.0, 1.96, -1.96, 1.6448536269514722, -1.6448536269514722, 2.326347874040841,
           -2.326347874040841, 3.0, -3.0, 5.0, -5.0, 8.0, 8.5, 9.0, -20.0, -30.0, -37.0, -38.0, -38.5, -39.0,
           -40.0, 1e-300, -1e-300]
    xs += linspace(-40.0, 10.0, 81)
    xs += [rng.uniform(-8.0, 8.0) for _ in range(20)]
    return dedupe(xs)


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------

SUBNORMAL_ULP = mpmath.mpf(2) ** -1074


def relative_error(out, ref):
    """Relative error, reported only where the reference is a normal number (0 elsewhere)."""
    if abs(ref) < MIN_NORMAL:
        return 0.0
    return float(abs(mpmath.mpf(out) - ref) / abs(ref))


def check_ulps(limit):
    def check(x, out, ref):
        if isinstance(ref, str) or is_nan(out) or out in (INF, -INF):
            return special_matches(out, ref), 0.0, 0.0
        e = ulp_error(out, ref)
        return e <= limit, e, relative_error(out, ref)
    return check


def check_relative(relative_for):
    def check(x, out, ref):
        if isinstance(ref, str) or is_nan(out) or out in (INF, -INF):
            return special_matches(out, ref), 0.0, 0.0
        err = abs(mpmath.mpf(out) - ref)
        bound = relative_for(x) * abs(ref) + 4 * SUBNORMAL_ULP
        return err <= bound, ulp_error(out, ref), relative_error(out, ref)
    return check


FUNCTIONS = [
    # name, port, reference, inputs, check, human-readable tolerance
    ("log", dm_log, overflow_aware(ref_log), log_inputs, check_ulps(2.0), "2 ulp"),
    ("exp2", dm_exp2, overflow_aware(ref_exp2), exp2_inputs, check_ulps(2.0), "2 ulp (subnormal results: 2 ulp of 2^-1074)"),
    ("erfc", dm_erfc, ref_erfc, erfc_inputs, check_relative(lambda x: 1e-15),
     "1e-15 relative + 4*2^-1074 absolute"),
    ("normalCDF", dm_normal_cdf, ref_normal_cdf, normal_cdf_inputs,
     check_relative(lambda x: 1e-15 + (min(x * x, 1e6) + 2.0) * 2.0 ** -52),
     "(1e-15 + (x^2 + 2) * 2^-52) relative + 4*2^-1074 absolute; x^2 * 2^-52 is the rounding of x/sqrt(2)"),
    # Appended last so the random draws of the functions above are unchanged.
    ("exp", dm_exp, overflow_aware(ref_exp), exp_inputs, check_ulps(2.0), "2 ulp (subnormal results: 2 ulp of 2^-1074)"),
]


def build():
    rng = random.Random(0x1EE7A7)
    document = {
        "description": "DeterministicMath vectors: input and output are binary64 bit patterns (hex); "
                       "output is what DeterministicMath must return bit for bit on every machine; "
                       "reference is the exact value from mpmath, 50 significant digits.",
        "generator": "scripts/make-math-vectors.py",
        "functions": {},
    }
    failures = []
    for name, port, reference, inputs, check, tolerance in FUNCTIONS:
        vectors, max_ulps, max_rel = [], 0.0, 0.0
        for x in inputs(rng):
            out = port(x)
            ref = reference(x)
            ok, ulps, rel = check(x, out, ref)
            if not ok:
                failures.append(f"{name}({x!r} = 0x{bits(x):016x}) = {out!r} (0x{bits(out):016x}), "
                                f"mpmath {ref_text(ref)}, error {ulps:.3f} ulp, {rel:.3e} relative")
            max_ulps, max_rel = max(max_ulps, ulps), max(max_rel, rel)
            vectors.append({"input": f"{bits(x):016x}", "output": f"{bits(out):016x}",
                            "reference": ref_text(ref)})
        document["functions"][name] = {
            "tolerance": tolerance,
            "maxUlpError": round(max_ulps, 4),
            "maxRelativeError": float(f"{max_rel:.3e}"),
            "vectors": vectors,
        }
        print(f"{name:>10}: {len(vectors)} vectors, max error {max_ulps:.4f} ulp, {max_rel:.3e} relative")
    return document, failures


def render(document):
    """JSON with one vector per line, so regenerations diff cleanly."""
    lines = ["{"]
    lines.append(f'  "description": {json.dumps(document["description"])},')
    lines.append(f'  "generator": {json.dumps(document["generator"])},')
    lines.append('  "functions": {')
    names = list(document["functions"])
    for n, name in enumerate(names):
        f = document["functions"][name]
        lines.append(f'    {json.dumps(name)}: {{')
        lines.append(f'      "tolerance": {json.dumps(f["tolerance"])},')
        lines.append(f'      "maxUlpError": {json.dumps(f["maxUlpError"])},')
        lines.append(f'      "maxRelativeError": {json.dumps(f["maxRelativeError"])},')
        lines.append('      "vectors": [')
        vs = f["vectors"]
        for i, v in enumerate(vs):
            lines.append("        " + json.dumps(v) + ("," if i + 1 < len(vs) else ""))
        lines.append("      ]")
        lines.append("    }" + ("," if n + 1 < len(names) else ""))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; fail if the committed fixture differs from a fresh run")
    parser.add_argument("--output", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parent.parent
                        / "Tests/LeewayCoreTests/Fixtures/deterministic-math-vectors.json")
    args = parser.parse_args()

    document, failures = build()
    if failures:
        print(f"\nFAILED: {len(failures)} port outputs are outside tolerance of mpmath:", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        sys.exit(1)
    text = render(document)
    json.loads(text)  # well-formed
    if args.check:
        if not args.output.exists() or args.output.read_text() != text:
            sys.exit(f"FAILED: {args.output} is not what this script generates; rerun without --check")
        print(f"{args.output} is up to date")
        return
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
