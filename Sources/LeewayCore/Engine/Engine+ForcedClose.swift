/// Planners of forced closes: deleveraging steps and full liquidation. They read the engine and
/// return a `Transition`; `commit` applies it.
extension Engine {
    /// One deleveraging step: how much of each position to close, as a transition that also sets
    /// the next step's time.
    ///
    /// Each position closes the same fraction f of itself (rounded up to 10⁻⁸ units, at most all
    /// of it), where f is the smallest fraction in (0, F] with
    ///   equity − fees(f) ≥ MM_after(f) × cure,
    /// cure = call_level·m + cure_buffer, F = liquidation_step_fraction below MM (when set), else
    /// step_fraction, fees(f) = Σ r_m × closed notional_m (rounded up, capped at max(0, equity)),
    /// r_m = pre_liquidation_fee at or above MM (when set), else the market's liquidation fee;
    /// if even f = F does not restore that, f = F. Found by bisection on f in 10⁻⁸ units, so the
    /// result is exact and deterministic. Closing at the mark moves no equity except through the
    /// fee, which is why the fee enters the condition. The next step is due after cooldown_ms, or
    /// after liquidation_cooldown_ms should equity then be below MM.
    func planDeleveragingStep(account: Int, risk: AccountRisk, policy: LiquidationPolicy,
                              conditions: LiquidationStateMachine.Conditions = .init()) throws(EngineFault) -> Transition {
        let held = state.accounts[account]
        let cureLevel = policy.lines(multiplier: conditions.multiplier).cure
        let belowMaintenance = risk.isBelow(multiple: .one)
        let feeOverride = belowMaintenance ? nil : policy.preLiquidationFee
        func quantities(_ fraction: Fixed) -> [Fixed] {
            held.positions.map { position in
                let wanted = (try? position.size.magnitude.multiplied(by: fraction, rounding: .up)) ?? position.size.magnitude
                return Fixed.minimum(wanted, position.size.magnitude)
            }
        }
        func restores(_ fraction: Fixed) -> Bool {
            let closing = quantities(fraction)
            var after = held
            var fees = Int128(0)
            for (offset, position) in held.positions.enumerated() {
                let market = state.markets[position.market]
                guard let mark = market.valuationPrice(size: position.size),
                      let notional = try? closing[offset].multiplied(by: mark, rounding: .up),
                      let fee = try? notional.multiplied(by: feeOverride ?? market.liquidationFee, rounding: .up) else { return false }
                fees += Int128(fee.raw)
                after.positions[offset].size = Fixed(raw: position.size.raw - position.size.signum * closing[offset].raw)
            }
            after.positions.removeAll { $0.size.isZero }
            guard let afterRisk = try? computeRisk(of: after).risk else { return false }
            let cappedFees = Swift.min(fees, Int128(Swift.max(risk.equity.raw, 0)))
            let equityAfter = Int128(risk.equity.raw) - cappedFees
            return equityAfter * Int128(Fixed.scale) >= Int128(afterRisk.maintenanceMargin.raw) * Int128(cureLevel.raw)
        }
        let maximum = belowMaintenance ? (policy.liquidationStepFraction ?? policy.stepFraction) : policy.stepFraction
        var chosen = maximum
        if restores(maximum) {
            var low: Int64 = 0  // does not restore (closing nothing cannot: the account is below MM)
            var high = maximum.raw  // restores
            while high - low > 1 {
                let middle = low + (high - low) / 2
                if restores(Fixed(raw: middle)) { high = middle } else { low = middle }
            }
            chosen = Fixed(raw: high)
        }
        var step = try planClose(account: account, quantities: quantities(chosen), equityBeforeFees: risk.equity, reason: .step,
                                 feeRate: feeOverride)
        step.outcome = steppedOutcome(policy: policy)
        return step
    }

    /// A step's outcome: the next step after cooldown_ms, or after liquidation_cooldown_ms should
    /// equity then be below MM.
    func steppedOutcome(policy: LiquidationPolicy) -> LiquidationStateMachine.Outcome {
        func after(_ cooldown: Int64) -> Int64 {
            let (time, overflow) = state.clockMs.addingReportingOverflow(cooldown)
            return overflow ? Int64.max : time
        }
        return .stepped(nextStepMs: after(policy.cooldownMs),
                        urgentStepMs: after(policy.liquidationStepFraction == nil ? policy.cooldownMs : policy.liquidationCooldownMs))
    }

    /// Closes `quantities[i]` of position i at the mark (an option at its value, rounded against the
    /// holder: `Market.valuationPrice`), charging the market's liquidation fee (or
    /// `feeRate` when given: the pre-liquidation fee) to the insurance fund. The step's fees are capped at max(0, equityBeforeFees), so the fee alone
    /// never makes equity negative; a fee is rounded up, then capped.
    ///
    /// A leg that cannot be computed (no mark, an amount out of range) fails the whole plan with a
    /// `forced_close_failed` fault: a partial close that silently skipped a leg would misreport risk.
    func planClose(account: Int, quantities: [Fixed], equityBeforeFees: Fixed, reason: LiquidationReason,
                   feeRate: Fixed? = nil) throws(EngineFault) -> Transition {
        var transition = Transition(account: account, failureCode: .forcedCloseFailed)
        transition.positions.reserveCapacity(quantities.count)
        transition.closedLegs.reserveCapacity(quantities.count)
        transition.events.reserveCapacity(quantities.count + 2)  // + liquidated, bankrupt if settled next
        var feeBudget = Fixed.maximum(equityBeforeFees, .zero)
        let held = state.accounts[account]
        for (offset, position) in held.positions.enumerated() {
            let quantity = quantities[offset]
            guard quantity.isPositive else { continue }
            let market = state.markets[position.market]
            guard let mark = market.valuationPrice(size: position.size) else {
                throw EngineFault(code: .forcedCloseFailed, message: "account \"\(held.id)\" cannot be closed in \(market.id): the market has no mark price")
            }
            let trade = position.size.isPositive ? quantity.negated : quantity
            let change: PositionChange, fullFee: Fixed
            do {
                change = try position.applyingTrade(quantity: trade, price: mark)
                fullFee = try quantity.multiplied(by: mark, rounding: .up).multiplied(by: feeRate ?? market.liquidationFee, rounding: .up)
            } catch {
                throw EngineFault(code: .forcedCloseFailed,
                                  message: "closing \(quantity) of account \"\(held.id)\"'s \(market.id) position at \(mark) is beyond the engine's range")
            }
            let fee = Fixed.minimum(fullFee, feeBudget)
            feeBudget = Fixed(raw: feeBudget.raw - fee.raw)
            transition.ledger.move(change.realizedPnL, of: market.settleAsset, from: .clearing(market: position.market), to: .trader(account))
            transition.ledger.move(fee, of: market.settleAsset, from: .trader(account), to: .insuranceFund)
            transition.positions.append(.init(account: account, position: change.position))
            transition.closedLegs.append(ClosedLeg(market: position.market, sizeBefore: position.size, closedQuantity: quantity, price: mark))
            transition.events.append(.liquidationFill(account: held.id, market: market.id, size: trade, price: mark, fee: fee, reason: reason))
        }
        return transition
    }
}
