import Foundation

/// Curve's LLAMMA as the contract runs it (crvUSD `AMM.vy`, the 0.3.10/0.4 formulas), in binary64:
/// collateral (y, coin 1) deposited over price bands, bought and sold against the borrowed coin
/// (x, coin 0) by arbitrageurs as the oracle price moves, which *is* the soft liquidation.
///
/// Pure: no clock, no I/O. Time arrives with each operation as milliseconds (`nowMs`); every
/// operation validates its input before changing anything, and throws `BandsError` otherwise.
///
/// Numbers are binary64 coin amounts and prices. The contract works in 1e18 fixed point and rounds
/// every step down; where it adds a wei (the +1 of share withdrawals, the 1000 dead shares, the
/// minimum 1-wei trade per band) the same quantities appear here as 1e-18 coin (except where the
/// contract's floor division removes them again), so results agree
/// with the contract to ~1e-15 relative (validated against `contract-steps-0-8.json`).
public struct BandedAMM: Sendable {
    /// Shares that are never owned (protect the first depositor from rounding attacks), in share units.
    public static let deadShares = 1000.0
    /// Seconds over which the oracle-change fee decays to zero (`PREV_P_O_DELAY`).
    public static let oracleFeeDecaySeconds = 120.0
    /// Largest oracle move accepted within the decay window: ×1.25 or ÷1.25 (`MAX_P_O_CHG`).
    public static let maximumOracleChange = 1.25
    /// Bands one exchange may cross after the first non-empty one (`MAX_TICKS`).
    public static let maximumTicks = 50
    /// Empty bands an exchange may skip (`MAX_SKIP_TICKS`).
    public static let maximumSkipTicks = 1024
    /// One wei of an 18-decimal coin.
    static let wei = 1e-18

    public let grid: BandGrid
    public var a: Int { grid.a }
    /// Base fee (fraction of the input kept by the band).
    public private(set) var fee: Double

    /// Time of the last operation, ms.
    public private(set) var nowMs: Int64
    /// Price reported by the external oracle (before the AMM limits it).
    public private(set) var externalOraclePrice: Double
    /// Oracle price and fee stored at the last exchange (`old_p_o`, `old_dfee`) and its time.
    public private(set) var storedOraclePrice: Double
    public private(set) var storedDynamicFee: Double = 0
    public private(set) var storedOracleTimeMs: Int64

    /// Interest: rate per second and the multiplier m(t) = m₀ + rate·(t − t₀) (crvUSD's linear form).
    public private(set) var rate: Double = 0
    public private(set) var rateMultiplierAtRateTime: Double = 1
    public private(set) var rateTimeMs: Int64

    public internal(set) var activeBand = 0
    public internal(set) var minBand = 0
    public internal(set) var maxBand = 0
    public internal(set) var bandsX: [Int: Double] = [:]
    public internal(set) var bandsY: [Int: Double] = [:]
    public private(set) var totalShares: [Int: Double] = [:]
    public private(set) var deposits: [String: UserDeposit] = [:]

    /// A new AMM with base price `basePrice` at band 0 and the oracle at `oraclePrice`, at time `nowMs`.
    public init(a: Int, basePrice: Double, fee: Double, oraclePrice: Double, nowMs: Int64) throws(BandsError) {
        try BandsLimits.validate(a: a, bands: nil, fee: fee)
        guard basePrice.isFinite, basePrice > 0 else { throw BandsError("bands.invalid_price", "base_price must be a positive number; got \(basePrice).") }
        guard oraclePrice.isFinite, oraclePrice > 0 else { throw BandsError("bands.invalid_price", "oracle_price must be a positive number; got \(oraclePrice).") }
        grid = BandGrid(a: a, basePrice: basePrice)
        self.fee = fee
        self.nowMs = nowMs
        externalOraclePrice = oraclePrice
        storedOraclePrice = oraclePrice
        storedOracleTimeMs = nowMs
        rateTimeMs = nowMs
    }

    // MARK: Time, oracle, fees

    /// Moves the clock to `timeMs`; time never runs backwards.
    public mutating func advance(to timeMs: Int64?) throws(BandsError) {
        guard let timeMs else { return }
        guard timeMs >= nowMs else {
            throw BandsError("bands.time_backwards", "ts \(timeMs) is before the AMM's current time \(nowMs); operations must come in time order.")
        }
        nowMs = timeMs
    }

    /// Sets the external oracle price (the AMM applies its own limit when it reads it).
    public mutating func setOracle(price: Double, timeMs: Int64?) throws(BandsError) {
        guard price.isFinite, price > 0 else { throw BandsError("bands.invalid_price", "the oracle price must be a positive number; got \(price).") }
        try advance(to: timeMs)
        externalOraclePrice = price
    }

    /// The oracle price the AMM uses and its oracle-change fee (`limit_p_o`): within 120 s of the last
    /// exchange, dt = 120 − elapsed seconds; r = min/max(p, stored p) limited to 1/1.25 (the price is
    /// then capped at stored·1.25 or stored/1.25) and fee = min((stored fee + 1 − r³)·dt/120, 1 − 1e-18).
    /// Outside the window the price passes through with fee 0.
    public func limitedOracle() -> (price: Double, dynamicFee: Double) {
        let elapsed = Double(nowMs - storedOracleTimeMs) / 1000
        let dt = Self.oracleFeeDecaySeconds - Swift.min(Self.oracleFeeDecaySeconds, elapsed)
        guard dt > 0 else { return (externalOraclePrice, 0) }
        var price = externalOraclePrice
        var ratio: Double
        if price > storedOraclePrice {
            ratio = storedOraclePrice / price
            if ratio < 1 / Self.maximumOracleChange {
                price = storedOraclePrice * Self.maximumOracleChange
                ratio = 1 / Self.maximumOracleChange
            }
        } else {
            ratio = price / storedOraclePrice
            if ratio < 1 / Self.maximumOracleChange {
                price = storedOraclePrice / Self.maximumOracleChange
                ratio = 1 / Self.maximumOracleChange
            }
        }
        let changeFee = (1 + storedDynamicFee - ratio * ratio * ratio) * dt / Self.oracleFeeDecaySeconds
        return (price, Swift.min(changeFee, 1 - Self.wei))
    }

    /// The oracle price the AMM uses now.
    public var oraclePrice: Double { limitedOracle().price }

    /// The fee an exchange would start from now: max(base fee, oracle-change fee).
    public var dynamicFee: Double { Swift.max(fee, limitedOracle().dynamicFee) }

    /// Reads the oracle for an exchange and stores price, fee and time (`_price_oracle_w`).
    mutating func writeOracle() -> (price: Double, dynamicFee: Double) {
        let limited = limitedOracle()
        storedOracleTimeMs = nowMs
        storedOraclePrice = limited.price
        storedDynamicFee = limited.dynamicFee
        return limited
    }

    /// Band-distance fee (`get_dynamic_fee`): with p_cd = p_o³/p_up² and p_cu = p_cd·(A/(A − 1))²,
    /// (p_cd − p_o)/(4·p_cd) when p_o < p_cd, (p_o − p_cu)/(4·p_o) when p_o > p_cu, else 0.
    func bandDistanceFee(oraclePrice po: Double, pOracleUp pUp: Double) -> Double {
        let amp = Double(a)
        let pCurrentDown = po * po / pUp * po / pUp
        let pCurrentUp = pCurrentDown * amp / (amp - 1) * amp / (amp - 1)
        if po < pCurrentDown { return (pCurrentDown - po) / 4 / pCurrentDown }
        if po > pCurrentUp { return (po - pCurrentUp) / 4 / po }
        return 0
    }

    /// Interest multiplier of the base price now: m₀ + rate·(t − t_rate) (seconds).
    public var rateMultiplier: Double { rateMultiplierAtRateTime + rate * Double(nowMs - rateTimeMs) / 1000 }

    /// Sets the interest rate (fraction per second) from now on; the multiplier accrued so far is kept.
    public mutating func setRate(_ newRate: Double, timeMs: Int64?) throws(BandsError) {
        guard newRate.isFinite, newRate >= 0, newRate < 1e-6 else {
            throw BandsError("bands.invalid_rate", "the rate is a fraction per second in [0, 1e-6) (1e-6/s ≈ 3,150 % a year); got \(newRate).")
        }
        try advance(to: timeMs)
        rateMultiplierAtRateTime = rateMultiplier
        rateTimeMs = nowMs
        rate = newRate
    }

    /// Upper oracle edge of band n at the current rate multiplier.
    public func pOracleUp(_ n: Int) -> Double { grid.pOracleUp(n, rateMultiplier: rateMultiplier) }

    public func x(_ n: Int) -> Double { bandsX[n] ?? 0 }
    public func y(_ n: Int) -> Double { bandsY[n] ?? 0 }

    /// AMM price in the active band (`get_p`).
    public var price: Double {
        BandInvariant.price(x: x(activeBand), y: y(activeBand), oraclePrice: oraclePrice, pOracleUp: pOracleUp(activeBand), a: a)
    }

    // MARK: Liquidity

    /// Deposits `amount` collateral for `user` evenly over bands n1…n2 (`deposit_range`): the first band
    /// takes the rounding remainder; each band mints ds = (S + 1000)·y/(Y + 1 wei) shares. Refused when
    /// the user already has liquidity, the range is not 1…50 bands, the amount is too small, or a band
    /// in the range holds borrowed coin (deposit below the current band). Bands at or above the active
    /// band must be empty; the active band then moves just above n1.
    public mutating func deposit(user: String, amount: Double, n1: Int, n2: Int, timeMs: Int64? = nil) throws(BandsError) {
        guard !user.isEmpty else { throw BandsError("bands.invalid_user", "a deposit needs a non-empty user name.") }
        guard amount.isFinite, amount > 0 else { throw BandsError("bands.invalid_amount", "the deposit amount must be a positive number; got \(amount).") }
        guard n1 <= n2 else { throw BandsError("bands.invalid_range", "n1 (\(n1)) must not be above n2 (\(n2)).") }
        let count = n2 - n1 + 1
        guard count <= Self.maximumTicks else { throw BandsError("bands.invalid_range", "a deposit spans at most \(Self.maximumTicks) bands; n1…n2 spans \(count).") }
        let perBand = amount / Double(count)
        guard perBand > 100 * Self.wei else { throw BandsError("bands.amount_too_low", "the amount per band must exceed 100 wei; deposit more or over fewer bands.") }
        guard deposits[user] == nil else { throw BandsError("bands.user_has_liquidity", "user \(user) already has a deposit; withdraw it fully before depositing again.") }
        if let timeMs, timeMs < nowMs { throw BandsError("bands.time_backwards", "ts \(timeMs) is before the AMM's current time \(nowMs).") }
        var newActive = activeBand
        var skipped = 0
        while n1 <= newActive {
            guard x(newActive) == 0, skipped < Self.maximumSkipTicks else {
                throw BandsError("bands.deposit_below_current_band", "Deposit below current band: band \(newActive) holds borrowed coin; deposit into bands above \(activeBand) only (higher numbers, lower prices).")
            }
            newActive -= 1
            skipped += 1
        }
        for band in n1...n2 where x(band) != 0 {
            throw BandsError("bands.band_not_empty", "band \(band) holds borrowed coin; a deposit goes only into bands of pure collateral.")
        }
        try advance(to: timeMs)
        activeBand = newActive
        var userShares: [Double] = []
        for (index, band) in (n1...n2).enumerated() {
            let bandY = index == 0 ? amount - perBand * Double(count - 1) : perBand
            let totalY = y(band)
            let shares = totalShares[band] ?? 0
            let minted = (shares + Self.deadShares) * (bandY / Self.wei) / (totalY / Self.wei + 1)
            userShares.append(minted)
            totalShares[band] = shares + minted
            bandsY[band] = totalY + bandY
        }
        deposits[user] = UserDeposit(n1: n1, n2: n2, shares: userShares)
        minBand = Swift.min(minBand, n1)
        maxBand = Swift.max(maxBand, n2)
    }

    /// Withdraws fraction `fraction` (0 < f ≤ 1) of `user`'s shares (`withdraw`): each band pays
    /// X·ds/(S + 1000) of each coin (the contract's +1 wei only moves its floored last wei); the last
    /// shareholder leaves the dust. Returns [x, y].
    @discardableResult
    public mutating func withdraw(user: String, fraction: Double, timeMs: Int64? = nil) throws(BandsError) -> (x: Double, y: Double) {
        guard fraction.isFinite, fraction > 0 else { throw BandsError("bands.invalid_fraction", "frac must be in (0, 1]; got \(fraction).") }
        guard fraction <= 1 else { throw BandsError("bands.withdraw_exceeds_deposit", "frac \(fraction) is more than the user has; the most is 1 (everything).") }
        guard var deposit = deposits[user] else { throw BandsError("bands.no_deposit", "user \(user) has no deposit to withdraw from.") }
        if let timeMs, timeMs < nowMs { throw BandsError("bands.time_backwards", "ts \(timeMs) is before the AMM's current time \(nowMs).") }
        try advance(to: timeMs)
        var totalX = 0.0, totalY = 0.0
        var newMin = minBand
        var newMax = deposit.n1 - 1
        for (index, band) in (deposit.n1...deposit.n2).enumerated() {
            var bandX = x(band), bandY = y(band)
            let ds = fraction == 1 ? deposit.shares[index] : fraction * deposit.shares[index]
            deposit.shares[index] -= ds
            let shares = totalShares[band] ?? 0
            let remaining = Swift.max(shares - ds, 0)
            totalShares[band] = remaining
            let dx = bandX * ds / (shares + Self.deadShares)
            let dy = bandY * ds / (shares + Self.deadShares)
            bandX = Swift.max(bandX - dx, 0)
            bandY = Swift.max(bandY - dy, 0)
            if remaining == 0 { bandX = 0; bandY = 0 }
            if band == newMin && bandX == 0 && bandY == 0 { newMin += 1 }
            if bandX > 0 || bandY > 0 { newMax = band }
            bandsX[band] = bandX
            bandsY[band] = bandY
            totalX += dx
            totalY += dy
        }
        deposits[user] = fraction == 1 ? nil : deposit
        let oldMax = maxBand
        minBand = newMin
        if oldMax <= deposit.n2 { maxBand = newMax }
        return (totalX, totalY)
    }

    // MARK: Users

    /// The user's coins in each band of their range: X·ds/(S + 1000) (`get_xy`; the contract's extra
    /// +1 wei on X changes the result by less than the wei its floor division drops, so it is left out).
    public func userAmounts(_ user: String) -> (x: [Double], y: [Double])? {
        guard let deposit = deposits[user] else { return nil }
        var xs: [Double] = [], ys: [Double] = []
        for (index, band) in (deposit.n1...deposit.n2).enumerated() {
            let total = (totalShares[band] ?? 0) + Self.deadShares
            xs.append(x(band) * deposit.shares[index] / total)
            ys.append(y(band) * deposit.shares[index] / total)
        }
        return (xs, ys)
    }

    /// The user's adiabatic values (`get_x_down`, `get_y_up`): Σ over their bands of the band's
    /// `AdiabaticValue` × share/(S + 1000); like the contract it counts collateral only in bands
    /// n ≥ active and borrowed coin only in bands n ≤ active.
    public func userAdiabaticValue(_ user: String) -> AdiabaticValue? {
        guard let deposit = deposits[user] else { return nil }
        let po = oraclePrice
        var xDown = 0.0, yUp = 0.0
        for (index, band) in (deposit.n1...deposit.n2).enumerated() {
            let bandX = band <= activeBand ? x(band) : 0
            let bandY = band >= activeBand ? y(band) : 0
            let shares = totalShares[band] ?? 0
            guard bandX != 0 || bandY != 0, shares != 0, deposit.shares[index] != 0 else { continue }
            let value = AdiabaticValue(x: bandX, y: bandY, oraclePrice: po, pOracleUp: pOracleUp(band), a: a, sqrtBandRatio: grid.sqrtBandRatio)
            let part = deposit.shares[index] / (shares + Self.deadShares)
            xDown += value.xDown * part
            yUp += value.yUp * part
        }
        return AdiabaticValue(xDown: xDown, yUp: yUp)
    }
}

extension AdiabaticValue {
    init(xDown: Double, yUp: Double) {
        self.xDown = xDown
        self.yUp = yUp
    }
}
