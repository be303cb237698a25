/// Deleveraging steps of portfolio-margined accounts (issue 16, part 3): a step chooses what to do.
extension Engine {
    /// The candidate steps of account `id` in its current state (nil for an unknown account): what
    /// the what-if shows a trader in a call, "which hedge cures my call". Fee rate and size cap as
    /// a step taken now would use them (see `planPortfolioStep`).
    public func portfolioStepCandidates(account id: String) -> [PortfolioStepCandidate]? {
        guard let account = index.accountByID[id], let evaluation = try? computeRisk(ofAccount: account) else { return nil }
        let policy = policy(for: state.accounts[account], largestPosition: evaluation.largestPosition)
        let belowMaintenance = evaluation.risk.isBelow(multiple: .one)
        let fraction = belowMaintenance ? (policy.liquidationStepFraction ?? policy.stepFraction) : policy.stepFraction
        let multiplier = Self.decisionConditions(for: state.accounts[account], evaluation: evaluation, policy: policy, markets: state.markets).multiplier
        return stepCandidates(account: account, risk: evaluation.risk, fraction: fraction,
                              feeRate: belowMaintenance ? nil : policy.preLiquidationFee, cure: policy.lines(multiplier: multiplier).cure)
    }

    /// One deleveraging step of an account on the portfolio model.
    ///
    /// Candidates: for each position (perpetual or option leg), closing q = ⌈|size| × F⌉ of it; for
    /// each underlying, a delta hedge in its perpetual: the trade h = −Δ × F (Δ = Σ perpetual size +
    /// Σ option size × contract_size × Black-76 delta, rounded toward zero to 10⁻⁸), taken only if
    /// it opens the perpetual or enlarges it (the other direction is a close, already a candidate).
    /// F = liquidation_step_fraction below MM (when set), else step_fraction. Each candidate is
    /// valued on the account as it would be after the trade (at the mark, an option at its value
    /// rounded against the holder): relief = MM − MM_after, cost = liquidation fee of the trade
    /// (pre_liquidation_fee at or above MM, when set), and the worst scenario loss before and after.
    /// `PortfolioStepCandidate.best` picks the largest relief per unit of cost among those that
    /// relieve margin and do not raise the worst loss. Its size is then the smallest (bisection on
    /// 10⁻⁸ units) that restores equity − fee ≥ MM_after × cure, capped at the candidate's size.
    /// When no candidate is eligible the step closes every position by the same fraction
    /// (`planDeleveragingStep`), which scales every scenario loss down and so never raises the
    /// worst one. The fill is a `liquidation_fill` naming the leg, with reason `step` for a close
    /// and `hedge` for a hedge.
    func planPortfolioStep(account: Int, risk: AccountRisk, policy: LiquidationPolicy,
                           conditions: LiquidationStateMachine.Conditions) throws(EngineFault) -> Transition {
        let belowMaintenance = risk.isBelow(multiple: .one)
        let fraction = belowMaintenance ? (policy.liquidationStepFraction ?? policy.stepFraction) : policy.stepFraction
        let feeRate = belowMaintenance ? nil : policy.preLiquidationFee
        let cure = policy.lines(multiplier: conditions.multiplier).cure
        let candidates = stepCandidates(account: account, risk: risk, fraction: fraction, feeRate: feeRate, cure: cure)
        guard let chosen = PortfolioStepCandidate.best(candidates) else {
            return try planDeleveragingStep(account: account, risk: risk, policy: policy, conditions: conditions)
        }
        let candidate = candidates[chosen]
        var size = candidate.size
        if candidate.cures {
            var low: Int64 = 0, high = candidate.size.magnitude.raw
            while high - low > 1 {
                let middle = low + (high - low) / 2
                let trial = Fixed(raw: candidate.size.isNegative ? -middle : middle)
                if evaluateTrade(account: account, risk: risk, market: candidate.marketIndex, size: trial, feeRate: feeRate, cure: cure)?.cures == true {
                    high = middle
                } else {
                    low = middle
                }
            }
            size = Fixed(raw: candidate.size.isNegative ? -high : high)
        }
        var step: Transition
        if candidate.action == .close {
            var quantities = Array(repeating: Fixed.zero, count: state.accounts[account].positions.count)
            guard let slot = state.accounts[account].positionIndex(market: candidate.marketIndex) else {
                throw EngineFault(code: .forcedCloseFailed, message: "account \"\(state.accounts[account].id)\" has no \(candidate.market) position to close")
            }
            quantities[slot] = size.magnitude
            step = try planClose(account: account, quantities: quantities, equityBeforeFees: risk.equity, reason: .step, feeRate: feeRate)
        } else {
            step = try planHedge(account: account, market: candidate.marketIndex, size: size, equityBeforeFees: risk.equity, feeRate: feeRate)
        }
        step.outcome = steppedOutcome(policy: policy)
        return step
    }

    /// Every candidate step (see `planPortfolioStep`), legs in position order, then hedges.
    func stepCandidates(account: Int, risk: AccountRisk, fraction: Fixed, feeRate: Fixed?, cure: Fixed) -> [PortfolioStepCandidate] {
        let held = state.accounts[account]
        var trades: [(market: Int, size: Fixed)] = []
        for position in held.positions {
            let wanted = (try? position.size.magnitude.multiplied(by: fraction, rounding: .up)) ?? position.size.magnitude
            let quantity = Fixed.minimum(wanted, position.size.magnitude)
            trades.append((position.market, position.size.isPositive ? quantity.negated : quantity))
        }
        let underlyings = withUnsafePointer(to: held) { Self.underlyings(of: $0, markets: state.markets) }
        for underlying in underlyings {
            guard let book = try? withUnsafePointer(to: held, { (pointer) throws(ArithmeticError) in
                try Self.portfolioBook(of: pointer, underlying: underlying, markets: state.markets)
            }) else { continue }
            let hedge = -(PortfolioMargin.netDelta(legs: book.legs, forward: book.forward) * fraction.doubleValue)
            guard hedge.isFinite, let size = try? Fixed(hedge, rounding: hedge < 0 ? .up : .down), !size.isZero else { continue }
            let perpetual = held.positions.first { $0.market == underlying }?.size ?? .zero
            guard perpetual.isZero || perpetual.isPositive == size.isPositive else { continue }
            trades.append((underlying, size))
        }
        var candidates: [PortfolioStepCandidate] = []
        for (offset, trade) in trades.enumerated() where !trade.size.isZero {
            guard var candidate = evaluateTrade(account: account, risk: risk, market: trade.market, size: trade.size, feeRate: feeRate, cure: cure) else {
                continue
            }
            candidate.action = offset < held.positions.count ? .close : .hedge
            candidates.append(candidate)
        }
        return candidates
    }

    /// The candidate of trading `size` in `market` now (action `close`; the caller names hedges).
    /// nil when a price is missing or an amount is out of range.
    func evaluateTrade(account: Int, risk: AccountRisk, market: Int, size: Fixed, feeRate: Fixed?, cure: Fixed) -> PortfolioStepCandidate? {
        let held = state.accounts[account]
        let slot = held.positionIndex(market: market)
        let current = slot.map { held.positions[$0] } ?? Position(market: market, size: .zero, openNotional: .zero)
        // A close trades against the position (valued as the position is); a hedge opens at the mark.
        guard let price = state.markets[market].valuationPrice(size: current.size.isZero ? size : current.size) else { return nil }
        var after = held
        do throws(ArithmeticError) {
            try Self.trade(&after, market: market, size: size, price: price, settleAsset: state.markets[market].settleAsset)
            let fullFee = try size.magnitude.multiplied(by: price, rounding: .up).multiplied(by: feeRate ?? state.markets[market].liquidationFee, rounding: .up)
            let fee = Fixed.minimum(fullFee, Fixed.maximum(risk.equity, .zero))
            let afterRisk = try computeRisk(of: after).risk
            let equityAfter = Int128(afterRisk.equity.raw) - Int128(fee.raw)
            let cures = equityAfter * Int128(Fixed.scale) >= Int128(afterRisk.maintenanceMargin.raw) * Int128(cure.raw)
            return PortfolioStepCandidate(
                action: .close, market: state.markets[market].id, size: size, price: price,
                relief: try risk.maintenanceMargin.subtracting(afterRisk.maintenanceMargin), cost: fullFee,
                worstLossBefore: try Self.worstScenarioLoss(of: held, markets: state.markets),
                worstLossAfter: try Self.worstScenarioLoss(of: after, markets: state.markets),
                cures: cures, marketIndex: market)
        } catch {
            return nil
        }
    }

    /// A hedge trade of `size` in the perpetual `market` at the mark, as a transition: the fee
    /// (rounded up, capped at max(0, equity)) to the insurance fund, any realized PnL through the
    /// clearing account, and a `liquidation_fill` with reason `hedge`. Not reduce-only: it may open
    /// or enlarge the position.
    func planHedge(account: Int, market: Int, size: Fixed, equityBeforeFees: Fixed, feeRate: Fixed?) throws(EngineFault) -> Transition {
        let held = state.accounts[account]
        let perpetual = state.markets[market]
        guard let mark = perpetual.markPrice else {
            throw EngineFault(code: .forcedCloseFailed, message: "account \"\(held.id)\" cannot hedge in \(perpetual.id): the market has no mark price")
        }
        let current = held.positions.first { $0.market == market } ?? Position(market: market, size: .zero, openNotional: .zero)
        let change: PositionChange, fullFee: Fixed
        do {
            change = try current.applyingTrade(quantity: size, price: mark)
            fullFee = try size.magnitude.multiplied(by: mark, rounding: .up).multiplied(by: feeRate ?? perpetual.liquidationFee, rounding: .up)
        } catch {
            throw EngineFault(code: .forcedCloseFailed, message: "a hedge of \(size) \(perpetual.id) for account \"\(held.id)\" is beyond the engine's range")
        }
        let fee = Fixed.minimum(fullFee, Fixed.maximum(equityBeforeFees, .zero))
        var transition = Transition(account: account, failureCode: .forcedCloseFailed)
        transition.reduceOnly = false
        transition.ledger.move(change.realizedPnL, of: perpetual.settleAsset, from: .clearing(market: market), to: .trader(account))
        transition.ledger.move(fee, of: perpetual.settleAsset, from: .trader(account), to: .insuranceFund)
        transition.positions = [.init(account: account, position: change.position)]
        transition.events = [.liquidationFill(account: held.id, market: perpetual.id, size: size, price: mark, fee: fee, reason: .hedge)]
        return transition
    }
}
