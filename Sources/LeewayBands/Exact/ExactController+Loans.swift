/// The classic Controller's state-changing calls. Each works on copies of the controller and the AMM
/// and writes both back only when the whole call succeeds: a revert changes nothing.
extension ExactController {
    /// `create_loan(collateral, debt, N)`: refuses a second loan ("Loan already created") and N outside
    /// 4…50 ("Need more ticks" / "Need less ticks"); places the collateral in bands n1…n1 + N − 1
    /// (`_calculate_debt_n1`), records the loan at the current rate multiplier with today's liquidation
    /// discount, adds it to the total debt (⌊total·rate_mul/rate_mul_then⌋ + debt) and saves the rate.
    public mutating func createLoan(user: String, collateral: UInt256, debt: UInt256, bands: Int, amm: inout ExactAMM) throws(BandsError) {
        var next = self, nextAMM = amm
        guard next.loans[user] == nil else { throw BandsError("bands.loan_exists", "Loan already created: \(user) already has a loan; repay it first.") }
        guard bands > Self.minTicks - 1 else { throw BandsError("bands.invalid_band_count", "Need more ticks: a loan spans at least \(Self.minTicks) bands; got \(bands).") }
        guard bands < Self.maxTicks + 1 else { throw BandsError("bands.invalid_band_count", "Need less ticks: a loan spans at most \(Self.maxTicks) bands; got \(bands).") }
        let n1 = try next.topBand(collateral: collateral, debt: debt, bands: bands, amm: nextAMM)
        let rateMul = try nextAMM.currentRateMultiplier()
        next.loans[user] = ExactLoan(initialDebt: debt, rateMultiplier: rateMul)
        next.liquidationDiscounts[user] = liquidationDiscount
        next.totalDebtRecord = ExactLoan(
            initialDebt: try next.totalDebtRecord.initialDebt.times(rateMul).over(next.totalDebtRecord.rateMultiplier).plus(debt),
            rateMultiplier: rateMul)
        try nextAMM.deposit(user: user, amount: collateral, n1: n1, n2: n1 + bands - 1)
        next.minted = try next.minted.plus(debt)
        try next.saveRate(amm: &nextAMM)
        self = next
        amm = nextAMM
    }

    /// `repay(amount)` by the loan's owner: repays min(amount, debt). Repaid in full, the whole position
    /// is withdrawn and the loan closed. Otherwise, if the loan is above `active_band_with_skip` it is
    /// withdrawn and placed again for the smaller debt (same width) and takes today's liquidation
    /// discount; inside soft liquidation its bands stay. Returns what the AMM paid back [x, y] (zero
    /// unless the loan was closed).
    @discardableResult
    public mutating func repay(user: String, amount: UInt256, amm: inout ExactAMM) throws(BandsError) -> (x: UInt256, y: UInt256) {
        guard !amount.isZero else { return (.zero, .zero) }
        var next = self, nextAMM = amm
        var (debt, rateMul) = try next.debt(of: user, amm: nextAMM)
        guard !debt.isZero else { throw BandsError("bands.no_loan", "Loan doesn't exist: \(user) has no loan to repay.") }
        let repaid = Swift.min(debt, amount)
        debt = debt.uSub(repaid)
        var returned = (x: UInt256.zero, y: UInt256.zero)
        if debt.isZero {
            returned = try nextAMM.withdraw(user: user, fraction: Self.wad)
            next.loans[user] = nil
            next.liquidationDiscounts[user] = nil
        } else {
            let activeBand = nextAMM.activeBandWithSkip()
            guard let deposit = nextAMM.users[user] else { throw BandsError("bands.no_deposit", "No deposits: \(user)'s loan has no collateral in the AMM.") }
            if deposit.n1 > activeBand {
                let width = deposit.n2 - deposit.n1
                let withdrawn = try nextAMM.withdraw(user: user, fraction: Self.wad)
                let n1 = try next.topBand(collateral: withdrawn.y, debt: debt, bands: width + 1, amm: nextAMM)
                try nextAMM.deposit(user: user, amount: withdrawn.y, n1: n1, n2: n1 + width)
                next.liquidationDiscounts[user] = liquidationDiscount
            }
            next.loans[user] = ExactLoan(initialDebt: debt, rateMultiplier: rateMul)
        }
        try next.redeem(repaid, rateMultiplier: rateMul, amm: &nextAMM)
        self = next
        amm = nextAMM
        return returned
    }

    /// `liquidate_extended(user, 0, frac)` sent by a third party: the health limit is the loan's
    /// liquidation discount and full health must be below 0 ("Not enough rekt"). Repays
    /// ⌈debt·frac/1e18⌉ and withdraws f_remove(frac) of the position (`removedFraction`), which goes to
    /// the liquidator (the borrowed coin beyond the debt repaid included). Returns [x, y] withdrawn.
    @discardableResult
    public mutating func liquidate(user: String, fraction: UInt256, amm: inout ExactAMM) throws(BandsError) -> (x: UInt256, y: UInt256) {
        var next = self, nextAMM = amm
        let fraction = Swift.min(fraction, Self.wad)
        let (debt, rateMul) = try next.debt(of: user, amm: nextAMM)
        let limit = next.liquidationDiscounts[user] ?? .zero
        if !limit.isZero {
            guard try next.health(of: user, debt: debt, full: true, discount: limit, amm: nextAMM).isNegative else {
                throw BandsError("bands.not_enough_rekt", "Not enough rekt: \(user)'s health is not below 0, so the loan cannot be liquidated.")
            }
        }
        let repaid = try debt.times(fraction).plus(Self.wad.uSub(1)).uDiv(Self.wad)
        guard !repaid.isZero else { throw BandsError("bands.no_loan", "Loan doesn't exist: \(user) has no debt to liquidate.") }
        let finalDebt = debt.uSub(repaid)
        let withdrawn = try nextAMM.withdraw(user: user, fraction: Self.removedFraction(fraction, healthLimit: limit))
        if finalDebt.isZero {
            next.loans[user] = nil
            next.liquidationDiscounts[user] = nil
        } else {
            next.loans[user] = ExactLoan(initialDebt: finalDebt, rateMultiplier: rateMul)
        }
        try next.redeem(repaid, rateMultiplier: rateMul, amm: &nextAMM)
        self = next
        amm = nextAMM
        return withdrawn
    }

    /// The end of `repay` and `_liquidate`: redeemed += repaid; the total debt becomes
    /// max(⌊initial·rate_mul/rate_mul_then⌋, repaid) − repaid at the current multiplier; `save_rate()`.
    mutating func redeem(_ repaid: UInt256, rateMultiplier rateMul: UInt256, amm: inout ExactAMM) throws(BandsError) {
        redeemed = try redeemed.plus(repaid)
        let total = try totalDebtRecord.initialDebt.times(rateMul).over(totalDebtRecord.rateMultiplier)
        totalDebtRecord = ExactLoan(initialDebt: Swift.max(total, repaid).uSub(repaid), rateMultiplier: rateMul)
        try saveRate(amm: &amm)
    }

    /// The monetary policy's rate changes, then `save_rate()`.
    public mutating func setPolicyRate(_ rate: UInt256, amm: inout ExactAMM) throws(BandsError) {
        var nextAMM = amm
        var next = self
        next.policyRate = rate
        try next.saveRate(amm: &nextAMM)
        self = next
        amm = nextAMM
    }

    /// `_save_rate()`: `AMM.set_rate(min(rate_write(), MAX_RATE))` (accrues the multiplier now).
    mutating func saveRate(amm: inout ExactAMM) throws(BandsError) {
        try amm.setRate(Swift.min(policyRate, Self.maxRate))
    }
}
