/// Full re-margin: every account's equity, IM and MM at current prices and what the state
/// machine would do, without changing anything.
extension Engine {
    /// Computes equity, IM and MM of every account at current prices and asks the state machine
    /// what it would do, without changing anything. This is the full re-evaluation that the
    /// trigger bands avoid on each mark update; it serves as the benchmark baseline and as an
    /// end-of-day check (a correct index leaves `accountsNeedingAction` at zero after any command).
    public func remarginAll() -> RemarginSummary {
        remarginAll(accounts: 0..<state.accounts.count)
    }

    /// `remarginAll()` over the accounts in `range` (disjoint ranges add up to the whole venue, so
    /// a caller may spread the range over threads and add the summaries).
    ///
    /// It streams through `MarginColumns` (balances and position slots in flat arrays) and computes
    /// each account's equity, IM, MM and total notional exactly as `computeRisk` does, term for
    /// term with the same rounding (`Asset.collateralValue`, `Position.unrealizedPnL` and
    /// `notional`, `TierSchedule`), summed in `Int128`. It decides an account alone when the
    /// account is screenable (standard model, resting lifecycle state) and
    ///   equity × 10⁸ − MM × k_max ≥ 0   (exact, 10⁻¹⁶ units),
    /// where k_max is the largest line (hard fraction, 1, call, cure, warning, at m = 1 and at the
    /// policy's max multiplier) of the policy its largest position follows: then no line is crossed,
    /// so `decide` returns `.none` and the account is not below MM. An account without positions
    /// and with equity ≥ 0 needs nothing either. Every other account (options, the portfolio model,
    /// a lifecycle in progress, a line crossed, an overflow) takes the reference path,
    /// `computeRisk` and `decide` on the account itself, so the summary equals
    /// `remarginAllByAccount()` exactly.
    public func remarginAll(accounts range: Range<Int>) -> RemarginSummary {
        var summary = RemarginSummary()
        let range = range.clamped(to: 0..<state.accounts.count)
        let marketScreens = state.markets.indices.map { market in
            ColumnMarketScreen(market: state.markets[market], policy: state.marketPolicies[market] ?? state.globalPolicy)
        }
        let globalMultiple = ColumnMarketScreen.largestLine(of: state.globalPolicy)
        let columns = index.columns
        withRemarginContext { context in
        state.accounts.withUnsafeBufferPointer { accounts in
        marketScreens.withUnsafeBufferPointer { screens in
        columns.runStart.withUnsafeBufferPointer { runStart in
        columns.runCount.withUnsafeBufferPointer { runCount in
        columns.screenable.withUnsafeBufferPointer { screenable in
        columns.balances.withUnsafeBufferPointer { balances in
        columns.slotMarket.withUnsafeBufferPointer { slotMarket in
        columns.slotSize.withUnsafeBufferPointer { slotSize in
        columns.slotBasis.withUnsafeBufferPointer { slotBasis in
            guard let base = accounts.baseAddress else { return }
            let markets = context.markets, assets = context.assets
            let stride = columns.balanceStride
            let assetCount = Swift.min(assets.count, stride)
            accountLoop: for account in range {
                summary.accountsEvaluated += 1
                // Equity from collateral, then every position's PnL; requirements per position.
                var equity: Int128 = 0
                var initial: Int128 = 0
                var maintenance: Int128 = 0
                var total: Int128 = 0
                var largestNotional: Int64 = -1
                var largestMarket = -1
                do {
                    let row = account * stride
                    for asset in 0..<assetCount where balances[row + asset] != 0 {
                        equity += Int128(try assets[asset].collateralValue(of: Fixed(raw: balances[row + asset])).raw)
                    }
                    let start = Int(runStart[account]), count = Int(runCount[account])
                    for slot in start..<(start + count) {
                        let market = Int(slotMarket[slot])
                        let screen = screens[market]
                        guard screen.hasMark else { continue }
                        guard !screen.isOption else {
                            Self.remarginByAccount(at: base + account, context: context, into: &summary)
                            continue accountLoop
                        }
                        let held = Position(market: market, size: Fixed(raw: slotSize[slot]), openNotional: Fixed(raw: slotBasis[slot]))
                        let mark = Fixed(raw: screen.markRaw)
                        let notional = try held.notional(at: mark)
                        equity += Int128(try held.unrealizedPnL(at: mark).raw)
                        initial += Int128(try markets[market].tiers.initialMargin(notional: notional).raw)
                        maintenance += Int128(try markets[market].tiers.maintenanceMargin(notional: notional).raw)
                        total += Int128(notional.raw)
                        if notional.raw > largestNotional { largestNotional = notional.raw; largestMarket = market }
                    }
                    _ = try Fixed.narrowing(initial)
                    _ = try Fixed.narrowing(total)
                    let equityFixed = try Fixed.narrowing(equity), maintenanceFixed = try Fixed.narrowing(maintenance)
                    if screenable[account] {
                        if count == 0 {
                            if !equityFixed.isNegative { continue accountLoop }
                        } else {
                            let multiple = largestMarket >= 0 ? screens[largestMarket].largestLineRaw : globalMultiple
                            let gap = Int128(equityFixed.raw) * Int128(Fixed.scale) - Int128(maintenanceFixed.raw) * Int128(multiple)
                            if gap >= 0 { continue accountLoop }
                        }
                    }
                } catch {
                    // An overflow: the reference path counts it.
                }
                Self.remarginByAccount(at: base + account, context: context, into: &summary)
            }
        }}}}}}}}}}
        return summary
    }

    /// The reference full re-margin: `computeRisk` and `decide` on every account itself. The
    /// column kernel of `remarginAll()` must agree with it exactly (tests compare the two).
    public func remarginAllByAccount() -> RemarginSummary {
        var summary = RemarginSummary()
        withRemarginContext { context in
            state.accounts.withUnsafeBufferPointer { accounts in
                guard let base = accounts.baseAddress else { return }
                for account in accounts.indices {
                    summary.accountsEvaluated += 1
                    Self.remarginByAccount(at: base + account, context: context, into: &summary)
                }
            }
        }
        return summary
    }

    /// What the reference path needs besides the account: the tables, the policies, the clock.
    struct RemarginContext {
        var markets: UnsafeBufferPointer<Market>
        var assets: UnsafeBufferPointer<Asset>
        var policies: UnsafeBufferPointer<LiquidationPolicy?>
        var globalPolicy: LiquidationPolicy
        var nowMs: Int64
        var anyMarketPaused: Bool
    }

    /// Adds one account's outcome to `summary` (below MM, needing action, held by a paused market,
    /// overflowing), computed on the account itself. `accountsEvaluated` is the caller's.
    private static func remarginByAccount(at account: UnsafePointer<Account>, context: RemarginContext,
                                          into summary: inout RemarginSummary) {
        guard let evaluation = try? computeRisk(at: account, markets: context.markets, assets: context.assets) else {
            summary.accountsOverflowing += 1
            return
        }
        let risk = evaluation.risk
        if risk.hasPositions, risk.equity < risk.maintenanceMargin { summary.accountsBelowMaintenance += 1 }
        let policy = evaluation.largestPosition.flatMap { context.policies[account.pointee.positions[$0].market] }
            ?? context.globalPolicy
        // Read through the pointer: nothing is retained for the common, part-1 case.
        let conditions = needsConditions(policy: policy, autoTopup: account.pointee.autoTopup)
            ? decisionConditions(for: account.pointee, evaluation: evaluation, policy: policy, markets: context.markets)
            : LiquidationStateMachine.Conditions()
        let action = LiquidationStateMachine.decide(
            state: account.pointee.liquidation, risk: risk, policy: policy, nowMs: context.nowMs, conditions: conditions)
        guard action != .none else { return }
        // Oracle safety holds this action back until the market's next fresh mark.
        if action.startsLiquidation, context.anyMarketPaused, holdsPausedMarket(account.pointee, markets: context.markets) {
            summary.accountsPausedByOracle += 1
        } else {
            summary.accountsNeedingAction += 1
        }
    }

    /// Runs `body` with the reference path's context over pinned tables.
    private func withRemarginContext<Result>(_ body: (RemarginContext) -> Result) -> Result {
        state.markets.withUnsafeBufferPointer { markets in
            state.assets.withUnsafeBufferPointer { assets in
                state.marketPolicies.withUnsafeBufferPointer { policies in
                    body(RemarginContext(markets: markets, assets: assets, policies: policies, globalPolicy: state.globalPolicy,
                                         nowMs: state.clockMs, anyMarketPaused: index.pausedMarketCount > 0))
                }
            }
        }
    }
}
