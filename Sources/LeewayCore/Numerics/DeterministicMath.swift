// No imports: nothing here may come from the platform's libm (Foundation, Glibc, Darwin, RealModule).

/// The few transcendental functions the risk estimates need, computed bit-for-bit identically on
/// every machine.
///
/// Platform `log`/`exp`/`erfc` differ between libms (glibc, Apple, musl) in the last bit, which is
/// enough to make two engines disagree. These functions use only IEEE-754 basic operations, which
/// are correctly rounded everywhere: `+ - * /`, comparisons, exact conversions between `Int` and
/// `Double` for small integers, and exact bit manipulation through `bitPattern`. There is no fused
/// multiply-add, no `Float80`, and every polynomial is written out in Horner form with explicit
/// parentheses, so the sequence of roundings is fixed by the source. (Swift does not contract
/// `a * b + c` into an FMA or reassociate floating-point expressions.) All constants are given as
/// bit patterns, so they do not depend on how a compiler converts decimal literals.
///
/// The algorithms are the classic Sun fdlibm ones (also in FreeBSD msun and musl): `log` is
/// `e_log.c`, `erfc` is `s_erf.c` with `e_exp.c` for its exponentials, and `exp2` reduces
/// `2^x = 2^k · e^(r·ln 2)` exactly and reuses the `e_exp.c` kernel. `scripts/make-math-vectors.py`
/// holds a statement-for-statement Python port; it generates
/// `Tests/LeewayCoreTests/Fixtures/deterministic-math-vectors.json`, and `DeterministicMathTests`
/// asserts these functions reproduce the committed bit patterns. **Change both together.**
///
/// Every NaN result is the canonical quiet NaN `Double.nan` (bit pattern `0x7FF8000000000000`),
/// whatever the NaN payload or sign of the input.
enum DeterministicMath {

    // MARK: - Natural logarithm

    /// The natural logarithm, ln x.
    ///
    /// **Method** (fdlibm `e_log.c`). Reduce `x = 2^k · (1 + f)` with `√2/2 < 1 + f < √2`, by
    /// reading and rewriting the exponent bits (subnormals are first scaled by 2^54). Then, with
    /// `s = f / (2 + f)`,
    /// `ln(1 + f) = ln(1 + s) − ln(1 − s) = 2s + (2/3)s³ + (2/5)s⁵ + … = 2s + s·R(s²)`,
    /// where `R` is a degree-7 minimax polynomial in `z = s²` (error below 2^-58.45 on
    /// `[0, 0.1716]`). The result is assembled as
    /// `k·ln2_hi + (f − (f²/2 − (s·(f²/2 + R) + k·ln2_lo)))` with `ln 2 = ln2_hi + ln2_lo` and
    /// `k·ln2_hi` exact, and for `|f| < 2^-20` as `f − f²·(1/2 − f/3)`.
    ///
    /// **Accuracy.** Below 1 ulp (fdlibm's error analysis); the committed vectors and a sweep of
    /// 160 000 points (price ratios in 0.5…2, ratios within 10⁻⁶ of 1, the whole binary64 range)
    /// measure at most 0.81 ulp against mpmath. `log(1)` is exactly 0, and ratios near 1 (such as
    /// 1 ± 1e-9) keep full relative accuracy: `f = x − 1` is exact there and the result is
    /// computed from `f` directly.
    ///
    /// **Edge cases.** `log(±0) = −∞`; `log(x < 0) = NaN` (including −∞); `log(+∞) = +∞`;
    /// `log(NaN) = NaN`; subnormal inputs are exact-scaled and fully accurate.
    public static func log(_ x: Double) -> Double {
        var x = x
        var hx = highWord(x)
        let lx = x.bitPattern & 0xFFFF_FFFF
        var k = 0
        if hx < 0x0010_0000 {  // x < 2^-1022: zero, subnormal, negative, or NaN with the sign bit set
            if (hx & 0x7FFF_FFFF) == 0 && lx == 0 { return -.infinity }  // log(±0) = -inf
            if hx < 0 { return .nan }  // log(negative), log(-inf), log(-NaN)
            k -= 54
            x = x * two54  // subnormal: scale up exactly
            hx = highWord(x)
        }
        if hx >= 0x7FF0_0000 { return x.isNaN ? .nan : x }  // +inf, or NaN
        k += (hx >> 20) - 1023
        hx &= 0x000F_FFFF
        let i = (hx + 0x9_5F64) & 0x10_0000
        x = withHighWord(x, hx | (i ^ 0x3FF0_0000))  // normalise x or x/2 into [√2/2, √2)
        k += i >> 20
        let f = x - 1.0
        let dk = Double(k)
        if (0x000F_FFFF & (2 + hx)) < 3 {  // -2^-20 <= f < 2^-20
            if f == 0.0 {
                if k == 0 { return 0.0 }
                return (dk * ln2Hi) + (dk * ln2Lo)
            }
            let r = (f * f) * (0.5 - (oneThird * f))
            if k == 0 { return f - r }
            return (dk * ln2Hi) - ((r - (dk * ln2Lo)) - f)
        }
        let s = f / (2.0 + f)
        let z = s * s
        let w = z * z
        let t1 = w * (lg2 + (w * (lg4 + (w * lg6))))
        let t2 = z * (lg1 + (w * (lg3 + (w * (lg5 + (w * lg7))))))
        let r = t2 + t1
        if ((hx - 0x6_147A) | (0x6_B851 - hx)) > 0 {  // 1 + f outside about [1.38, 1.42): use f²/2
            let hfsq = (0.5 * f) * f
            if k == 0 { return f - (hfsq - (s * (hfsq + r))) }
            return (dk * ln2Hi) - ((hfsq - ((s * (hfsq + r)) + (dk * ln2Lo))) - f)
        }
        if k == 0 { return f - (s * (f - r)) }
        return (dk * ln2Hi) - (((s * (f - r)) - (dk * ln2Lo)) - f)
    }

    // MARK: - Base-2 exponential

    /// Two to the power x, 2^x.
    ///
    /// **Method.** Reduce `x = k + r` with `k` the nearest integer (ties to even, by adding and
    /// subtracting 1.5·2^52) and `r = x − k`, which is exact, `|r| ≤ 1/2`. Then `2^r = e^t` with
    /// `t = r·ln 2` carried as `hi − lo` to about 2^-100 relative: `hi = r ⊗ ln2` and the product's
    /// rounding error comes from Dekker's exact two-product (Veltkamp splitting, no FMA), plus
    /// `r·(ln 2 − ln2)`. `|t| ≤ ln2/2`, the primary range of fdlibm's `e_exp.c` kernel:
    /// `e^t = 1 − ((lo − t·c/(2 − c)) − hi)` with `c = t − t²·P(t²)`, `P` a degree-4 minimax
    /// polynomial (error below 2^-59). Finally multiply by 2^k built from its bit pattern (exact
    /// for normal results).
    ///
    /// **Accuracy.** Below 1 ulp for normal results: the committed vectors and a sweep of 160 000
    /// points (−50…0, −1…1, small negatives down to −1e-12, the whole range) measure at most
    /// 0.87 ulp against mpmath. `exp2(n)` is exact for integers n (so `exp2(0) = 1`), and small
    /// arguments such as −1e-7 keep full accuracy (the `hi − lo` reduction loses nothing).
    ///
    /// **Edge cases.** `exp2(NaN) = NaN`; `x ≥ 1024` (including +∞) overflows to `+∞`;
    /// `x ≤ −1075` (including −∞) underflows to `+0`. For `−1075 < x < −1022` the result is
    /// subnormal: it is the normal-precision result rounded once more to the subnormal grid, so it
    /// is within 1 ulp of 2^-1074 of the exact value (not always correctly rounded), and values
    /// just above 2^-1075 may round to 0. This is deterministic like every other case.
    public static func exp2(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x >= 1024.0 { return .infinity }
        if x <= -1075.0 { return 0.0 }
        let kd = (x + roundingShifter) - roundingShifter  // nearest integer, ties to even (|x| < 2^51)
        let k = Int(kd)
        let r = x - kd  // exact
        let (p, e) = twoProduct(r, ln2)  // r·ln2 = p + e exactly
        let lo = -(e + (r * ln2Tail))
        return expKernel(hi: p, lo: lo, k: k)
    }

    // MARK: - Complementary error function

    /// The complementary error function, erfc x = 1 − erf x = (2/√π) ∫ₓ^∞ e^(−t²) dt.
    ///
    /// **Method** (fdlibm `s_erf.c`, Sun's rational approximations), by `|x|`:
    /// - `|x| < 2^-56`: `1 − x`.
    /// - `|x| < 0.84375`: `erf x = x + x·P(x²)/Q(x²)` (error below 2^-57.9), and
    ///   `erfc x = 1 − (x + x·y)` for `x < 1/4`, `1/2 − (x·y + (x − 1/2))` otherwise.
    /// - `0.84375 ≤ |x| < 1.25`: with `s = |x| − 1` and `c = 0.845062911510467529297`
    ///   (0.84506291151 rounded to single precision), `erfc x = (1 − c) − P(s)/Q(s)` for `x > 0`
    ///   and `1 + (c + P(s)/Q(s))` for `x < 0`, where `P/Q ≈ erf(1 + s) − c` to 2^-59.06.
    /// - `1.25 ≤ |x| < 28`: `erfc|x| = e^(−x² − 0.5625 + R(1/x²)/S(1/x²)) / |x|`, with one rational
    ///   pair on `[1.25, 1/0.35)` and another from there on (errors below 2^-62.57, 2^-61.52). The
    ///   exponential is split as `e^(−z² − 0.5625) · e^((z − x)(z + x) + R/S)`, where `z` is `|x|`
    ///   with its low 32 bits cleared so that `−z² − 0.5625` is exact. For `x < 0` the result is
    ///   `2 − erfc|x|`, and 2 for `x ≤ −6`.
    /// - `|x| ≥ 28`: 0 for `x > 0`, 2 for `x < 0`.
    ///
    /// The exponentials are the private `exp` below (fdlibm `e_exp.c`, below 1 ulp).
    ///
    /// **Accuracy.** A few ulps: the committed vectors and a sweep of 390 000 points in −10…27
    /// measure at most 2.72 ulp and 4.0e-16 relative against mpmath (the largest errors are in
    /// `1.25 ≤ x < 2.9`). Relative error stays below 1e-15 until the result leaves the normal
    /// range at x ≈ 26.543 (erfc ≈ 2.2e-308); from there to total underflow at x ≈ 27.226 the
    /// result is subnormal and its error is a few units of 2^-1074 absolute (above 27.226, +0).
    /// Rounding `x` itself is amplified by the steep tail (condition number ≈ 2x²), which matters
    /// to callers, not to this function's error.
    ///
    /// **Edge cases.** `erfc(NaN) = NaN`, `erfc(+∞) = 0`, `erfc(−∞) = 2`, `erfc(±0) = 1`.
    public static func erfc(_ x: Double) -> Double {
        let hx = highWord(x)
        let ix = hx & 0x7FFF_FFFF
        if ix >= 0x7FF0_0000 {  // NaN or ±inf
            if x.isNaN { return .nan }
            return hx < 0 ? 2.0 : 0.0
        }
        if ix < 0x3FEB_0000 {  // |x| < 0.84375
            if ix < 0x3C70_0000 { return 1.0 - x }  // |x| < 2^-56
            let z = x * x
            let r = pp0 + (z * (pp1 + (z * (pp2 + (z * (pp3 + (z * pp4)))))))
            let s = 1.0 + (z * (qq1 + (z * (qq2 + (z * (qq3 + (z * (qq4 + (z * qq5)))))))))
            let y = r / s
            if hx < 0x3FD0_0000 { return 1.0 - (x + (x * y)) }  // x < 1/4 (negative x included)
            let t = (x * y) + (x - 0.5)
            return 0.5 - t
        }
        if ix < 0x3FF4_0000 {  // 0.84375 <= |x| < 1.25
            let s = x.magnitude - 1.0
            let p = pa0 + (s * (pa1 + (s * (pa2 + (s * (pa3 + (s * (pa4 + (s * (pa5 + (s * pa6)))))))))))
            let q = 1.0 + (s * (qa1 + (s * (qa2 + (s * (qa3 + (s * (qa4 + (s * (qa5 + (s * qa6)))))))))))
            if hx >= 0 { return (1.0 - erx) - (p / q) }
            return 1.0 + (erx + (p / q))
        }
        if ix < 0x403C_0000 {  // 1.25 <= |x| < 28
            let ax = x.magnitude
            let s = 1.0 / (ax * ax)
            let r: Double
            let q: Double
            if ix < 0x4006_DB6D {  // |x| < 1/0.35
                r = ra0 + (s * (ra1 + (s * (ra2 + (s * (ra3 + (s * (ra4 + (s * (ra5 + (s * (ra6 + (s * ra7)))))))))))))
                q = 1.0 + (s * (sa1 + (s * (sa2 + (s * (sa3 + (s * (sa4 + (s * (sa5 + (s * (sa6
                    + (s * (sa7 + (s * sa8)))))))))))))))
            } else {
                if hx < 0 && ix >= 0x4018_0000 { return 2.0 }  // x <= -6: 2 - tiny rounds to 2
                r = rb0 + (s * (rb1 + (s * (rb2 + (s * (rb3 + (s * (rb4 + (s * (rb5 + (s * rb6)))))))))))
                q = 1.0 + (s * (sb1 + (s * (sb2 + (s * (sb3 + (s * (sb4 + (s * (sb5 + (s * (sb6
                    + (s * sb7)))))))))))))
            }
            let z = Double(bitPattern: ax.bitPattern & 0xFFFF_FFFF_0000_0000)
            let e = exp(((-z) * z) - 0.5625) * exp(((z - ax) * (z + ax)) + (r / q))
            if hx > 0 { return e / ax }
            return 2.0 - (e / ax)
        }
        return hx > 0 ? 0.0 : 2.0  // |x| >= 28
    }

    // MARK: - Standard normal distribution

    /// The standard normal cumulative distribution, Φ(x) = erfc(−x/√2) / 2, computed as
    /// `0.5 * erfc(-x / √2)` with √2 the correctly rounded `2.0.squareRoot()` (held as a bit
    /// pattern, so that no build links `sqrt` from libm).
    ///
    /// **Accuracy.** That of `erfc` plus the rounding of `−x/√2` (two correctly rounded
    /// operations), which the steep tail amplifies: the relative error is at most about
    /// `1e-15 + (x² + 2)·2^-52`, i.e. ~2e-15 for |x| ≤ 2, 1.5e-14 at x = −8, 3e-13 near x = −37
    /// (a sweep of 140 000 points measures 9.6e-15 for |x| ≤ 8 and 1.9e-13 at worst).
    ///
    /// **Edge cases.** `normalCDF(NaN) = NaN`, `normalCDF(−∞) = 0`, `normalCDF(+∞) = 1`,
    /// `normalCDF(0) = 0.5`; the result is subnormal below x ≈ −37.52 and 0 below x ≈ −38.49.
    public static func normalCDF(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        return 0.5 * erfc(-x / sqrt2)
    }

    // MARK: - Natural exponential

    /// e^x (fdlibm `e_exp.c`), used by `erfc` and by Black-76's normal density (`Black76`). Reduce `x = k·ln2 + r`, `|r| ≤ ln2/2`, with
    /// `k = trunc(x/ln2 ± 1/2)` and `r = hi − lo` (`hi = x − k·ln2_hi` exact, `lo = k·ln2_lo`), then
    /// the same kernel as `exp2`. Below 1 ulp. Overflow to +∞ above 709.78, 0 below −745.13,
    /// subnormal results within 1 ulp of 2^-1074. Pinned by the committed `exp` vectors.
    public static func exp(_ x: Double) -> Double {
        var x = x
        var hx = highWord(x)
        let negative = hx < 0
        hx &= 0x7FFF_FFFF
        if hx >= 0x4086_2E42 {  // |x| >= 709.78...
            if hx >= 0x7FF0_0000 {
                if x.isNaN { return .nan }
                return negative ? 0.0 : .infinity
            }
            if x > oThreshold { return .infinity }
            if x < uThreshold { return 0.0 }
        }
        var hi = 0.0
        var lo = 0.0
        var k = 0
        if hx > 0x3FD6_2E42 {  // |x| > ln2/2
            if hx < 0x3FF0_A2B2 {  // |x| < 1.5·ln2
                hi = x - (negative ? -ln2Hi : ln2Hi)
                lo = negative ? -ln2Lo : ln2Lo
                k = negative ? -1 : 1
            } else {
                k = Int((invLn2 * x) + (negative ? -0.5 : 0.5))
                let t = Double(k)
                hi = x - (t * ln2Hi)  // exact
                lo = t * ln2Lo
            }
            x = hi - lo
        } else if hx < 0x3E30_0000 {  // |x| < 2^-28
            return 1.0 + x
        }
        let t = x * x
        let c = x - (t * (p1 + (t * (p2 + (t * (p3 + (t * (p4 + (t * p5)))))))))
        if k == 0 { return 1.0 - (((x * c) / (c - 2.0)) - x) }
        let y = 1.0 - ((lo - ((x * c) / (2.0 - c))) - hi)
        return scaled(y, by: k)
    }

    // MARK: - Helpers (exact)

    /// 2^k · e^(hi − lo) for |hi − lo| ≤ ln2/2: fdlibm's rational form of e^r in its primary range.
    private static func expKernel(hi: Double, lo: Double, k: Int) -> Double {
        let r = hi - lo
        let t = r * r
        let c = r - (t * (p1 + (t * (p2 + (t * (p3 + (t * (p4 + (t * p5)))))))))
        let y = 1.0 - ((lo - ((r * c) / (2.0 - c))) - hi)
        return scaled(y, by: k)
    }

    /// `y · 2^k` for y in about [0.7, 1.5] and −1075 ≤ k ≤ 1024: exact when the result is normal,
    /// one rounding when it is subnormal.
    private static func scaled(_ y: Double, by k: Int) -> Double {
        if k >= -1021 {
            if k == 1024 { return (y * 2.0) * powerOfTwo(1023) }
            return y * powerOfTwo(k)
        }
        return (y * powerOfTwo(k + 1000)) * powerOfTwo(-1000)
    }

    /// 2^n for −1022 ≤ n ≤ 1023, from its bit pattern.
    private static func powerOfTwo(_ n: Int) -> Double {
        Double(bitPattern: UInt64(1023 + n) << 52)
    }

    /// Veltkamp's split of a into a 26-bit high part and the exact remainder.
    private static func split(_ a: Double) -> (hi: Double, lo: Double) {
        let c = splitter * a
        let hi = c - (c - a)
        return (hi, a - hi)
    }

    /// Dekker's exact product without FMA: a·b = product + error exactly (barring under/overflow).
    static func twoProduct(_ a: Double, _ b: Double) -> (product: Double, error: Double) {
        let p = a * b
        let (ah, al) = split(a)
        let (bh, bl) = split(b)
        let e = ((((ah * bh) - p) + (ah * bl)) + (al * bh)) + (al * bl)
        return (p, e)
    }

    /// The upper 32 bits of x's bit pattern as a signed integer (fdlibm's `__HI`).
    private static func highWord(_ x: Double) -> Int {
        Int(Int32(truncatingIfNeeded: x.bitPattern >> 32))
    }

    /// x with the upper 32 bits of its bit pattern replaced by `high` (fdlibm's `SET_HIGH_WORD`).
    private static func withHighWord(_ x: Double, _ high: Int) -> Double {
        Double(bitPattern: (UInt64(UInt32(truncatingIfNeeded: high)) << 32) | (x.bitPattern & 0xFFFF_FFFF))
    }

    // MARK: - Constants (bit patterns; fdlibm's decimal values alongside)

    private static let two54 = Double(bitPattern: 0x4350_0000_0000_0000)  // 2^54
    private static let ln2Hi = Double(bitPattern: 0x3FE6_2E42_FEE0_0000)  // 6.93147180369123816490e-01
    private static let ln2Lo = Double(bitPattern: 0x3DEA_39EF_3579_3C76)  // 1.90821492927058770002e-10
    private static let oneThird = Double(bitPattern: 0x3FD5_5555_5555_5555)  // 0.33333333333333333
    private static let lg1 = Double(bitPattern: 0x3FE5_5555_5555_5593)  // 6.666666666666735130e-01
    private static let lg2 = Double(bitPattern: 0x3FD9_9999_9997_FA04)  // 3.999999999940941908e-01
    private static let lg3 = Double(bitPattern: 0x3FD2_4924_9422_9359)  // 2.857142874366239149e-01
    private static let lg4 = Double(bitPattern: 0x3FCC_71C5_1D8E_78AF)  // 2.222219843214978396e-01
    private static let lg5 = Double(bitPattern: 0x3FC7_4664_96CB_03DE)  // 1.818357216161805012e-01
    private static let lg6 = Double(bitPattern: 0x3FC3_9A09_D078_C69F)  // 1.531383769920937332e-01
    private static let lg7 = Double(bitPattern: 0x3FC2_F112_DF3E_5244)  // 1.479819860511658591e-01

    private static let oThreshold = Double(bitPattern: 0x4086_2E42_FEFA_39EF)  // 7.09782712893383973096e+02
    private static let uThreshold = Double(bitPattern: 0xC087_4910_D52D_3051)  // -7.45133219101941108420e+02
    private static let invLn2 = Double(bitPattern: 0x3FF7_1547_652B_82FE)  // 1.44269504088896338700e+00
    private static let p1 = Double(bitPattern: 0x3FC5_5555_5555_553E)  // 1.66666666666666019037e-01
    private static let p2 = Double(bitPattern: 0xBF66_C16C_16BE_BD93)  // -2.77777777770155933842e-03
    private static let p3 = Double(bitPattern: 0x3F11_566A_AF25_DE2C)  // 6.61375632143793436117e-05
    private static let p4 = Double(bitPattern: 0xBEBB_BD41_C5D2_6BF1)  // -1.65339022054652515390e-06
    private static let p5 = Double(bitPattern: 0x3E66_3769_72BE_A4D0)  // 4.13813679705723846039e-08

    private static let ln2 = Double(bitPattern: 0x3FE6_2E42_FEFA_39EF)  // ln 2 rounded, 6.93147180559945286227e-01
    private static let ln2Tail = Double(bitPattern: 0x3C7A_BC9E_3B39_803F)  // ln 2 − ln2, 2.3190468138462996e-17
    private static let sqrt2 = Double(bitPattern: 0x3FF6_A09E_667F_3BCD)  // 2.0.squareRoot(), 1.4142135623730951
    private static let splitter = 134_217_729.0  // 2^27 + 1
    private static let roundingShifter = 6_755_399_441_055_744.0  // 1.5 · 2^52

    private static let erx = Double(bitPattern: 0x3FEB_0AC1_6000_0000)  // 8.45062911510467529297e-01
    private static let pp0 = Double(bitPattern: 0x3FC0_6EBA_8214_DB68)  // 1.28379167095512558561e-01
    private static let pp1 = Double(bitPattern: 0xBFD4_CD7D_691C_B913)  // -3.25042107247001499370e-01
    private static let pp2 = Double(bitPattern: 0xBF9D_2A51_DBD7_194F)  // -2.84817495755985104766e-02
    private static let pp3 = Double(bitPattern: 0xBF77_A291_2366_68E4)  // -5.77027029648944159157e-03
    private static let pp4 = Double(bitPattern: 0xBEF8_EAD6_1200_16AC)  // -2.37630166566501626084e-05
    private static let qq1 = Double(bitPattern: 0x3FD9_7779_CDDA_DC09)  // 3.97917223959155352819e-01
    private static let qq2 = Double(bitPattern: 0x3FB0_A54C_5536_CEBA)  // 6.50222499887672944485e-02
    private static let qq3 = Double(bitPattern: 0x3F74_D022_C4D3_6B0F)  // 5.08130628187576562776e-03
    private static let qq4 = Double(bitPattern: 0x3F21_5DC9_221C_1A10)  // 1.32494738004321644526e-04
    private static let qq5 = Double(bitPattern: 0xBED0_9C43_42A2_6120)  // -3.96022827877536812320e-06
    private static let pa0 = Double(bitPattern: 0xBF63_59B8_BEF7_7538)  // -2.36211856075265944077e-03
    private static let pa1 = Double(bitPattern: 0x3FDA_8D00_AD92_B34D)  // 4.14856118683748331666e-01
    private static let pa2 = Double(bitPattern: 0xBFD7_D240_FBB8_C3F1)  // -3.72207876035701323847e-01
    private static let pa3 = Double(bitPattern: 0x3FD4_5FCA_8051_20E4)  // 3.18346619901161753674e-01
    private static let pa4 = Double(bitPattern: 0xBFBC_6398_3D3E_28EC)  // -1.10894694282396677476e-01
    private static let pa5 = Double(bitPattern: 0x3FA2_2A36_5997_95EB)  // 3.54783043256182359371e-02
    private static let pa6 = Double(bitPattern: 0xBF61_BF38_0A96_073F)  // -2.16637559486879084300e-03
    private static let qa1 = Double(bitPattern: 0x3FBB_3E66_18EE_E323)  // 1.06420880400844228286e-01
    private static let qa2 = Double(bitPattern: 0x3FE1_4AF0_92EB_6F33)  // 5.40397917702171048937e-01
    private static let qa3 = Double(bitPattern: 0x3FB2_635C_D99F_E9A7)  // 7.18286544141962662868e-02
    private static let qa4 = Double(bitPattern: 0x3FC0_2660_E763_351F)  // 1.26171219808761642112e-01
    private static let qa5 = Double(bitPattern: 0x3F8B_EDC2_6B51_DD1C)  // 1.36370839120290507362e-02
    private static let qa6 = Double(bitPattern: 0x3F88_8B54_5735_151D)  // 1.19844998467991074170e-02
    private static let ra0 = Double(bitPattern: 0xBF84_3412_600D_6435)  // -9.86494403484714822705e-03
    private static let ra1 = Double(bitPattern: 0xBFE6_3416_E4BA_7360)  // -6.93858572707181764372e-01
    private static let ra2 = Double(bitPattern: 0xC025_1E04_41B0_E726)  // -1.05586262253232909814e+01
    private static let ra3 = Double(bitPattern: 0xC04F_300A_E4CB_A38D)  // -6.23753324503260060396e+01
    private static let ra4 = Double(bitPattern: 0xC064_4CB1_8428_2266)  // -1.62396669462573470355e+02
    private static let ra5 = Double(bitPattern: 0xC067_135C_EBCC_ABB2)  // -1.84605092906711035994e+02
    private static let ra6 = Double(bitPattern: 0xC054_5265_57E4_D2F2)  // -8.12874355063065934246e+01
    private static let ra7 = Double(bitPattern: 0xC023_A0EF_C69A_C25C)  // -9.81432934416914548592e+00
    private static let sa1 = Double(bitPattern: 0x4033_A6B9_BD70_7687)  // 1.96512716674392571292e+01
    private static let sa2 = Double(bitPattern: 0x4061_350C_526A_E721)  // 1.37657754143519042600e+02
    private static let sa3 = Double(bitPattern: 0x407B_290D_D58A_1A71)  // 4.34565877475229228821e+02
    private static let sa4 = Double(bitPattern: 0x4084_2B19_21EC_2868)  // 6.45387271733267880336e+02
    private static let sa5 = Double(bitPattern: 0x407A_D021_5770_0314)  // 4.29008140027567833386e+02
    private static let sa6 = Double(bitPattern: 0x405B_28A3_EE48_AE2C)  // 1.08635005541779435134e+02
    private static let sa7 = Double(bitPattern: 0x401A_47EF_8E48_4A93)  // 6.57024977031928170135e+00
    private static let sa8 = Double(bitPattern: 0xBFAE_EFF2_EE74_9A62)  // -6.04244152148580987438e-02
    private static let rb0 = Double(bitPattern: 0xBF84_3412_39E8_6F4A)  // -9.86494292470009928597e-03
    private static let rb1 = Double(bitPattern: 0xBFE9_93BA_70C2_85DE)  // -7.99283237680523006574e-01
    private static let rb2 = Double(bitPattern: 0xC031_C209_555F_995A)  // -1.77579549177547519889e+01
    private static let rb3 = Double(bitPattern: 0xC064_145D_43C5_ED98)  // -1.60636384855821916062e+02
    private static let rb4 = Double(bitPattern: 0xC083_EC88_1375_F228)  // -6.37566443368389627722e+02
    private static let rb5 = Double(bitPattern: 0xC090_0461_6A2E_5992)  // -1.02509513161107724954e+03
    private static let rb6 = Double(bitPattern: 0xC07E_384E_9BDC_383F)  // -4.83519191608651397019e+02
    private static let sb1 = Double(bitPattern: 0x403E_568B_261D_5190)  // 3.03380607434824582924e+01
    private static let sb2 = Double(bitPattern: 0x4074_5CAE_221B_9F0A)  // 3.25792512996573918826e+02
    private static let sb3 = Double(bitPattern: 0x4098_02EB_189D_5118)  // 1.53672958608443695994e+03
    private static let sb4 = Double(bitPattern: 0x40A8_FFB7_688C_246A)  // 3.19985821950859553908e+03
    private static let sb5 = Double(bitPattern: 0x40A3_F219_CEDF_3BE6)  // 2.55305040643316442583e+03
    private static let sb6 = Double(bitPattern: 0x407D_A874_E79F_E763)  // 4.74528541206955367215e+02
    private static let sb7 = Double(bitPattern: 0xC036_70E2_4271_2D62)  // -2.24409524465858183362e+01
}
