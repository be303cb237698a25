/// Forced closes: deleveraging steps, full liquidation, bankruptcy, insurance and ADL.
extension Engine {
    /// One forced close in one market, kept to drive ADL if the account ends bankrupt.
    struct ClosedLeg {
        var market: Int
        /// The account's position size before the close (signed).
        var sizeBefore: Fixed
        var closedQuantity: Fixed
        var price: Fixed
    }

    /// How much of each position one deleveraging step closes.
    ///
    /// Each position closes the same fraction f of itself (rounded up to 10⁻⁸ units, at most all
    /// of it), where f is the smallest fraction in (0, step_fraction] with
    ///   equity − fees(f) ≥ MM_after(f) × (1 + cure_buffer),
    /// fees(f) = Σ liquidation_fee_m × closed notional_m (rounded up, capped at max(0, equity));
    /// if even f = step_fraction does not restore that, f = step_fraction. Found by bisection on f
    /// in 10⁻⁸ units, so the result is exact and deterministic. Closing at the mark moves no
    /// equity except through the fee, which is why the fee enters the condition.
    func planDeleveragingStep(account: Account, risk: AccountRisk, policy: LiquidationPolicy) -> [Fixed] {
        let cureLevel = Fixed(raw: Fixed.scale + policy.cureBuffer.raw)
        func quantities(_ fraction: Fixed) -> [Fixed] {
            account.positions.map { position in
                let wanted = (try? position.size.magnitude.multiplied(by: fraction, rounding: .up)) ?? position.size.magnitude
                return Fixed.minimum(wanted, position.size.magnitude)
            }
        }
        func restores(_ fraction: Fixed) -> Bool {
            let closing = quantities(fraction)
            var after = account
            var fees = Int128(0)
            for (offset, position) in account.positions.enumerated() {
                let market = state.markets[position.market]
                guard let mark = market.markPrice,
                      let notional = try? closing[offset].multiplied(by: mark, rounding: .up),
                      let fee = try? notional.multiplied(by: market.liquidationFee, rounding: .up) else { return false }
                fees += Int128(fee.raw)
                after.positions[offset].size = Fixed(raw: position.size.raw - position.size.signum * closing[offset].raw)
            }
            after.positions.removeAll { $0.size.isZero }
            guard let afterRisk = try? computeRisk(of: after).risk else { return false }
            let cappedFees = Swift.min(fees, Int128(Swift.max(risk.equity.raw, 0)))
            let equityAfter = Int128(risk.equity.raw) - cappedFees
            return equityAfter * Int128(Fixed.scale) >= Int128(afterRisk.maintenanceMargin.raw) * Int128(cureLevel.raw)
        }
        let maximum = policy.stepFraction
        guard restores(maximum) else { return quantities(maximum) }
        var low: Int64 = 0  // does not restore (closing nothing cannot: the account is below MM)
        var high = maximum.raw  // restores
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if restores(Fixed(raw: middle)) { high = middle } else { low = middle }
        }
        return quantities(Fixed(raw: high))
    }

    /// Closes `quantities[i]` of position i at the mark, charging the market's liquidation fee to
    /// the insurance fund, with the step's fees capped at max(0, equityBeforeFees) so the fee alone
    /// never makes equity negative. Each leg's money moves as one ledger batch.
    mutating func closePositions(account: Int, quantities: [Fixed], equityBeforeFees: Fixed, reason: LiquidationReason) -> [ClosedLeg] {
        var legs: [ClosedLeg] = []
        var feeBudget = Fixed.maximum(equityBeforeFees, .zero)
        let positions = state.accounts[account].positions
        for (offset, position) in positions.enumerated() {
            let quantity = quantities[offset]
            let market = state.markets[position.market]
            guard quantity.isPositive, let mark = market.markPrice else { continue }
            let trade = position.size.isPositive ? quantity.negated : quantity
            guard let change = try? position.applyingTrade(quantity: trade, price: mark),
                  let notional = try? quantity.multiplied(by: mark, rounding: .up),
                  let fullFee = try? notional.multiplied(by: market.liquidationFee, rounding: .up) else { continue }
            let fee = Fixed.minimum(fullFee, feeBudget)
            var batch = LedgerBatch()
            batch.move(change.realizedPnL, of: market.settleAsset, from: .clearing(market: position.market), to: .trader(account))
            batch.move(fee, of: market.settleAsset, from: .trader(account), to: .insuranceFund)
            guard (try? commit(batch)) != nil else { continue }
            feeBudget = Fixed(raw: feeBudget.raw - fee.raw)
            if let current = state.accounts[account].positionIndex(market: position.market) {
                state.accounts[account].positions[current] = change.position
            }
            legs.append(ClosedLeg(market: position.market, sizeBefore: position.size, closedQuantity: quantity, price: mark))
            emit(.liquidationFill(account: state.accounts[account].id, market: market.id, size: trade, price: mark, fee: fee, reason: reason))
        }
        state.accounts[account].positions.removeAll { $0.size.isZero }
        return legs
    }

    /// Ends a liquidation once no position is left: `liquidated`, and if equity is negative also
    /// `bankrupt`, after seizing the account's remaining collateral into the insurance fund, letting
    /// the fund pay the deficit, and recovering what it cannot pay by ADL.
    mutating func settle(account: Int, closedLegs: [ClosedLeg]) {
        let id = state.accounts[account].id
        state.accounts[account].deadlineMs = nil
        state.accounts[account].nextStepMs = nil
        guard let risk = try? computeRisk(ofAccount: account).risk, risk.equity.isNegative else {
            state.accounts[account].phase = .liquidated
            emit(.liquidated(account: id))
            return
        }
        if state.accounts[account].phase != .liquidated { emit(.liquidated(account: id)) }
        state.accounts[account].phase = .bankrupt

        // Seize positive balances (collateral in other assets) into the insurance fund.
        var seizure = LedgerBatch()
        for (asset, balance) in state.accounts[account].balances.enumerated() where balance.isPositive {
            seizure.move(balance, of: asset, from: .trader(account), to: .insuranceFund)
        }
        _ = try? commit(seizure)

        var deficitTotal = Fixed.zero, insuranceTotal = Fixed.zero, recoveredTotal = Fixed.zero
        for (asset, balance) in state.accounts[account].balances.enumerated() where balance.isNegative {
            let deficit = balance.magnitude
            let payment = Fixed.minimum(Fixed.maximum(state.insuranceFund[asset], .zero), deficit)
            var cover = LedgerBatch()
            cover.move(payment, of: asset, from: .insuranceFund, to: .trader(account))
            if (try? commit(cover)) == nil { continue }
            let remaining = Fixed(raw: deficit.raw - payment.raw)
            var legs: [ClosedLeg] = []  // a loop, not `filter`: a closure over `self` would copy the engine
            for leg in closedLegs where state.markets[leg.market].settleAsset == asset { legs.append(leg) }
            let recovered = remaining.isPositive ? autoDeleverage(bankrupt: account, asset: asset, deficit: deficit, remaining: remaining, legs: legs) : .zero
            deficitTotal = (try? deficitTotal.adding(deficit)) ?? deficitTotal
            insuranceTotal = (try? insuranceTotal.adding(payment)) ?? insuranceTotal
            recoveredTotal = (try? recoveredTotal.adding(recovered)) ?? recoveredTotal
        }
        emit(.bankrupt(account: id, deficit: deficitTotal, insurancePaid: insuranceTotal, adlRecovered: recoveredTotal))
    }

    /// Auto-deleveraging: recovers `remaining` (≤ deficit) of a bankrupt account's deficit in `asset`
    /// from the most profitable opposite positions in the markets it was closed out of.
    ///
    /// For a leg of size s closed at mark p, the bankruptcy price is p_b = p + D/s (the price at
    /// which the account's equity would have been zero); its distance δ = ⌈D/|s|⌉. The leg's share of
    /// the remaining deficit is R_m = R × notional_m / Σ notional (the last leg takes the rest). Opposite
    /// positions, ranked by unrealized-PnL ratio × leverage (highest first, ties by account order),
    /// are closed at p_b: each closes q = min(|size|, ⌈R_m / δ⌉ left) at the mark and pays
    /// min(q × δ rounded up, R_m left) to the bankrupt account, so its fill is effectively at p_b.
    /// What cannot be recovered stays as the bankrupt account's negative balance (bad debt).
    mutating func autoDeleverage(bankrupt account: Int, asset: Int, deficit: Fixed, remaining: Fixed, legs: [ClosedLeg]) -> Fixed {
        guard !legs.isEmpty else { return .zero }
        var notionals: [Int128] = legs.map { Int128($0.sizeBefore.magnitude.raw) * Int128($0.price.raw) }
        let totalNotional = notionals.reduce(0, +)
        guard totalNotional > 0 else { return .zero }
        var recoveredTotal = Fixed.zero
        var allocated = Int128(0)
        for (legIndex, leg) in legs.enumerated() {
            let share: Int128 = legIndex == legs.count - 1
                ? Int128(remaining.raw) - allocated
                : Int128(remaining.raw) * notionals[legIndex] / totalNotional
            allocated += share
            notionals[legIndex] = share
            guard share > 0, let distance = try? deficit.divided(by: leg.sizeBefore.magnitude, rounding: .up), distance.isPositive else { continue }
            let bankruptcyPrice = leg.sizeBefore.isPositive
                ? ((try? leg.price.adding(distance)) ?? .max)
                : Fixed.maximum((try? leg.price.subtracting(distance)) ?? .ulp, .ulp)
            var leftToRecover = Fixed(raw: Int64(share))
            var leftQuantity = (try? leftToRecover.divided(by: distance, rounding: .up)) ?? .max
            let rankingKey = 2 * leg.market + (leg.sizeBefore.isPositive ? 0 : 1)
            var ranking: (accounts: [Int], start: Int)
            if let cached = adlRankings[rankingKey] { ranking = cached } else {  // not `??`: it would copy the engine
                ranking = (rankedCounterparties(market: leg.market, oppositeTo: leg.sizeBefore), 0)
            }
            // Skip the head of the queue that earlier bankruptcies of this command closed out.
            while ranking.start < ranking.accounts.count,
                  state.accounts[ranking.accounts[ranking.start]].positionIndex(market: leg.market) == nil {
                ranking.start += 1
            }
            adlRankings[rankingKey] = ranking
            for counterparty in ranking.accounts[ranking.start...] where counterparty != account {
                guard leftToRecover.isPositive, leftQuantity.isPositive else { break }
                guard let positionIndex = state.accounts[counterparty].positionIndex(market: leg.market) else { continue }
                let position = state.accounts[counterparty].positions[positionIndex]
                guard !position.size.isZero, position.size.isPositive != leg.sizeBefore.isPositive else { continue }
                let quantity = Fixed.minimum(position.size.magnitude, leftQuantity)
                let trade = position.size.isPositive ? quantity.negated : quantity
                guard let change = try? position.applyingTrade(quantity: trade, price: leg.price),
                      // Rounded up: q = ⌈R/δ⌉ so q·δ ≥ R, and the payment is capped at what is left, so the
                      // deficit is closed exactly (rounding down left 10⁻⁸ dust as bad debt per fill).
                      let owed = try? quantity.multiplied(by: distance, rounding: .up) else { continue }
                let payment = Fixed.minimum(owed, leftToRecover)
                var batch = LedgerBatch()
                batch.move(change.realizedPnL, of: asset, from: .clearing(market: leg.market), to: .trader(counterparty))
                batch.move(payment, of: asset, from: .trader(counterparty), to: .trader(account))
                guard (try? commit(batch)) != nil else { continue }
                if change.position.size.isZero {
                    state.accounts[counterparty].positions.remove(at: positionIndex)
                } else {
                    state.accounts[counterparty].positions[positionIndex] = change.position
                }
                leftToRecover = Fixed(raw: leftToRecover.raw - payment.raw)
                leftQuantity = Fixed(raw: leftQuantity.raw - quantity.raw)
                recoveredTotal = Fixed(raw: recoveredTotal.raw + payment.raw)
                emit(.adlFill(account: state.accounts[counterparty].id, market: state.markets[leg.market].id, size: trade, price: bankruptcyPrice))
                queueEvaluation(counterparty)
            }
        }
        return recoveredTotal
    }

    /// Accounts holding a position in `market` on the other side of `size`, most profitable and
    /// most leveraged first: score = (uPnL / |openNotional|) × (notional / equity); accounts with
    /// no positive equity rank last; ties go to the earlier account. A ranking, not money, so it
    /// may use `Double`.
    ///
    /// The ranking is taken once per command and market side (the first bankruptcy that needs it)
    /// and reused by later bankruptcies in the same command, as venues' ADL queues are refreshed
    /// periodically rather than per fill: a crash tick with many bankruptcies scans the accounts
    /// once, not once per bankrupt account. Accounts closed out meanwhile are skipped (their
    /// position is gone); accounts partly deleveraged keep their place.
    func rankedCounterparties(market: Int, oppositeTo size: Fixed) -> [Int] {
        guard let mark = state.markets[market].markPrice else { return [] }
        var scored: [(score: Double, account: Int)] = []
        for account in state.accounts.indices {
            guard let position = state.accounts[account].positions.first(where: { $0.market == market }),
                  position.size.isPositive != size.isPositive, !position.size.isZero else { continue }
            var score = -Double.infinity
            if let risk = try? computeRisk(ofAccount: account).risk, risk.equity.isPositive,
               let pnl = try? position.unrealizedPnL(at: mark), !position.openNotional.isZero {
                let pnlRatio = pnl.doubleValue / position.openNotional.magnitude.doubleValue
                let leverage = risk.totalNotional.doubleValue / risk.equity.doubleValue
                score = pnlRatio * leverage
            }
            scored.append((score, account))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.account < $1.account }
        return scored.map(\.account)
    }
}
