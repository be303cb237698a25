/// The Controller's state-changing calls. Each works on copies of the controller and the AMM and
/// writes both back only when the whole call succeeds: a revert changes nothing. Where the classic and
/// head Controllers do the same arithmetic they share the code; where they differ it branches on
/// `version`.
extension ExactController {
    /// `create_loan(collateral, debt, N)`: refuses a second loan ("Loan already created") and N outside
    /// 4…50 ("Need more ticks" / "Need less ticks"); places the collateral in bands n1…n1 + N − 1
    /// (`_calculate_debt_n1`), records the loan at the current rate multiplier with today's liquidation
    /// discount, adds it to the total debt (`changeTotalDebt`) and saves the rate. Head then refuses a
    /// loan whose health without the price above its bands is below 0 ("The action ends with unhealthy
    /// state").
    public mutating func createLoan(user: String, collateral: UInt256, debt: UInt256, bands: Int, amm: inout ExactAMM) throws(BandsError) {
        var next = self, nextAMM = amm
        guard next.loans[user] == nil else { throw BandsError("bands.loan_exists", "Loan already created: \(user) already has a loan; repay it first.") }
        guard bands > Self.minTicks - 1 else { throw BandsError("bands.invalid_band_count", "Need more ticks: a loan spans at least \(Self.minTicks) bands; got \(bands).") }
        guard bands < Self.maxTicks + 1 else { throw BandsError("bands.invalid_band_count", "Need less ticks: a loan spans at most \(Self.maxTicks) bands; got \(bands).") }
        let n1 = try next.topBand(collateral: collateral, debt: debt, bands: bands, amm: nextAMM)
        let rateMul = try nextAMM.currentRateMultiplier()
        next.loans[user] = ExactLoan(initialDebt: debt, rateMultiplier: rateMul)
        next.liquidationDiscounts[user] = liquidationDiscount
        try nextAMM.deposit(user: user, amount: collateral, n1: n1, n2: n1 + bands - 1)
        try next.changeTotalDebt(by: debt, increase: true, rateMultiplier: rateMul)
        next.minted = try next.minted.plus(debt)
        try next.saveRate(amm: &nextAMM)
        if version == .head { try next.requireHealthyEnd(of: user, debt: debt, amm: nextAMM) }
        self = next
        amm = nextAMM
    }

    /// `repay(amount)` by the loan's owner. Returns what the AMM paid back [x, y] (zero unless the loan
    /// was closed).
    ///
    /// Classic: repays min(amount, debt); nothing for a zero amount. Repaid in full, the whole position
    /// is withdrawn and the loan closed. Otherwise, if the loan is above `active_band_with_skip` it is
    /// withdrawn and placed again for the smaller debt (same width) and takes today's liquidation
    /// discount; inside soft liquidation its bands stay.
    ///
    /// Head: the repayment is d = min(min(amount, debt) + Σx, debt), counting the borrowed coin the AMM
    /// holds for the loan (`get_sum_xy`); d = 0 is refused ("no coins to repay"). When d covers the debt
    /// the position is withdrawn and the loan closed (the wallet pays debt − Σx). Otherwise only the
    /// wallet's amount is repaid: a loan above `active_band_with_skip` is withdrawn (it must hold no
    /// borrowed coin) and placed again for the smaller debt; inside soft liquidation its bands stay.
    /// Either way it takes today's liquidation discount and must end with health ≥ 0 ("The action ends
    /// with unhealthy state").
    @discardableResult
    public mutating func repay(user: String, amount: UInt256, amm: inout ExactAMM) throws(BandsError) -> (x: UInt256, y: UInt256) {
        switch version {
        case .classic:
            guard !amount.isZero else { return (.zero, .zero) }
        case .head: break
        }
        var next = self, nextAMM = amm
        let (debt, rateMul) = try next.debt(of: user, amm: nextAMM)
        guard !debt.isZero else { throw BandsError("bands.no_loan", "Loan doesn't exist: \(user) has no loan to repay.") }
        let repaid: UInt256
        switch version {
        case .classic: repaid = Swift.min(debt, amount)
        case .head:
            repaid = Swift.min(try Swift.min(amount, debt).plus(nextAMM.userSums(user)?.x ?? .zero), debt)
            guard !repaid.isZero else { throw BandsError("bands.nothing_to_repay", "no coins to repay: a zero amount, and the AMM holds no borrowed coin for \(user)'s loan.") }
        }
        var returned = (x: UInt256.zero, y: UInt256.zero)
        if repaid == debt {
            returned = try nextAMM.withdraw(user: user, fraction: Self.wad)
            next.loans[user] = nil
            if version == .classic { next.liquidationDiscounts[user] = nil }
            try next.redeem(repaid, rateMultiplier: rateMul, amm: &nextAMM)
            self = next
            amm = nextAMM
            return returned
        }
        // A partial repay: the wallet's amount (head's d above also counted the AMM's coin, which stays).
        let newDebt = debt.uSub(Swift.min(amount, debt))
        let activeBand = nextAMM.activeBandWithSkip()
        guard let deposit = nextAMM.users[user] else { throw BandsError("bands.no_deposit", "No deposits: \(user)'s loan has no collateral in the AMM.") }
        if deposit.n1 > activeBand {
            let width = deposit.n2 - deposit.n1
            let withdrawn = try nextAMM.withdraw(user: user, fraction: Self.wad)
            if version == .head, !withdrawn.x.isZero {
                throw BandsError("bands.underwater", "\(user)'s position above the active band holds borrowed coin, so the head Controller cannot move its bands (a bare assert).")
            }
            let n1 = try next.topBand(collateral: withdrawn.y, debt: newDebt, bands: width + 1, amm: nextAMM)
            try nextAMM.deposit(user: user, amount: withdrawn.y, n1: n1, n2: n1 + width)
            next.liquidationDiscounts[user] = liquidationDiscount
        }
        if version == .head {
            next.liquidationDiscounts[user] = liquidationDiscount
            try next.requireHealthyEnd(of: user, debt: newDebt, amm: nextAMM)
        }
        next.loans[user] = ExactLoan(initialDebt: newDebt, rateMultiplier: rateMul)
        try next.redeem(debt.uSub(newDebt), rateMultiplier: rateMul, amm: &nextAMM)
        self = next
        amm = nextAMM
        return returned
    }

    /// `liquidate` (classic `liquidate_extended(user, 0, frac)`) sent by a third party: the health limit
    /// is the loan's liquidation discount and full health must be below 0 ("Not enough rekt"; classic
    /// checks only when the discount is not zero, and takes frac above 1e18 as 1e18, where head refuses it:
    /// "frac>100%"). Repays ⌈debt·frac/1e18⌉ and withdraws f_remove(frac) of the position
    /// (`removedFraction`; head withdraws all of it when the debt is repaid in full), which goes to the
    /// liquidator (the borrowed coin beyond the debt repaid included). Returns [x, y] withdrawn.
    @discardableResult
    public mutating func liquidate(user: String, fraction requested: UInt256, amm: inout ExactAMM) throws(BandsError) -> (x: UInt256, y: UInt256) {
        var next = self, nextAMM = amm
        let fraction = version == .classic ? Swift.min(requested, Self.wad) : requested
        let (debt, rateMul) = try next.debt(of: user, amm: nextAMM)
        let limit = next.liquidationDiscounts[user] ?? .zero
        if version == .head || !limit.isZero {
            guard try next.health(of: user, debt: debt, full: true, discount: limit, amm: nextAMM).isNegative else {
                throw BandsError("bands.not_enough_rekt", "Not enough rekt: \(user)'s health is not below 0, so the loan cannot be liquidated.")
            }
        }
        if version == .head { try Self.requireFractionAtMostWhole(fraction) }
        let repaid = try Self.ceilingWad(debt.times(fraction))
        guard !repaid.isZero else {
            throw version == .classic
                ? BandsError("bands.no_loan", "Loan doesn't exist: \(user) has no debt to liquidate.")
                : BandsError("bands.nothing_to_repay", "a liquidation of frac 0 repays nothing (a bare assert).")
        }
        let finalDebt = debt.uSub(repaid)
        let removed = version == .head && finalDebt.isZero ? Self.wad : Self.removedFraction(fraction, healthLimit: limit)
        let withdrawn = try nextAMM.withdraw(user: user, fraction: removed)
        if finalDebt.isZero {
            next.loans[user] = nil
            if version == .classic { next.liquidationDiscounts[user] = nil }
        } else {
            next.loans[user] = ExactLoan(initialDebt: finalDebt, rateMultiplier: rateMul)
        }
        try next.redeem(repaid, rateMultiplier: rateMul, amm: &nextAMM)
        self = next
        amm = nextAMM
        return withdrawn
    }

    /// Head's `_update_user_liquidation_discount(for, True, debt)` check: health (not full) with today's
    /// liquidation discount must be ≥ 0.
    func requireHealthyEnd(of user: String, debt: UInt256, amm: ExactAMM) throws(BandsError) {
        guard try !health(of: user, debt: debt, full: false, discount: liquidationDiscount, amm: amm).isNegative else {
            throw BandsError("bands.unhealthy_result", "The action ends with unhealthy state: \(user)'s health after it would be below 0.")
        }
    }

    /// The total debt's update (head `_update_total_debt`): total = ⌊initial·rate_mul/rate_mul_then⌋,
    /// then + change or max(total, change) − change, at the current multiplier. Head first sets the
    /// interest since the last update aside as admin fees (`accruedAdminFees`).
    mutating func changeTotalDebt(by change: UInt256, increase: Bool, rateMultiplier rateMul: UInt256) throws(BandsError) {
        let total = try totalDebtRecord.initialDebt.times(rateMul).over(totalDebtRecord.rateMultiplier)
        if version == .head { storedAdminFees = try storedAdminFees.plus(accruedAdminFees(totalWithInterest: total)) }
        let updated = try increase ? total.plus(change) : Swift.max(total, change).uSub(change)
        totalDebtRecord = ExactLoan(initialDebt: updated, rateMultiplier: rateMul)
    }

    /// The end of `repay` and `liquidate`: redeemed += repaid, the total debt less repaid
    /// (`changeTotalDebt`), `save_rate()`.
    mutating func redeem(_ repaid: UInt256, rateMultiplier rateMul: UInt256, amm: inout ExactAMM) throws(BandsError) {
        redeemed = try redeemed.plus(repaid)
        try changeTotalDebt(by: repaid, increase: false, rateMultiplier: rateMul)
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
