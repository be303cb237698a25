/// Margin arithmetic over an account: equity, requirements, and the trigger bands.
extension Engine {
    /// An account's risk plus what the liquidation logic needs alongside it.
    struct RiskEvaluation {
        var risk: AccountRisk
        /// Index (in `positions`) of the largest position by notional, if any.
        var largestPosition: Int?
    }

    /// Equity, IM and MM of `account` at current marks and collateral prices.
    ///
    /// equity = Σ_assets collateralValue(balance) + Σ_positions (size × mark − openNotional);
    /// IM, MM = Σ_positions tier requirement at notional |size| × mark. Sums run in `Int128`;
    /// each term is rounded as its own doc comment says (values down, requirements up).
    /// An option position counts size × value − openNotional (value per contract, the long's or the
    /// short's rounding: `Market.valuationPrice`), its `StandardOptionMargin` requirements, and the
    /// notional |size| × contract_size × underlying mark (rounded up). On the portfolio model, IM
    /// and MM are `portfolioRequirements` instead (equity and notionals as above).
    func computeRisk(of account: Account) throws(ArithmeticError) -> RiskEvaluation {
        try Self.computeRisk(of: account, markets: state.markets, assets: state.assets, risk: index.optionRisk)
    }

    /// `computeRisk(of:)` of the stored account at `index`. Prefer this inside mutating code:
    /// passing `state.accounts[index]` to a method of `self` makes Swift copy the whole engine.
    func computeRisk(ofAccount index: Int) throws(ArithmeticError) -> RiskEvaluation {
        try Self.computeRisk(of: state.accounts[index], markets: state.markets, assets: state.assets, risk: self.index.optionRisk)
    }

    /// `computeRisk(of:)` over given market and asset tables (arrays, or buffers pinned once by a
    /// full re-margin so that no reference count is touched per account).
    @inline(__always)
    static func computeRisk<Markets: RandomAccessCollection<Market>, Assets: RandomAccessCollection<Asset>>(
        of account: borrowing Account, markets: Markets, assets: Assets, risk: OptionRiskTable? = nil
    ) throws(ArithmeticError) -> RiskEvaluation where Markets.Index == Int, Assets.Index == Int {
        try withUnsafePointer(to: account) { (pointer) throws(ArithmeticError) in
            try computeRisk(at: pointer, markets: markets, assets: assets, risk: risk)
        }
    }

    /// The body of `computeRisk`, reading the account through a pointer so that its arrays are
    /// borrowed in place rather than retained.
    @inline(__always)
    static func computeRisk<Markets: RandomAccessCollection<Market>, Assets: RandomAccessCollection<Asset>>(
        at account: UnsafePointer<Account>, markets: Markets, assets: Assets, risk: OptionRiskTable? = nil
    ) throws(ArithmeticError) -> RiskEvaluation where Markets.Index == Int, Assets.Index == Int {
        var equity: Int128 = 0
        let balanceCount = account.pointee.balances.count
        for asset in 0..<balanceCount where !account.pointee.balances[asset].isZero {
            equity += Int128(try assets[asset].collateralValue(of: account.pointee.balances[asset]).raw)
        }
        var initial: Int128 = 0
        var maintenance: Int128 = 0
        var total: Int128 = 0
        var largest: Int?
        var largestNotional: Int64 = -1
        let positionCount = account.pointee.positions.count
        for position in 0..<positionCount {
            let held = account.pointee.positions[position]
            guard let mark = markets[held.market].markPrice else { continue }
            let notional: Fixed
            if let terms = markets[held.market].option {
                guard let forward = markets[terms.underlying].markPrice else { continue }
                let value = held.size.isNegative ? (terms.valueCeiling ?? mark) : mark
                notional = try held.size.magnitude.multiplied(by: terms.contractSize, rounding: .up).multiplied(by: forward, rounding: .up)
                equity += Int128(try held.unrealizedPnL(at: value).raw)
                let requirement = try StandardOptionMargin.requirements(terms: terms, size: held.size, forward: forward, valuePerContract: value)
                initial += Int128(requirement.initial.raw)
                maintenance += Int128(requirement.maintenance.raw)
            } else {
                notional = try held.notional(at: mark)
                equity += Int128(try held.unrealizedPnL(at: mark).raw)
                initial += Int128(try markets[held.market].tiers.initialMargin(notional: notional).raw)
                maintenance += Int128(try markets[held.market].tiers.maintenanceMargin(notional: notional).raw)
            }
            total += Int128(notional.raw)
            if notional.raw > largestNotional { largestNotional = notional.raw; largest = position }
        }
        if account.pointee.marginModel == .portfolio, positionCount > 0 {
            (initial, maintenance) = try portfolioRequirements(of: account, markets: markets, risk: risk)
        }
        return RiskEvaluation(
            risk: AccountRisk(equity: try .narrowing(equity), initialMargin: try .narrowing(initial),
                              maintenanceMargin: try .narrowing(maintenance), totalNotional: try .narrowing(total),
                              hasPositions: positionCount > 0),
            largestPosition: largest
        )
    }

    /// The policy an account follows: its largest position's market override, else the global one.
    func policy(for account: Account, largestPosition: Int?) -> LiquidationPolicy {
        guard let largestPosition else { return state.globalPolicy }
        return state.marketPolicies[account.positions[largestPosition].market] ?? state.globalPolicy
    }

    /// Re-derives `account`'s trigger bands and files them in each of its markets' trigger index.
    ///
    /// The decisions depend on the signs of gap_k = equity − k·MM for k in the policy's lines
    /// {hard_fraction, 1, call, cure, warning} (`LiquidationPolicy.lines`, at m = 1 and, under
    /// dynamic margin, at m = max_multiplier: a sign shared by both ends holds for every m between,
    /// as MM ≥ 0), and with toxic_close of the toxic gap equity − Σ notional·(fee + slippage). An
    /// account whose sign differs between the two ends of m is filed in `dynamicWatch` and
    /// re-evaluated whenever a held market's multiplier changes. Let down = min over gap_k ≥ 0 (how far equity − k·MM may
    /// fall) and up = min over gap_k < 0 of −gap_k − 10⁻¹⁶ (how far it may rise). Each position i gets
    /// the share w_i = notional_i / Σ notional of both budgets. A price move Δ changes gap_k by at
    /// most |size_i|·|Δ|·c with c = 1 + max(k_max·mmr_max, fee + slippage) (equity moves by size·Δ,
    /// MM by at most |size|·|Δ|·mmr_max, the toxic cost by |size|·|Δ|·(fee + slippage)); while
    /// k_max·mmr_max < 1 and fee + slippage < 1, for a long every gap only falls when the price
    /// falls, for a short only when it rises. So position i's band is, for a long,
    /// [mark − down_i/(|size|·c), mark + up_i/(|size|·c)] and mirrored for a short; otherwise (a
    /// call level so high that MM outgrows equity on a favourable move) both edges use the smaller
    /// of the two. Band edges are rounded inward. Inside every band at once no gap
    /// changes sign, so no decision can change: any mark inside the band needs no re-evaluation.
    ///
    /// Cash slack: 1/8 of each budget is held back from the price bands for cash moves that change
    /// equity but not MM (funding payments, deposits, withdrawals). `cashSlackDown` / `cashSlackUp`
    /// (10⁻⁸ units, rounded down) say how much equity may still leave or arrive without any gap
    /// changing sign even with the price at a band edge; each cash move spends it, and only a move
    /// larger than what is left queues the account (`spendCashSlack`).
    mutating func reindex(account: Int, evaluation known: RiskEvaluation? = nil) {
        index.triggerVersions[account] &+= 1
        let version = index.triggerVersions[account]
        index.liveTriggerEntryTotal -= Int(index.liveTriggerEntries[account])
        index.liveTriggerEntries[account] = 0
        index.cashSlackDown[account] = 0
        index.cashSlackUp[account] = 0
        defer { compactTriggersIfNeeded() }
        guard !state.accounts[account].positions.isEmpty else { return }
        let evaluation: RiskEvaluation
        if let known { evaluation = known } else {
            guard let computed = try? computeRisk(ofAccount: account) else { return }
            evaluation = computed
        }
        let held = state.accounts[account]
        let risk = evaluation.risk
        // Equity and MM are each rounded per term: keep a margin of 4·10⁻⁸ per term (in 10⁻¹⁶ units)
        // so a band never admits a price at which a rounded comparison could flip.
        let roundingMargin = Int128(4 * Fixed.scale) * Int128(held.positions.count + held.balances.count + 1)
        var downBudget = Int128.max
        var upBudget = Int128.max
        var largestMultiple: Int64 = Fixed.scale
        var watchesMultiplier = false
        var toxicWatched = false
        func bound(_ gap: Int128) {
            if gap >= 0 { downBudget = Swift.min(downBudget, Swift.max(gap - roundingMargin, 0)) }
            else { upBudget = Swift.min(upBudget, Swift.max(-gap - 1 - roundingMargin, 0)) }
        }
        // Every policy the account could follow as its largest position changes (the global one,
        // shared by every market without an override, bounds the gaps once).
        var globalPolicyBounded = false
        for position in held.positions {
            let override = state.marketPolicies[position.market]
            if override == nil {
                if globalPolicyBounded { continue }
                globalPolicyBounded = true
            }
            let policy = override ?? state.globalPolicy
            let base = policy.lines()
            for k in [base.hard, .one, base.call, base.cure, base.warning] {
                largestMultiple = Swift.max(largestMultiple, k.raw)
                bound(risk.gap(multiple: k))
            }
            if let dynamic = policy.dynamicMargin {
                let widest = policy.lines(multiplier: dynamic.maxMultiplier)
                for (low, high) in [(base.call, widest.call), (base.cure, widest.cure), (base.warning, widest.warning)] {
                    largestMultiple = Swift.max(largestMultiple, high.raw)
                    let gapLow = risk.gap(multiple: low), gapHigh = risk.gap(multiple: high)
                    bound(gapHigh)
                    if (gapLow >= 0) != (gapHigh >= 0) { watchesMultiplier = true }
                }
            }
            if policy.toxicClose, !toxicWatched, let gap = Self.toxicGap(of: held, risk: risk, markets: state.markets) {
                toxicWatched = true
                bound(gap)
            }
        }
        if watchesMultiplier {
            for position in held.positions { index.dynamicWatch[position.market].append((account, version)) }
        }
        if hasNonlinearRisk(held) {
            // Options or the scenario grid: bands from a Lipschitz bound, no cash slack.
            fileNonlinearBands(account: account, version: version, budget: Swift.min(downBudget, upBudget),
                               largestMultiple: largestMultiple, toxic: toxicWatched)
            return
        }
        /// Splits a budget into the cash slack (1/8, in 10⁻⁸ units) and what the price bands may use.
        func split(_ budget: Int128) -> (price: Int128, cashRaw: Int64) {
            guard budget != Int128.max else { return (.max, .max) }
            let cash = budget / 8
            return (budget - cash, Int64(clamping: cash / Int128(Fixed.scale)))
        }
        let down = split(downBudget), up = split(upBudget)
        downBudget = down.price
        upBudget = up.price
        index.cashSlackDown[account] = down.cashRaw
        index.cashSlackUp[account] = up.cashRaw
        let totalNotional = Int128(Swift.max(risk.totalNotional.raw, 1))
        /// budget = quotient · Σ notional + remainder, split once per account: every position's
        /// share ⌊budget · notional_i / Σ notional⌋ is then quotient · notional_i + ⌊remainder · notional_i / Σ notional⌋.
        func splitByTotal(_ budget: Int128) -> (quotient: Int128, remainder: Int128) {
            guard budget != Int128.max else { return (0, 0) }
            let quotient = budget / totalNotional
            return (quotient, budget - quotient * totalNotional)
        }
        let downSplit = splitByTotal(downBudget), upSplit = splitByTotal(upBudget)
        for position in held.positions {
            // Fields read in place: copying the `Market` would retain each of its arrays.
            guard let mark = state.markets[position.market].markPrice, !position.size.isZero else { continue }
            let notional = Int128((try? position.notional(at: mark).raw) ?? 0)
            // c = 1 + max(k_max · mmr_max, fee + slippage), in 10⁻¹⁶ units.
            let marginSlope = Int128(largestMultiple) * Int128(state.markets[position.market].tiers.maximumMaintenanceRate.raw)
            let toxicSlope = toxicWatched
                ? Int128(state.markets[position.market].liquidationFee.raw + state.markets[position.market].expectedSlippage.raw) * Int128(Fixed.scale)
                : 0
            let unit = Int128(Fixed.scale) * Int128(Fixed.scale)
            let sensitivity = unit + Swift.max(marginSlope, toxicSlope)
            let monotone = marginSlope < unit && toxicSlope < unit
            // Δprice_raw = budget_i(10⁻¹⁶) · 10⁸ / (|size|_raw · c(10⁻¹⁶)) ... expressed so every
            // factor stays within Int128: budget_i / (|size| · c) with |size| in 10⁻⁸ gives 10⁻⁸ price units × 10⁸/10¹⁶.
            // Band half-width in raw price units: move = ⌊share · 10¹⁶ / (|size|_raw · c)⌋, where
            // share = budget · notional_i / Σ notional. Rounded down (inward), so the band never
            // admits a price at which a decision could change. When the exact form would overflow
            // Int128 (very large sizes), the coarser ⌊share / ⌈|size|_raw · c / 10¹⁶⌉⌋ is used:
            // never wider than the exact one, so still safe.
            func priceMove(_ budget: Int128, _ split: (quotient: Int128, remainder: Int128)) -> Int64? {
                guard budget != Int128.max else { return nil }
                let (wholeShare, overflowA) = split.quotient.multipliedReportingOverflow(by: notional)
                let (partShare, overflowB) = split.remainder.multipliedReportingOverflow(by: notional)
                guard !overflowA, !overflowB else { return 0 }
                let share = wholeShare + partShare / totalNotional
                let (denominator, overflowC) = Int128(position.size.magnitude.raw).multipliedReportingOverflow(by: sensitivity)
                guard !overflowC, denominator > 0 else { return 0 }
                let scale = Int128(Fixed.scale)
                var move: Int128
                let (scaledShare, overflowD) = share.multipliedReportingOverflow(by: scale)
                // One division for quotient and remainder (the remainder by a multiplication).
                let headQuotient = overflowD ? 0 : scaledShare / denominator
                let (scaledRemainder, overflowE) = overflowD ? (0, true) : (scaledShare - headQuotient * denominator).multipliedReportingOverflow(by: scale)
                if !overflowD, !overflowE {
                    let (head, overflowF) = headQuotient.multipliedReportingOverflow(by: scale)
                    move = overflowF ? Int128.max : head + scaledRemainder / denominator
                } else {
                    let coarseDenominator = (denominator + scale * scale - 1) / (scale * scale)
                    move = share / Swift.max(coarseDenominator, 1)
                }
                return move >= Int128(Int64.max) ? nil : Int64(move)
            }
            var downMove = priceMove(downBudget, downSplit)
            var upMove = priceMove(upBudget, upSplit)
            if !monotone {
                // A favourable move can also shrink a gap: both edges take the narrower width.
                let narrower: Int64? = switch (downMove, upMove) {
                case let (down?, up?): Swift.min(down, up)
                case let (down?, nil): down
                case let (nil, up?): up
                case (nil, nil): nil
                }
                downMove = narrower
                upMove = narrower
            }
            let (lowerMove, upperMove) = position.size.isPositive ? (downMove, upMove) : (upMove, downMove)
            let added = index.triggers[position.market].insert(
                account: account, version: version,
                lowerRaw: lowerMove.map { mark.raw - $0 },
                upperRaw: upperMove.map { mark.raw + $0 }
            )
            index.liveTriggerEntries[account] += Int32(added)
            index.liveTriggerEntryTotal += added
            index.triggerEntryTotal += added
        }
    }

    /// Records a cash move of `deltaRaw` (10⁻⁸ units; negative: equity leaves) in `account` and
    /// queues the account only if the move exceeds its remaining cash slack in that direction (or
    /// on the every-holder reference path, which re-evaluates every touched account).
    mutating func spendCashSlack(account: Int, deltaRaw: Int64) {
        if markEvaluation == .triggerBands {
            if deltaRaw <= 0, index.cashSlackDown[account] >= -deltaRaw {
                index.cashSlackDown[account] += deltaRaw
                return
            }
            if deltaRaw > 0, index.cashSlackUp[account] >= deltaRaw {
                index.cashSlackUp[account] -= deltaRaw
                return
            }
        }
        queueEvaluation(account)
    }

    /// After a mark of `market`: recomputes its dynamic-margin multiplier and, when it changed,
    /// queues the accounts whose decisions depend on it (`dynamicWatch`, current versions only).
    mutating func queueOnMultiplierChange(market: Int) {
        let multiplier = currentMarginMultiplier(market: market)
        guard multiplier != index.marginMultipliers[market] else { return }
        index.marginMultipliers[market] = multiplier
        let watched = index.dynamicWatch[market]
        index.dynamicWatch[market].removeAll(keepingCapacity: true)
        for (account, version) in watched where index.triggerVersions[account] == version { queueEvaluation(account) }
    }

    /// The dynamic-margin multiplier of `market` under the policy it follows (1 without one).
    func currentMarginMultiplier(market: Int) -> Fixed {
        let policy = state.marketPolicies[market] ?? state.globalPolicy
        return policy.dynamicMargin.map { state.markets[market].marginMultiplier($0) } ?? .one
    }

    /// Drops stale heap entries once they outnumber live ones (entries > 2 × live + 4096): each
    /// heap is filtered by version in O(entries), no band recomputed. Every compaction at least
    /// halves the heaps, so its cost is amortized over the re-indexes that made the stale entries,
    /// whatever the number of positions per account.
    mutating func compactTriggersIfNeeded() {
        for market in index.dynamicWatch.indices where index.dynamicWatch[market].count > 2 * state.accounts.count + 4096 {
            index.dynamicWatch[market].removeAll { index.triggerVersions[$0.account] != $0.version }
        }
        guard index.triggerEntryTotal > 2 * index.liveTriggerEntryTotal + 4096 else { return }
        index.triggerEntryTotal = 0
        for market in index.triggers.indices {
            index.triggers[market].dropStale(versions: index.triggerVersions)
            index.clockTriggers[market].dropStale(versions: index.triggerVersions)
            index.triggerEntryTotal += index.triggers[market].count + index.clockTriggers[market].count
        }
    }
}
