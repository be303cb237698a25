/// Curve's LLAMMA in the contract's own arithmetic: every quantity a `UInt256` in wei (1e18 fixed
/// point for prices and fees), every operation the one AMM.vy performs, in its order, with its
/// truncation (all divisions round down unless the contract adds a wei) and its reverts (checked
/// `+ - * /` throw `bands.arithmetic_overflow`; `unsafe_…` wrap as on chain). Both tokens have 18
/// decimals (`BORROWED_PRECISION = COLLATERAL_PRECISION = 1`); time is `block.timestamp` in seconds.
///
/// Beside the float `BandedAMM`: use this one when the wei matter (dust deciding the active band,
/// reproducing a chain state, auditing a bot); the float model for fast what-ifs and simulation.
/// Every mutating operation either completes or throws and leaves the AMM as it was.
public struct ExactAMM: Sendable {
    public static let deadShares: UInt256 = 1000
    static let maxTicks = 50
    static let maxSkipTicks = 1024
    /// `PREV_P_O_DELAY`: seconds over which the oracle-change fee decays.
    static let oracleDelay: UInt256 = 120
    /// `MAX_P_O_CHG` = 1.25e18: the largest oracle ratio accepted within the window.
    static let maxOracleChange: UInt256 = 1_250_000_000_000_000_000
    static let wad = UInt256.wad
    static let wad2 = UInt256.wad.uMul(.wad)

    public let version: ContractVersion
    public let a: UInt256
    let aMinus1: UInt256
    let a2: UInt256
    let aMinus12: UInt256
    /// Band 0's upper oracle price at rate multiplier 1 (`BASE_PRICE`).
    public let basePrice: UInt256
    /// `SQRT_BAND_RATIO` = isqrt(1e36·A/(A − 1)).
    public let sqrtBandRatio: UInt256
    /// `LOG_A_RATIO` = ln(A/(A − 1))·1e18 (classic: the factory's `ln_int`; head: snekmate's `wad_ln`).
    public let logARatio: Int256
    /// `MAX_ORACLE_DN_POW` = (A/(A − 1))^50·1e18, rounded down at each of the 50 steps.
    let maxOracleDownPow: UInt256

    public private(set) var fee: UInt256
    public private(set) var adminFee: UInt256
    public private(set) var rate: UInt256 = .zero
    public private(set) var rateTime: UInt256 = .zero
    public private(set) var rateMul: UInt256 = .wad

    public internal(set) var activeBand = 0
    public internal(set) var minBand = 0
    public internal(set) var maxBand = 0
    public internal(set) var bandsX: [Int: UInt256] = [:]
    public internal(set) var bandsY: [Int: UInt256] = [:]
    public internal(set) var totalShares: [Int: UInt256] = [:]
    public internal(set) var users: [String: ExactUserShares] = [:]
    public internal(set) var adminFeesX: UInt256 = .zero
    public internal(set) var adminFeesY: UInt256 = .zero

    /// What the external oracle reports (`price()` / `price_w()`).
    public private(set) var externalPrice: UInt256
    /// `old_p_o`, `old_dfee`, `prev_p_o_time`: stored at each exchange.
    public internal(set) var storedOraclePrice: UInt256
    public internal(set) var storedDynamicFee: UInt256 = .zero
    public internal(set) var storedOracleTime: UInt256
    /// `block.timestamp`, seconds.
    public private(set) var now: UInt256

    /// Deploys the AMM as the factory does: sqrt_band_ratio = isqrt(A_ratio·1e18) and log_A_ratio from
    /// A_ratio = 1e18·A/(A − 1) (both rounded down), the oracle read once, `rate_mul` = 1e18.
    public init(version: ContractVersion, a: Int, basePrice: UInt256, fee: UInt256, adminFee: UInt256 = .zero,
                oraclePrice: UInt256, now: UInt256) throws(BandsError) {
        guard a >= BandsLimits.minimumA, a <= BandsLimits.maximumA else {
            throw BandsError("bands.invalid_amplification", "A must be between \(BandsLimits.minimumA) and \(BandsLimits.maximumA); got \(a).")
        }
        let amp = UInt256(UInt64(a))
        // Fee bounds of the head constructor (the classic factory enforces the same): 1e-12 ≤ fee ≤ min(4/A, 10 %).
        let maxFee = Swift.min(UInt256.wad.uMul(4).uDiv(amp), UInt256(100_000_000_000_000_000 as UInt64))
        guard fee >= UInt256(1_000_000 as UInt64), fee <= maxFee else {
            throw BandsError("bands.invalid_fee", "fee is out of bounds: it must be between 1e-12 and min(4/A, 0.1) = \(WeiDecimal.text(maxFee)); got \(WeiDecimal.text(fee)).")
        }
        guard version == .classic || adminFee.isZero else {
            throw BandsError("bands.invalid_fee", "the head AMM has no admin fee; leave admin_fee out or 0.")
        }
        guard adminFee <= .wad else { throw BandsError("bands.invalid_fee", "admin_fee is a share of the fee, at most 1; got \(WeiDecimal.text(adminFee)).") }
        guard !basePrice.isZero, !oraclePrice.isZero else { throw BandsError("bands.invalid_price", "base_price and oracle_price must be positive.") }
        self.version = version
        self.a = amp
        aMinus1 = amp.uSub(1)
        a2 = amp.uMul(amp)
        aMinus12 = aMinus1.uMul(aMinus1)
        self.basePrice = basePrice
        self.fee = fee
        self.adminFee = adminFee
        externalPrice = oraclePrice
        storedOraclePrice = oraclePrice
        storedOracleTime = now
        self.now = now
        let ratio = UInt256.wad.uMul(amp).uDiv(aMinus1)
        sqrtBandRatio = ratio.uMul(.wad).squareRoot()
        switch version {
        case .classic: logARatio = ExactMath.factoryLn(ratio)
        case .head: logARatio = try ExactMath.wadLn(Int256(bits: ratio))
        }
        var pow = UInt256.wad
        for _ in 0..<50 { pow = try pow.times(amp).uDiv(aMinus1) }
        maxOracleDownPow = pow
    }

    // MARK: Time, oracle, rate

    /// Moves `block.timestamp` forward (never back).
    public mutating func advance(to seconds: UInt256) throws(BandsError) {
        guard seconds >= now else {
            throw BandsError("bands.time_backwards", "ts \(seconds) s is before the AMM's current time \(now) s; operations must come in time order.")
        }
        now = seconds
    }

    /// Sets what the external oracle reports (the AMM limits it when it reads it).
    public mutating func setOracle(price: UInt256) throws(BandsError) {
        guard !price.isZero else { throw BandsError("bands.invalid_price", "the oracle price must be positive.") }
        externalPrice = price
    }

    /// `limit_p_o(p)`: within 120 s of the last exchange (dt = 120 − elapsed), ratio r = min/max of
    /// p and old_p_o as ⌊1e18·min/max⌋; below 0.8e18 (= 1e36/1.25e18) the price is capped at
    /// ⌊old·1.25⌋ or ⌊old/1.25⌋ and r = 0.8e18. Fee = min(⌊(1e18 + old_dfee − ⌊r³/1e36⌋)·dt/120⌋,
    /// 1e18 − 1) (unchecked arithmetic, as in the contract). Outside the window: (p, 0).
    public func limitedOracle() throws(BandsError) -> (price: UInt256, dynamicFee: UInt256) {
        let p = externalPrice
        var limited = p
        let elapsed = try now.minus(storedOracleTime)
        let dt = Self.oracleDelay.uSub(Swift.min(Self.oracleDelay, elapsed))
        var ratio = UInt256.zero
        guard !dt.isZero else { return (p, .zero) }
        let old = storedOraclePrice
        let floorRatio = Self.wad2.uDiv(Self.maxOracleChange)
        if p > old {
            ratio = try old.times(Self.wad).uDiv(p)
            if ratio < floorRatio {
                limited = try old.times(Self.maxOracleChange).uDiv(Self.wad)
                ratio = floorRatio
            }
        } else {
            ratio = try p.times(Self.wad).uDiv(old)
            if ratio < floorRatio {
                limited = try old.times(Self.wad).uDiv(Self.maxOracleChange)
                ratio = floorRatio
            }
        }
        let cube = ratio.uMul(ratio).uMul(ratio).uDiv(Self.wad2)
        let changeFee = Self.wad.uAdd(storedDynamicFee).uSub(cube).uMul(dt).uDiv(Self.oracleDelay)
        return (limited, Swift.min(changeFee, Self.wad.uSub(1)))
    }

    /// `price_oracle()`: the limited oracle price.
    public func priceOracle() throws(BandsError) -> UInt256 { try limitedOracle().price }

    /// `dynamic_fee()`: max(fee, the oracle-change fee).
    public func dynamicFee() throws(BandsError) -> UInt256 { Swift.max(fee, try limitedOracle().dynamicFee) }

    /// `_price_oracle_w`: reads the limited oracle and stores price, fee and time.
    mutating func writeOracle(_ limited: (price: UInt256, dynamicFee: UInt256)) {
        storedOracleTime = now
        storedOraclePrice = limited.price
        storedDynamicFee = limited.dynamicFee
    }

    /// `get_dynamic_fee(p_o, p_o_up)`: with p_cd = ⌊⌊p_o²/p_up⌋·p_o/p_up⌋ and p_cu = p_cd·(A/(A−1))²
    /// (two floored steps), ⌊(p_cd − p_o)·0.25e18/p_cd⌋ below the band, ⌊(p_o − p_cu)·0.25e18/p_o⌋
    /// above it, 0 inside.
    func bandDistanceFee(oraclePrice po: UInt256, pOracleUp pUp: UInt256) throws(BandsError) -> UInt256 {
        let pcd = try po.times(po).uDiv(pUp).times(po).uDiv(pUp)
        let pcu = try pcd.times(a).uDiv(aMinus1).times(a).uDiv(aMinus1)
        let quarter = UInt256(250_000_000_000_000_000 as UInt64)
        if po < pcd { return try pcd.uSub(po).times(quarter).uDiv(pcd) }
        if po > pcu { return try po.uSub(pcu).times(quarter).uDiv(po) }
        return .zero
    }

    /// `_rate_mul()` = ⌊rate_mul·(1e18 + rate·(t − rate_time))/1e18⌋.
    public func currentRateMultiplier() throws(BandsError) -> UInt256 {
        try rateMul.times(Self.wad.plus(rate.times(now.minus(rateTime)))).uDiv(Self.wad)
    }

    /// `set_rate(rate)`: accrues the multiplier so far, then the new rate (1e18 = 100 % per second) applies.
    public mutating func setRate(_ newRate: UInt256) throws(BandsError) {
        let accrued = try currentRateMultiplier()
        rateMul = accrued
        rateTime = now
        rate = newRate
    }

    /// `_base_price()` = ⌊BASE_PRICE·rate_mul/1e18⌋.
    public func currentBasePrice() throws(BandsError) -> UInt256 { try basePrice.times(currentRateMultiplier()).uDiv(Self.wad) }

    /// `_p_oracle_up(n)` = ⌊base_price·exp(−n·LOG_A_RATIO)/1e18⌋, the exp being the version's
    /// (classic inline / snekmate `wad_exp`); reverts unless the exp exceeds 1000.
    public func pOracleUp(_ n: Int) throws(BandsError) -> UInt256 {
        let power = Int256(-n).wrappingMultiplied(by: logARatio)
        let exp: UInt256
        switch version {
        case .classic: exp = try ExactMath.classicExp(power)
        case .head: exp = try ExactMath.wadExp(power).bits
        }
        guard exp > UInt256(1000 as UInt64) else {
            throw BandsError("bands.band_out_of_range", "band \(n) is too far from the base price (the contract limits the multiplier's precision).")
        }
        return try currentBasePrice().times(exp).uDiv(Self.wad)
    }

    public func x(_ n: Int) -> UInt256 { bandsX[n] ?? .zero }
    public func y(_ n: Int) -> UInt256 { bandsY[n] ?? .zero }

    // MARK: The band's curve

    /// `_get_y0(x, y, p_o, p_up)`: the positive root of p_o·A·y0² − y0·b − x·y = 0 with
    /// b = ⌊p_up·(A−1)·x/p_o⌋ + ⌊⌊A·p_o²/p_up⌋·y/1e18⌋; y0 = ⌊(b + ⌊√D⌋)·1e18/(2·A·p_o)⌋,
    /// D = b² + ⌊4·A·p_o·y/1e18⌋·x; with x or y zero, y0 = ⌊b·1e18/(A·p_o)⌋. Rounds down.
    func y0(x: UInt256, y: UInt256, oraclePrice po: UInt256, pOracleUp pUp: UInt256) throws(BandsError) -> UInt256 {
        guard !po.isZero else { throw BandsError("bands.invalid_price", "the oracle price is 0 (the contract asserts p_o != 0).") }
        var b = UInt256.zero
        if !x.isZero { b = try pUp.times(aMinus1).times(x).uDiv(po) }
        if !y.isZero { b = try b.plus(a.times(po.times(po)).over(pUp).times(y).uDiv(Self.wad)) }
        if !x.isZero && !y.isZero {
            let d = try b.times(b).plus(UInt256(4 as UInt64).uMul(a).times(po).times(y).uDiv(Self.wad).times(x))
            return try b.plus(d.squareRoot()).times(Self.wad).uDiv(UInt256(2 as UInt64).uMul(a).uMul(po))
        }
        return try b.times(Self.wad).uDiv(a.uMul(po))
    }

    /// `_get_p(n, x, y)`: the AMM price in band n. Empty: ⌊p_cd·A/(A−1)⌋ (mid-band); only y: p_cd =
    /// ⌊⌊p_o²/p_up⌋·p_o/p_up⌋; only x: the same with p_down = ⌊p_up·(A−1)/A⌋; else
    /// (f + x·1e18)/(g + y) with f = ⌊A·y0·p_o/p_up⌋·p_o, g = ⌊(A−1)·y0·p_up/p_o⌋. Rounds down.
    func price(band n: Int, x: UInt256, y: UInt256) throws(BandsError) -> UInt256 {
        var pUp = try pOracleUp(n)
        let po = try priceOracle()
        if x.isZero {
            let pcd = try po.times(po).uDiv(pUp).times(po).uDiv(pUp)
            return y.isZero ? try pcd.times(a).uDiv(aMinus1) : pcd
        }
        if y.isZero {
            pUp = try pUp.times(aMinus1).uDiv(a)
            return try po.times(po).over(pUp).times(po).uDiv(pUp)
        }
        let y0 = try y0(x: x, y: y, oraclePrice: po, pOracleUp: pUp)
        let f = try a.times(y0).times(po).uDiv(pUp).times(po)
        let g = try aMinus1.times(y0).times(pUp).uDiv(po)
        return try f.plus(x.times(Self.wad)).over(g.plus(y))
    }

    /// `get_p()`: the price in the active band.
    public func price() throws(BandsError) -> UInt256 { try price(band: activeBand, x: x(activeBand), y: y(activeBand)) }
}
