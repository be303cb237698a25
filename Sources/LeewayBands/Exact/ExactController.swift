/// The Controller of the `ExactAMM` whose admin it is, in the contract's own arithmetic: loans, their
/// debt with the AMM's rate multiplier, the borrow limit, band placement of a new loan, health, repay
/// and hard liquidation. Every quantity is a `UInt256` in wei; every operation is the contract's, in
/// its order, with its truncation and its reverts (as `BandsError`s carrying the contract's reason).
/// The AMM's `ContractVersion` picks the Controller:
///
/// - `classic`: crvUSD's `contracts/Controller.vy` at e6fc18a (vyper 0.3.10).
/// - `head`: LlamaLend V2's core `curve_stablecoin/controller.vy` at cf1d05f (vyper 0.4.3; what
///   `MintController.vy` wraps) with `ControllerView.vy` for `max_borrowable`. It differs from the
///   classic one in: the debt always rounded up, a top band allowed to start at the oracle price,
///   `max_p_base` stepping with `p_oracle_up`, a create or partial repay refused when it ends unhealthy,
///   repay counting the borrowed coin the AMM holds for the loan, every partial repay taking today's
///   liquidation discount, liquidation refusing frac > 100 % and always checking health, and the
///   interest set aside as admin fees (`admin_percentage` = 100 % at deployment).
///
/// Modelled as on a market with both tokens at 18 decimals (`COLLATERAL_PRECISION` =
/// `BORROWED_PRECISION` = 1), no `extra_health`, no callbacks, every call made by the loan's owner (so
/// approval holds) except `liquidate`, which a third party sends (so the health limit is the loan's
/// liquidation discount). The Controller is assumed to hold enough borrowed coin for every loan (the
/// cap of `max_borrowable`, the Controller's balance, is not modelled). The monetary policy is a
/// settable rate: every state-changing call ends with `_save_rate()`, i.e.
/// `AMM.set_rate(min(rate, MAX_RATE))`, which accrues the AMM's multiplier at that moment.
public struct ExactController: Sendable {
    static let maxLoanDiscount = UInt256(500_000_000_000_000_000 as UInt64)
    static let minLiquidationDiscount = UInt256(10_000_000_000_000_000 as UInt64)
    static let minTicks = 4
    static let maxTicks = 50
    static let maxSkipTicks = 1024
    static let maxBaseBands = 5
    /// `MAX_RATE`: 300 % a year, per second at 1e18.
    static let maxRate = UInt256(43_959_106_799 as UInt64)
    static let wad = UInt256.wad

    /// Which Controller.vy (the AMM's version).
    public let version: ContractVersion
    /// Discount on the collateral's value when borrowing (1e18 = 100 %).
    public let loanDiscount: UInt256
    /// Discount in health for loans created now; each loan keeps the one of its creation.
    public let liquidationDiscount: UInt256
    let a: UInt256
    let aMinus1: UInt256
    /// `LOGN_A_RATIO` = wad_ln(⌊A·1e18/(A − 1)⌋) (the Controller's own snekmate ln, not the AMM's constant).
    let logARatio: Int256
    /// `SQRT_BAND_RATIO` = isqrt(⌊1e36·A/(A − 1)⌋).
    let sqrtBandRatio: UInt256

    public internal(set) var loans: [String: ExactLoan] = [:]
    public internal(set) var liquidationDiscounts: [String: UInt256] = [:]
    /// `_total_debt`.
    public internal(set) var totalDebtRecord = ExactLoan(initialDebt: .zero, rateMultiplier: .wad)
    /// What the monetary policy's `rate_write()` returns (1e18 = 100 % per second).
    public internal(set) var policyRate: UInt256 = .zero
    /// `minted()`: borrowed coin lent (classic `minted`, head `lent` + `collected`, nothing is collected here).
    public internal(set) var minted: UInt256 = .zero
    /// `redeemed()`: borrowed coin repaid (head `repaid`).
    public internal(set) var redeemed: UInt256 = .zero
    /// Head only: `_stored_admin_fees`, the interest set aside at each total-debt update (zero in classic).
    public internal(set) var storedAdminFees: UInt256 = .zero

    /// The factory's checks: 1 % ≤ liquidation_discount < loan_discount ≤ 50 %.
    public init(amm: ExactAMM, loanDiscount: UInt256, liquidationDiscount: UInt256) throws(BandsError) {
        guard liquidationDiscount >= Self.minLiquidationDiscount, loanDiscount > liquidationDiscount, loanDiscount <= Self.maxLoanDiscount else {
            throw BandsError("bands.invalid_discounts", "need 0.01 ≤ liquidation_discount < loan_discount ≤ 0.5; got loan \(WeiDecimal.text(loanDiscount)), liquidation \(WeiDecimal.text(liquidationDiscount)).")
        }
        version = amm.version
        self.loanDiscount = loanDiscount
        self.liquidationDiscount = liquidationDiscount
        a = amm.a
        aMinus1 = amm.a.uSub(1)
        logARatio = try ExactMath.wadLn(Int256(bits: amm.a.times(Self.wad).uDiv(aMinus1)))
        sqrtBandRatio = try UInt256.wad.uMul(.wad).times(amm.a).uDiv(aMinus1).squareRoot()
    }

    /// Number of open loans (`n_loans`).
    public var loanCount: Int { loans.count }

    // MARK: Debt

    /// `_debt(user)`: (debt, the current rate multiplier), or (0, rate_mul_now) without a loan. Classic:
    /// debt = ⌈initial_debt·rate_mul_now/rate_mul⌉ when more than one loan is open and the division is
    /// inexact, else ⌊…⌋. Head: always snekmate's `_ceil_div`, (x − 1)/rate_mul + 1.
    public func debt(of user: String, amm: ExactAMM) throws(BandsError) -> (debt: UInt256, rateMultiplier: UInt256) {
        let rateMul = try amm.currentRateMultiplier()
        guard let loan = loans[user], !loan.initialDebt.isZero else { return (.zero, rateMul) }
        let scaled = try loan.initialDebt.times(rateMul)
        switch version {
        case .classic:
            var debt = scaled
            if !debt.quotientAndRemainder(dividingBy: loan.rateMultiplier).remainder.isZero, loans.count > 1 {
                debt = debt.uAdd(loan.rateMultiplier.uSub(1))
            }
            return (debt.uDiv(loan.rateMultiplier), rateMul)
        case .head:
            guard !loan.rateMultiplier.isZero else { throw UInt256.revert("ceil division") }
            return (scaled.uSub(1).uDiv(loan.rateMultiplier).uAdd(1), rateMul)
        }
    }

    /// `total_debt()` = ⌊initial·rate_mul_now/rate_mul⌋ of `_total_debt`.
    public func totalDebt(amm: ExactAMM) throws(BandsError) -> UInt256 {
        try totalDebtRecord.initialDebt.times(amm.currentRateMultiplier()).over(totalDebtRecord.rateMultiplier)
    }

    /// Head's `admin_fees()`: the stored admin fees plus the interest accrued on the total debt since its
    /// last update, (⌊initial·rate_mul_now/rate_mul⌋ − initial)·admin_percentage/1e18 with
    /// admin_percentage = 1e18. Zero in classic (its Controller keeps no such account).
    public func adminFees(amm: ExactAMM) throws(BandsError) -> UInt256 {
        guard version == .head else { return .zero }
        return try storedAdminFees.plus(accruedAdminFees(totalWithInterest: totalDebt(amm: amm)))
    }

    /// Head's `_preview_total_debt` fee part: (total_with_interest − initial)·admin_percentage/1e18, with
    /// admin_percentage = 1e18 (the subtraction and the product checked).
    func accruedAdminFees(totalWithInterest: UInt256) throws(BandsError) -> UInt256 {
        try totalWithInterest.minus(totalDebtRecord.initialDebt).times(Self.wad).uDiv(Self.wad)
    }

    // MARK: Health

    /// `_health(user, debt, full, ld)`, 1e18 = 1 (liquidation is allowed below 0):
    /// health = ⌊x_down·(1e18 − ld)/debt⌋ − 1e18, and with `full`, when the loan is above the active
    /// band and the oracle is above its top edge p_up = p_oracle_up(n1), plus ⌊(p_o − p_up)·Σy/debt⌋.
    func health(of user: String, debt: UInt256, full: Bool, discount: UInt256, amm: ExactAMM) throws(BandsError) -> Int256 {
        guard !debt.isZero else { throw BandsError("bands.no_loan", "Loan doesn't exist: \(user) has no debt.") }
        let xDown = try Self.int256(amm.userAdiabatic(user, useY: false))
        // convert(x_down, int256) · (1e18 − ld): a checked int256 product (both factors are ≥ 0).
        let product = try Self.int256(xDown.bits.times(Self.wad.uSub(discount)))
        _ = try Self.int256(debt)
        var health = Int256(bits: product.bits.uDiv(debt)).wrappingSubtracting(Int256(bits: Self.wad))
        if full, let deposit = amm.users[user], deposit.n1 > amm.activeBand {
            let p = try amm.priceOracle()
            let pUp = try amm.pOracleUp(deposit.n1)
            if p > pUp, let sums = try amm.userSums(user) {
                health = try Self.add(health, Self.int256(p.uSub(pUp).times(sums.y).over(debt)))
            }
        }
        return health
    }

    /// `health(user, full)` with the loan's own liquidation discount.
    public func health(of user: String, full: Bool, amm: ExactAMM) throws(BandsError) -> Int256 {
        try health(of: user, debt: debt(of: user, amm: amm).debt, full: full, discount: liquidationDiscounts[user] ?? .zero, amm: amm)
    }

    // MARK: Borrowing

    /// `get_y_effective(collateral, N, discount)`: collateral per unit of the top band's price that the
    /// loan may borrow against, Σ_{k<N} d·((A − 1)/A)^k with d = ⌊c·(1e18 − min(discount + ⌊1000·1e18/
    /// max(⌊c/N⌋, 1000)⌋, 1e18))/(SQRT_BAND_RATIO·N)⌋, each term floored from the previous one.
    func effectiveCollateral(_ collateral: UInt256, bands: Int, discount: UInt256) throws(BandsError) -> UInt256 {
        let count = UInt256(UInt64(bands))
        let deadMargin = ExactAMM.deadShares.uMul(Self.wad).uDiv(Swift.max(collateral.uDiv(count), ExactAMM.deadShares))
        let kept = Self.wad.uSub(Swift.min(try discount.plus(deadMargin), Self.wad))
        var term = try collateral.times(kept).uDiv(sqrtBandRatio.uMul(count))
        var total = term
        for _ in 1..<bands {
            term = try term.times(aMinus1).uDiv(a)
            total = total.uAdd(term)
        }
        return total
    }

    /// `_calculate_debt_n1`: the top band n1 of a loan of `debt` against `collateral` over N bands:
    /// r = ⌊y_eff·p_oracle_up(active)/(debt + 1)⌋, n1 = active + min(⌊ln r/ln(A/(A − 1))⌋ (rounded toward
    /// −∞ as the contract does for negatives), 1024 − N). Reverts "No loan", "Amount too low", and
    /// "Debt too high" when n1 would sit at or above bands that cannot be skipped, or when p_oracle_up(n1)
    /// is at or above the oracle (classic) or above it (head).
    func topBand(collateral: UInt256, debt: UInt256, bands: Int, amm: ExactAMM) throws(BandsError) -> Int {
        guard !debt.isZero else { throw BandsError("bands.no_loan", "No loan: the debt must be positive.") }
        let n0 = amm.activeBand
        let pBase = try amm.pOracleUp(n0)
        var ratio = try effectiveCollateral(collateral, bands: bands, discount: loanDiscount)
        ratio = try ratio.times(pBase).uDiv(debt.plus(1))
        guard !ratio.isZero else { throw BandsError("bands.amount_too_low", "Amount too low: the collateral supports no debt at all.") }
        let bandOffset = Swift.min(try self.bandCount(inLog: Self.ln(ratio)), Self.maxSkipTicks - bands)
        let top = n0 + bandOffset
        if top <= n0, try !amm.canSkipBands(to: top - 1) {
            throw BandsError("bands.debt_too_high", "Debt too high: the loan's top band \(top) would sit at or above bands that cannot be skipped.")
        }
        let topPrice = try amm.pOracleUp(top), oracle = try amm.priceOracle()
        guard version == .head ? (topPrice <= oracle) : (topPrice < oracle) else {
            throw BandsError("bands.debt_too_high", "Debt too high: the loan's top band \(top) would start \(version == .head ? "above" : "at or above") the oracle price.")
        }
        return top
    }

    /// `max_p_base()`: the highest band top a new loan may start at, from ln(base_price/p_o) + 5 bands
    /// upwards while the price stays below the oracle, never at or above the lowest band holding
    /// borrowed coin. Each step up is ⌊p·A/(A − 1)⌋ (classic) or the AMM's `p_oracle_up(n)` (head's view).
    func maximumBasePrice(amm: ExactAMM) throws(BandsError) -> UInt256 {
        let po = try amm.priceOracle()
        var band = try bandCount(inLog: Self.ln(amm.currentBasePrice().times(Self.wad).over(po))) + Self.maxBaseBands
        let nMin = amm.activeBandWithSkip()
        band = Swift.max(band, nMin + 1)
        var pBase = try amm.pOracleUp(band)
        for _ in 0...Self.maxSkipTicks {
            band -= 1
            if band <= nMin { break }
            let previous = pBase
            pBase = try version == .head ? amm.pOracleUp(band) : pBase.times(a).uDiv(aMinus1)
            if pBase > po { return previous }
        }
        return pBase
    }

    /// `max_borrowable(collateral, N)`: x = max(⌊y_eff·max_p_base/1e18⌋, 1) − 1, then ·(1 − 10⁻⁴), floored.
    public func maximumBorrowable(collateral: UInt256, bands: Int, amm: ExactAMM) throws(BandsError) -> UInt256 {
        guard bands >= Self.minTicks, bands <= Self.maxTicks else {
            throw BandsError("bands.invalid_band_count", "a loan spans \(Self.minTicks) to \(Self.maxTicks) bands; got \(bands).")
        }
        let yEffective = try effectiveCollateral(collateral, bands: bands, discount: loanDiscount)
        let x = Swift.max(try yEffective.times(maximumBasePrice(amm: amm)).uDiv(Self.wad), .one).uSub(1)
        return try x.times(UInt256(999_900_000_000_000_000 as UInt64)).uDiv(Self.wad)
    }

    /// `tokens_to_liquidate(user, frac)`: the borrowed coin a liquidator must bring beyond what the AMM
    /// returns, max(debt·frac/1e18 − ⌊Σx·f_remove/1e18⌋, 0), with the loan's discount as the health limit;
    /// the debt part floored (classic) or rounded up (head, which also refuses frac > 1e18: "frac>100%").
    public func tokensToLiquidate(_ user: String, fraction: UInt256, amm: ExactAMM) throws(BandsError) -> UInt256 {
        if version == .head { try Self.requireFractionAtMostWhole(fraction) }
        let limit = liquidationDiscounts[user] ?? .zero
        let stablecoins = try (amm.userSums(user)?.x ?? .zero).times(Self.removedFraction(fraction, healthLimit: limit)).uDiv(Self.wad)
        let scaled = try debt(of: user, amm: amm).debt.times(fraction)
        let debt = try version == .head ? Self.ceilingWad(scaled) : scaled.uDiv(Self.wad)
        return Swift.max(debt, stablecoins).uSub(stablecoins)
    }

    /// ⌈x/1e18⌉ as the Controller writes it for a fraction of the debt, (x + 1e18 − 1)/1e18 (the addition checked).
    static func ceilingWad(_ x: UInt256) throws(BandsError) -> UInt256 {
        try x.plus(wad.uSub(1)).uDiv(wad)
    }

    /// Head's `assert _frac <= WAD, "frac>100%"`.
    static func requireFractionAtMostWhole(_ fraction: UInt256) throws(BandsError) {
        guard fraction <= wad else {
            throw BandsError("bands.invalid_fraction", "frac>100%: a liquidation takes at most the whole loan (frac ≤ 1); got \(WeiDecimal.text(fraction)).")
        }
    }

    /// `_get_f_remove(frac, h)`: the share of the position a partial liquidation withdraws,
    /// ((1 + h/2)/(1 + h)·(1 − frac) + frac)·frac (floored at each division); 1e18 for frac ≥ 1e18. Head
    /// returns frac itself for h = 0, which this formula also gives exactly, so both versions share it.
    static func removedFraction(_ fraction: UInt256, healthLimit h: UInt256) -> UInt256 {
        guard fraction < wad else { return wad }
        var f = wad.uAdd(h.uDiv(2)).uMul(wad.uSub(fraction)).uDiv(wad.uAdd(h))
        f = f.uAdd(fraction).uMul(fraction).uDiv(wad)
        return f
    }

    /// ⌊ln / LOGN_A_RATIO⌋, the number of bands a price ratio spans, rounded toward −∞ the way the
    /// contract does it (SDIV truncates, so a negative ln first has LOGN_A_RATIO − 1 subtracted).
    func bandCount(inLog ln: Int256) throws(BandsError) -> Int {
        var n = ln
        if ln.isNegative { n = try Self.subtract(ln, logARatio.wrappingSubtracting(Int256(1))) }
        return Self.int(n.wrappingDivided(by: logARatio))
    }

    // MARK: int256 as the contract converts it

    /// `convert(x, int256)`: reverts at 2^255 and above.
    static func int256(_ value: UInt256) throws(BandsError) -> Int256 {
        guard value.w3 >> 63 == 0 else { throw BandsError("bands.arithmetic_overflow", "the contract's convert to int256 reverts here (a value of 2^255 or more); nothing was changed.") }
        return Int256(bits: value)
    }

    /// Checked int256 addition.
    static func add(_ a: Int256, _ b: Int256) throws(BandsError) -> Int256 {
        let sum = a.wrappingAdding(b)
        if a.isNegative == b.isNegative, sum.isNegative != a.isNegative { throw UInt256.revert("addition") }
        return sum
    }

    /// Checked int256 subtraction.
    static func subtract(_ a: Int256, _ b: Int256) throws(BandsError) -> Int256 {
        let difference = a.wrappingSubtracting(b)
        if a.isNegative != b.isNegative, difference.isNegative != a.isNegative { throw UInt256.revert("subtraction") }
        return difference
    }

    /// The Controller's `wad_ln(x)` (snekmate's): reverts for x = 0 and for x ≥ 2^255.
    static func ln(_ x: UInt256) throws(BandsError) -> Int256 {
        guard !x.isZero else { throw UInt256.revert("logarithm of zero") }
        return try ExactMath.wadLn(int256(x))
    }

    /// A band number from an int256 the contract keeps small (|n| < 2^62 after the ln division).
    static func int(_ value: Int256) -> Int {
        let magnitude = value.magnitude
        let small = magnitude.w1 == 0 && magnitude.w2 == 0 && magnitude.w3 == 0 && magnitude.w0 < UInt64(Int.max)
        let size = small ? Int(magnitude.w0) : Int.max / 2
        return value.isNegative ? -size : size
    }
}
