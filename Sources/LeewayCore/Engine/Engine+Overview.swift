import HeapModule

/// Read-only aggregates for a live risk view: phase counts with the riskiest accounts, and the
/// liquidation map of a market. One pass over the accounts each, never a report per account.
extension Engine {
    /// The rank of an account in the at-risk order: higher is riskier.
    struct RiskRank: Comparable {
        /// MM / equity in 10⁻⁸ units, rounded up (the report's `margin_ratio`); `Int64.max` when
        /// equity ≤ 0 (the ratio is unbounded).
        var ratio: Int64
        var account: Int
        /// Higher ratio first; between equal ratios the older account (creation order) first.
        static func < (lhs: RiskRank, rhs: RiskRank) -> Bool {
            lhs.ratio != rhs.ratio ? lhs.ratio < rhs.ratio : lhs.account > rhs.account
        }
    }

    /// Account indices of `ids` (unknown ids are skipped), or every account when nil.
    func accountIndices(_ ids: [String]?) -> [Int] {
        guard let ids else { return Array(state.accounts.indices) }
        return ids.compactMap { index.accountByID[$0] }
    }

    /// Accounts per phase, in `LiquidationPhase.allCases` order: one pass over the stored phases,
    /// no margin arithmetic.
    public func phaseCounts() -> [Int] {
        var counts = Array(repeating: 0, count: LiquidationPhase.allCases.count)
        for account in state.accounts { counts[account.phase.ordinal] += 1 }
        return counts
    }

    /// Phase counts and the `limit` riskiest accounts with open positions, over every account or
    /// only `accounts` (a trader's own). Cost: one risk computation per account with positions and
    /// O(log limit) heap work each, then one full margin report per kept account.
    public func riskOverview(limit: Int, accounts ids: [String]? = nil) -> RiskOverview {
        var counts = Array(repeating: 0, count: LiquidationPhase.allCases.count)
        var withPositions = 0, atRisk = 0
        var kept = Heap<RiskRank>()
        let accounts = accountIndices(ids)
        for account in accounts {
            let held = state.accounts[account]
            let phase = held.phase
            counts[phase.ordinal] += 1
            if phase == .warning || phase == .marginCall || phase == .deleveraging { atRisk += 1 }
            guard !held.positions.isEmpty, limit > 0, let risk = try? computeRisk(ofAccount: account).risk else { continue }
            withPositions += 1
            let ratio = risk.equity.isPositive
                ? ((try? risk.maintenanceMargin.divided(by: risk.equity, rounding: .up))?.raw ?? .max) : .max
            let rank = RiskRank(ratio: ratio, account: account)
            if kept.count < limit {
                kept.insert(rank)
            } else if let lowest = kept.min, lowest < rank {
                _ = kept.replaceMin(with: rank)
            }
        }
        var ranked: [RiskRank] = []
        ranked.reserveCapacity(kept.count)
        while let top = kept.popMax() { ranked.append(top) }
        let riskiest = ranked.compactMap { try? marginReport(of: state.accounts[$0.account]) }
        return RiskOverview(phaseCounts: counts, accounts: accounts.count, accountsWithPositions: withPositions,
                            accountsAtRisk: atRisk, riskiest: riskiest)
    }

    /// The liquidation map of `market` over [low, high) in `bins` bins (see `LiquidationMap`), over
    /// every account or only `accounts`. nil for an unknown market. low < high and bins ≥ 1 are
    /// the caller's to check (anything else gives an empty map).
    ///
    /// Each position's liquidation price is solved as in its margin report: the account's equity
    /// and the other positions' MM at current marks (`computeRisk`), then
    /// `LiquidationPriceSolver.liquidationPrice` for this position. Bin index = ⌊(p − low) / w⌋.
    public func liquidationMap(market id: String, bins: Int, low: Fixed, high: Fixed, accounts ids: [String]? = nil) -> LiquidationMap? {
        guard let market = index.marketByID[id] else { return nil }
        let count = Swift.max(bins, 0)
        let span = Int128(high.raw) - Int128(low.raw)
        let width = count > 0 && span > 0 ? Int128.divide(span, by: Int128(count), rounding: .up) : 0
        var map = LiquidationMap(market: id, mark: state.markets[market].markPrice, low: low, high: high,
                                 binWidth: Fixed(raw: Int64(clamping: width)),
                                 longNotional: Array(repeating: .zero, count: count), shortNotional: Array(repeating: .zero, count: count),
                                 positions: Array(repeating: 0, count: count), outsidePositions: 0, outsideNotional: .zero,
                                 unliquidatablePositions: 0)
        guard width > 0, let mark = state.markets[market].markPrice else { return map }
        let tiers = state.markets[market].tiers
        for account in accountIndices(ids) {
            let held = state.accounts[account]
            guard let position = held.positions.first(where: { $0.market == market }), !position.size.isZero,
                  let risk = try? computeRisk(ofAccount: account).risk,
                  let notional = try? position.notional(at: mark),
                  let own = try? tiers.maintenanceMargin(notional: notional),
                  let others = try? risk.maintenanceMargin.subtracting(own) else { continue }
            guard let price = LiquidationPriceSolver.liquidationPrice(
                size: position.size, referencePrice: mark, equityAtReference: risk.equity, otherMaintenance: others, tiers: tiers),
                  let atPrice = try? position.size.magnitude.multiplied(by: price, rounding: .down) else {
                map.unliquidatablePositions += 1
                continue
            }
            let offset = Int128(price.raw) - Int128(low.raw)
            guard offset >= 0, price < high else {
                map.outsidePositions += 1
                map.outsideNotional = WideAmount(raw: map.outsideNotional.raw + Int128(atPrice.raw))
                continue
            }
            let bin = Swift.min(Int(offset / width), count - 1)
            map.positions[bin] += 1
            if position.size.isPositive {
                map.longNotional[bin] = WideAmount(raw: map.longNotional[bin].raw + Int128(atPrice.raw))
            } else {
                map.shortNotional[bin] = WideAmount(raw: map.shortNotional[bin].raw + Int128(atPrice.raw))
            }
        }
        return map
    }
}
