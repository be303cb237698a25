import Foundation

/// The loans on top of one `BandedAMM` (crvUSD's Controller): maximum borrow from the loan discount,
/// band placement of a new loan, health with the liquidation discount, debt growing with the AMM's
/// rate multiplier, and hard liquidation (full or partial) once health < 0. Pure, binary64.
public struct LoanBook: Sendable {
    /// Discount on collateral value when borrowing (bounds the loan-to-value).
    public let loanDiscount: Double
    /// Discount on collateral value in health; a loan with health < 0 may be hard-liquidated.
    public let liquidationDiscount: Double
    public private(set) var loans: [String: Loan] = [:]

    /// Extra bands searched above the oracle's when finding the highest usable band (`MAX_P_BASE_BANDS`).
    static let maximumBaseBands = 5

    /// Refused unless 1 % ≤ liquidation discount < loan discount ≤ 50 %.
    public init(loanDiscount: Double, liquidationDiscount: Double) throws(BandsError) {
        guard liquidationDiscount.isFinite, loanDiscount.isFinite, liquidationDiscount >= 0.01, loanDiscount > liquidationDiscount, loanDiscount <= 0.5 else {
            throw BandsError("bands.invalid_discounts", "need 0.01 ≤ liquidation_discount < loan_discount ≤ 0.5; got loan \(loanDiscount), liquidation \(liquidationDiscount).")
        }
        self.loanDiscount = loanDiscount
        self.liquidationDiscount = liquidationDiscount
    }

    /// Effective collateral per unit of the top band's price (`get_y_effective`):
    /// Σ_{k<N} y/N·(1 − d)/√(A/(A − 1))·((A − 1)/A)^k, where d adds 1000 wei per band's worth of
    /// collateral to the discount (the dead-share margin). Collateral units.
    public static func effectiveCollateral(_ collateral: Double, bands: Int, discount: Double, grid: BandGrid) -> Double {
        let amp = Double(grid.a)
        let perBandWei = collateral / BandedAMM.wei / Double(bands)
        let deadMargin = BandedAMM.deadShares / Swift.max(perBandWei, BandedAMM.deadShares)
        var term = collateral * (1 - Swift.min(discount + deadMargin, 1)) / (grid.sqrtBandRatio * Double(bands))
        var total = term
        for _ in 1..<bands {
            term = term * (amp - 1) / amp
            total += term
        }
        return total
    }

    /// Highest band top a new loan may start at: the largest p_oracle_up(n) not above the oracle price,
    /// searched from 5 bands below the oracle's band upwards, never at or above the active band (`max_p_base`).
    func maximumBasePrice(_ amm: BandedAMM) -> Double {
        let po = amm.oraclePrice
        let amp = Double(amm.a)
        var n1 = Int(Foundation.floor(Foundation.log(amm.grid.basePrice * amm.rateMultiplier / po) / amm.grid.logARatio)) + Self.maximumBaseBands
        var pBase = amm.pOracleUp(n1)
        let nMin = activeBandWithSkip(amm)
        for _ in 0...BandedAMM.maximumSkipTicks {
            n1 -= 1
            if n1 <= nMin { break }
            let previous = pBase
            pBase = pBase * amp / (amp - 1)
            if pBase > po { return previous }
        }
        return pBase
    }

    /// The lowest band holding borrowed coin at or below the active band (`active_band_with_skip`).
    func activeBandWithSkip(_ amm: BandedAMM) -> Int {
        var n = amm.activeBand
        while true {
            if n < amm.minBand { return amm.activeBand - BandedAMM.maximumSkipTicks }
            if amm.x(n) != 0 { return n }
            n -= 1
        }
    }

    /// Largest debt `collateral` can back over `bands` bands now: y_effective·max_p_base·(1 − 1e-4).
    public func maximumBorrowable(_ amm: BandedAMM, collateral: Double, bands: Int) throws(BandsError) -> Double {
        try Self.validate(collateral: collateral, bands: bands)
        return maximumDebt(amm, collateral: collateral, bands: bands)
    }

    /// y_effective·max_p_base·(1 − 1e-4), for already validated inputs.
    func maximumDebt(_ amm: BandedAMM, collateral: Double, bands: Int) -> Double {
        let effective = Self.effectiveCollateral(collateral, bands: bands, discount: loanDiscount, grid: amm.grid)
        return Swift.max(effective * maximumBasePrice(amm), 0) * (1 - 1e-4)
    }

    /// Top band of a loan (`_calculate_debt_n1`): n1 = n0 + ⌊ln(y_eff·p_oracle_up(n0)/debt)/ln(A/(A − 1))⌋
    /// (n0 the active band), refused ("Debt too high") if that band is not strictly below the oracle
    /// price or liquidity sits between it and the active band.
    func topBand(_ amm: BandedAMM, collateral: Double, debt: Double, bands: Int) throws(BandsError) -> Int {
        let n0 = amm.activeBand
        let effective = Self.effectiveCollateral(collateral, bands: bands, discount: loanDiscount, grid: amm.grid)
        let ratio = effective * amm.pOracleUp(n0) / debt
        guard ratio > 0 else { throw BandsError("bands.amount_too_low", "the collateral is too small for any debt.") }
        var n1 = Int(Foundation.floor(Foundation.log(ratio) / amm.grid.logARatio))
        n1 = Swift.min(n1, BandedAMM.maximumSkipTicks - bands) + n0
        if n1 <= n0 && !canSkipBands(amm, to: n1 - 1) {
            throw BandsError("bands.debt_too_high", "Debt too high: the loan's bands would overlap liquidity in soft liquidation; borrow less or add collateral.")
        }
        guard amm.pOracleUp(n1) < amm.oraclePrice else {
            let maximum = maximumDebt(amm, collateral: collateral, bands: bands)
            throw BandsError("bands.debt_too_high", "Debt too high: the loan would start inside or above the oracle price; at most \(maximum) can be borrowed against this collateral over \(bands) bands.")
        }
        return n1
    }

    /// No liquidity between the active band and `end` (`can_skip_bands`).
    func canSkipBands(_ amm: BandedAMM, to end: Int) -> Bool {
        var n = amm.activeBand
        for _ in 0..<BandedAMM.maximumSkipTicks {
            if end > n {
                if amm.y(n) != 0 { return false }
                n += 1
            } else {
                if amm.x(n) != 0 { return false }
                n -= 1
            }
            if n == end { break }
        }
        return true
    }

    /// Opens a loan: places the collateral over N bands from `topBand` and records the debt.
    public mutating func createLoan(_ amm: inout BandedAMM, user: String, collateral: Double, debt: Double, bands: Int, timeMs: Int64?) throws(BandsError) {
        try Self.validate(collateral: collateral, bands: bands)
        guard debt.isFinite, debt > 0 else { throw BandsError("bands.invalid_amount", "the debt must be a positive number; got \(debt).") }
        guard loans[user] == nil else { throw BandsError("bands.loan_exists", "user \(user) already has a loan; repay or liquidate it first.") }
        var trial = amm
        try trial.advance(to: timeMs)
        let n1 = try topBand(trial, collateral: collateral, debt: debt, bands: bands)
        try trial.deposit(user: user, amount: collateral, n1: n1, n2: n1 + bands - 1)
        amm = trial
        loans[user] = Loan(recordedDebt: debt, rateMultiplierAtUpdate: amm.rateMultiplier, liquidationDiscount: liquidationDiscount)
    }

    /// Debt now: recorded·m(now)/m(recorded), borrowed-coin units.
    public func debt(_ amm: BandedAMM, user: String) -> Double? {
        guard let loan = loans[user] else { return nil }
        return loan.recordedDebt * amm.rateMultiplier / loan.rateMultiplierAtUpdate
    }

    /// Health (`_health`): x_down·(1 − discount)/debt − 1, a fraction; `full` adds
    /// (p_o − p_oracle_up(n1))·collateral/debt while the price is still above the loan's bands.
    public func health(_ amm: BandedAMM, user: String, full: Bool, discount: Double? = nil) -> Double? {
        guard let loan = loans[user], let debt = debt(amm, user: user), debt > 0,
              let value = amm.userAdiabaticValue(user), let deposit = amm.deposits[user] else { return nil }
        var health = value.xDown * (1 - (discount ?? loan.liquidationDiscount)) / debt - 1
        if full && deposit.n1 > amm.activeBand {
            let po = amm.oraclePrice
            let pUp = amm.pOracleUp(deposit.n1)
            if po > pUp, let amounts = amm.userAmounts(user) {
                health += (po - pUp) * amounts.y.reduce(0, +) / debt
            }
        }
        return health
    }

    /// Hard liquidation of `fraction` of the loan (`liquidate`): allowed only when the full health is
    /// below 0 (or for the owner, `byOwner`). Withdraws f_remove of the bands, where for a partial
    /// liquidation f_remove = ((1 + h/2)/(1 + h)·(1 − frac) + frac)·frac with h the loan's liquidation
    /// discount (0 for the owner), so the remaining loan is not less healthy; repays frac of the debt
    /// from the borrowed coin withdrawn, the liquidator paying any shortfall and keeping any surplus.
    @discardableResult
    public mutating func liquidate(_ amm: inout BandedAMM, user: String, fraction: Double, byOwner: Bool = false, timeMs: Int64?) throws(BandsError) -> LiquidationOutcome {
        guard fraction.isFinite, fraction > 0, fraction <= 1 else { throw BandsError("bands.invalid_fraction", "frac must be in (0, 1]; got \(fraction).") }
        guard let loan = loans[user] else { throw BandsError("bands.no_loan", "user \(user) has no loan.") }
        var trial = amm
        try trial.advance(to: timeMs)
        guard let debt = debt(trial, user: user) else { throw BandsError("bands.no_loan", "user \(user) has no loan.") }
        let limit = byOwner ? 0 : loan.liquidationDiscount
        if !byOwner {
            guard let health = health(trial, user: user, full: true), health < 0 else {
                throw BandsError("bands.not_enough_rekt", "Not enough rekt: \(user)'s health is not below 0, so only the owner may close the loan.")
            }
        }
        let repaid = debt * fraction
        var remove = 1.0
        if fraction < 1 {
            remove = (1 + limit / 2) * (1 - fraction) / (1 + limit)
            remove = (remove + fraction) * fraction
        }
        let taken = try trial.withdraw(user: user, fraction: Swift.min(remove, 1))
        amm = trial
        let remaining = debt - repaid
        if fraction == 1 {
            loans[user] = nil
        } else {
            loans[user] = Loan(recordedDebt: remaining, rateMultiplierAtUpdate: amm.rateMultiplier, liquidationDiscount: loan.liquidationDiscount)
        }
        return LiquidationOutcome(collateralOut: taken.y, borrowedOut: taken.x, debtRepaid: repaid,
                                  liquidatorPaid: Swift.max(repaid - taken.x, 0), liquidatorSurplus: Swift.max(taken.x - repaid, 0),
                                  remainingDebt: remaining)
    }

    static func validate(collateral: Double, bands: Int) throws(BandsError) {
        guard collateral.isFinite, collateral > 0 else { throw BandsError("bands.invalid_amount", "the collateral must be a positive number; got \(collateral).") }
        guard bands >= BandsLimits.minimumBands, bands <= BandsLimits.maximumBands else {
            throw BandsError("bands.invalid_band_count", "a loan uses between \(BandsLimits.minimumBands) and \(BandsLimits.maximumBands) bands; got \(bands).")
        }
    }
}
