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
    /// It streams through `MarginColumns` and proves, with multiplications only, that an account
    /// needs nothing; any account it cannot clear takes the reference path (`computeRisk` and
    /// `decide` on the account itself), so the summary equals `remarginAllByAccount()` exactly.
    ///
    /// The engine's values (raw 10⁻⁸ units; s size, m mark, b open notional, c collateral value):
    /// PnL_i = ⌊s·m / 10⁸⌋ − b, N_i = ⌈|s|·m / 10⁸⌉, MM_i = ⌈max(g(N_i), 0) / 10⁸⌉ with
    /// g(N) = max_t (N·mmr_t − cum_mm(t)) (the tier formula: continuous with rising rates, so the
    /// active tier's piece is the largest), E = Σc + Σ PnL_i, MM = Σ MM_i. Bounds, from
    /// ⌊x/d⌋ > x/d − 1 and ⌈x/d⌉ < x/d + 1 and g rising:
    ///   10⁸·E ≥ e = 10⁸·Σc + Σ (s·m − 10⁸·b − (10⁸ − 1))                       (10⁻¹⁶ units)
    ///   10¹⁶·MM ≤ μ = Σ (max(g'(|s|·m + 10⁸ − 1), 0) + 10⁸·(10⁸ − 1))           (10⁻²⁴ units)
    /// where g'(y) = max_t (mmr_t·y − 10⁸·cum_mm(t)) is 10⁸·g at N = y / 10⁸ (its piece found by
    /// comparing y with 10⁸·floor_t). The account needs nothing when it is screenable (standard
    /// model, resting lifecycle: `MarginColumns.isScreenable`) and
    ///   e·10¹⁶ ≥ k·μ   (10⁻³² units: 10¹⁶·E·10⁸ ≥ e·10¹⁶ ≥ k·μ ≥ k·10¹⁶·MM; for large
    ///   accounts the same test scaled down by 10⁸ with μ/10⁸ rounded up),
    /// which implies E·10⁸ − k·MM ≥ 0 for k = the largest line of any policy the account may follow
    /// (`RemarginScreen.largestLine` over its marked positions' markets; the global one if none):
    /// no line is crossed, `decide` returns `.none`, and equity ≥ MM. An account without positions
    /// needs nothing when Σc ≥ 0. Magnitudes are guarded (|s|·m < 2⁹⁰, at most 64 positions,
    /// the last products checked) so no sum or product wraps; an account beyond them takes the
    /// reference path.
    public func remarginAll(accounts range: Range<Int>) -> RemarginSummary {
        var summary = RemarginSummary()
        let range = range.clamped(to: 0..<state.accounts.count)
        let screen = RemarginScreen(markets: state.markets, policies: state.marketPolicies, globalPolicy: state.globalPolicy)
        let columns = index.columns
        let unit = Int128(Fixed.scale)
        let ulps = unit - 1
        let productLimit = Int128(1) << 90
        let accounts = state.accounts
        withRemarginContext { context in
        screen.markets.withUnsafeBufferPointer { screens in
        screen.pieces.withUnsafeBufferPointer { pieces in
        columns.runs.withUnsafeBufferPointer { runs in
        columns.balances.withUnsafeBufferPointer { balances in
        columns.slots.withUnsafeBufferPointer { slots in
            let assets = context.assets
            let stride = columns.balanceStride
            let assetCount = Swift.min(assets.count, stride)
            accountLoop: for account in range {
                summary.accountsEvaluated += 1
                let run = runs[account]
                let count = Int(run.count)
                cleared: do {
                    guard run.screenable, count <= 64 else { break cleared }
                    var equityBound: Int128 = 0  // e, 10⁻¹⁶ units
                    let row = account * stride
                    for asset in 0..<assetCount where balances[row + asset] != 0 {
                        guard let value = try? assets[asset].collateralValue(of: Fixed(raw: balances[row + asset])) else { break cleared }
                        equityBound += Int128(value.raw) &* unit
                    }
                    guard count > 0 else {
                        if equityBound >= 0 { continue accountLoop }
                        break cleared
                    }
                    var maintenanceBound: Int128 = 0  // μ, 10⁻²⁴ units
                    var line: Int64 = 0
                    let start = Int(run.start)
                    for slot in start..<(start + count) {
                        let position = slots[slot]
                        let market = screens[Int(position.market)]
                        guard market.hasMark else { continue }
                        guard !market.isOption else { break cleared }
                        let product = Int128(position.size) &* Int128(market.markRaw)  // s·m, exact
                        let notional = product < 0 ? 0 &- product : product              // |s|·m
                        guard notional < productLimit else { break cleared }
                        equityBound += product &- Int128(position.basis) &* unit &- ulps
                        let notionalBound = notional &+ ulps
                        var tier = Int(market.tierStart)
                        while tier + 1 < Int(market.tierEnd), pieces[tier + 1].floor16 <= notionalBound { tier += 1 }
                        let piece = Int128(pieces[tier].rate) &* notionalBound &- pieces[tier].deduction24
                        maintenanceBound &+= Swift.max(piece, 0) &+ unit &* ulps
                        line = Swift.max(line, market.largestLineRaw)
                    }
                    if line == 0 { line = screen.globalLineRaw }
                    // e·10¹⁶ ≥ k·μ: directly while both products fit Int128 (|e| < 2⁷², μ < 2⁹⁰, k < 2³⁶),
                    // else as e·10⁸ ≥ k·⌈μ / 10⁸⌉ (one division; the same bound, scaled down).
                    if equityBound >> 72 == 0 || equityBound >> 72 == -1, maintenanceBound >> 90 == 0, line >> 36 == 0 {
                        if equityBound &* (unit &* unit) >= maintenanceBound &* Int128(line) { continue accountLoop }
                        break cleared
                    }
                    let (left, leftOverflow) = equityBound.multipliedReportingOverflow(by: unit)
                    let (right, rightOverflow) = Int128.divide(maintenanceBound, by: unit, rounding: .up).multipliedReportingOverflow(by: Int128(line))
                    if !leftOverflow, !rightOverflow, left >= right { continue accountLoop }
                }
                summary.accountsByReference += 1
                accounts.withUnsafePointer(to: account) { Self.remarginByAccount(at: $0, context: context, into: &summary) }
            }
        }}}}}}
        return summary
    }

    /// The reference full re-margin: `computeRisk` and `decide` on every account itself. The
    /// column kernel of `remarginAll()` must agree with it exactly (tests compare the two).
    public func remarginAllByAccount() -> RemarginSummary {
        var summary = RemarginSummary()
        withRemarginContext { context in
            for account in state.accounts.indices {
                summary.accountsEvaluated += 1
                state.accounts.withUnsafePointer(to: account) { Self.remarginByAccount(at: $0, context: context, into: &summary) }
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
        /// The options' risk arrays as last refreshed (a stale one is not used: `OptionRiskTable`).
        var optionRisk: OptionRiskTable
    }

    /// Adds one account's outcome to `summary` (below MM, needing action, held by a paused market,
    /// overflowing), computed on the account itself. `accountsEvaluated` is the caller's.
    private static func remarginByAccount(at account: UnsafePointer<Account>, context: RemarginContext,
                                          into summary: inout RemarginSummary) {
        guard let evaluation = try? computeRisk(at: account, markets: context.markets, assets: context.assets, risk: context.optionRisk) else {
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
                                         nowMs: state.clockMs, anyMarketPaused: index.pausedMarketCount > 0, optionRisk: index.optionRisk))
                }
            }
        }
    }
}
