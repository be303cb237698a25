/// Full re-margin: the reference computation every shortcut must agree with.
extension Engine {
    /// Computes equity, IM and MM of every account at current prices and asks the state machine
    /// what it would do, without changing anything. This is the full re-evaluation that the
    /// trigger bands avoid on each mark update; it serves as the benchmark baseline and as an
    /// end-of-day check (a correct index leaves `accountsNeedingAction` at zero after any command).
    public func remarginAll() -> RemarginSummary {
        var summary = RemarginSummary()
        let anyMarketPaused = index.pausedMarketCount > 0
        state.accounts.withUnsafeBufferPointer { accounts in
            state.markets.withUnsafeBufferPointer { markets in
                state.assets.withUnsafeBufferPointer { assets in
                    guard let base = accounts.baseAddress else { return }
                    for index in accounts.indices {
                        summary.accountsEvaluated += 1
                        guard let evaluation = try? Self.computeRisk(at: base + index, markets: markets, assets: assets) else {
                            summary.accountsOverflowing += 1
                            continue
                        }
                        let risk = evaluation.risk
                        if risk.hasPositions, risk.equity < risk.maintenanceMargin { summary.accountsBelowMaintenance += 1 }
                        let policy = evaluation.largestPosition.flatMap { state.marketPolicies[accounts[index].positions[$0].market] }
                            ?? state.globalPolicy
                        // Read through the pointer: nothing is retained for the common, part-1 case.
                        let conditions = Self.needsConditions(policy: policy, autoTopup: (base + index).pointee.autoTopup)
                            ? Self.decisionConditions(for: (base + index).pointee, evaluation: evaluation, policy: policy, markets: markets)
                            : LiquidationStateMachine.Conditions()
                        let action = LiquidationStateMachine.decide(
                            state: accounts[index].liquidation, risk: risk, policy: policy, nowMs: state.clockMs,
                            conditions: conditions)
                        guard action != .none else { continue }
                        // Oracle safety holds this action back until the market's next fresh mark.
                        if action.startsLiquidation, anyMarketPaused, Self.holdsPausedMarket((base + index).pointee, markets: markets) {
                            summary.accountsPausedByOracle += 1
                        } else {
                            summary.accountsNeedingAction += 1
                        }
                    }
                }
            }
        }
        return summary
    }
}
