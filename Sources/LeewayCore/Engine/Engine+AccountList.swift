import HeapModule

extension Engine {
    /// How `accountReports` orders accounts.
    public enum AccountOrder: Sendable {
        /// Riskiest first: accounts with positions and no equity left, then by margin ratio MM /
        /// equity (rounded up, as the report shows it) from the highest; ties by account id.
        case marginRatio
        case id
    }

    /// The margin reports of at most `limit` accounts (of `among`, ids; nil: all) in `phase` (nil:
    /// any), in `order`. Only the accounts listed get a full report: the others are ranked by
    /// their equity and MM alone, keeping the best `limit` in a heap, so a list of the 100
    /// riskiest of a million accounts builds 100 reports, not a million.
    public func accountReports(phase: LiquidationPhase?, order: AccountOrder, limit: Int, among ids: [String]? = nil) -> [MarginReport] {
        guard limit > 0 else { return [] }
        let candidates: [Int] = ids.map { $0.compactMap { index.accountByID[$0] } } ?? Array(state.accounts.indices)
        let selected: [Int]
        switch order {
        case .id:
            var matching = candidates.filter { phase == nil || state.accounts[$0].phase == phase }
            matching.sort { state.accounts[$0].id < state.accounts[$1].id }
            selected = Array(matching.prefix(limit))
        case .marginRatio:
            // A min-heap of the best `limit` so far: its minimum is the first to give way.
            var best = Heap<RankedAccount>()
            for account in candidates where phase == nil || state.accounts[account].phase == phase {
                let ranked = RankedAccount(key: riskKey(account), id: state.accounts[account].id, index: account)
                if best.count < limit { best.insert(ranked) } else if let weakest = best.min, weakest < ranked {
                    _ = best.replaceMin(with: ranked)
                }
            }
            selected = best.unordered.sorted { $1 < $0 }.map(\.index)
        }
        return selected.compactMap { marginReport(account: state.accounts[$0].id) }
    }

    /// The ranking key of `accountReports(order: .marginRatio)`: (no equity left with
    /// requirements, MM / equity rounded up in 10⁻⁸, or 0 when it cannot be computed).
    private func riskKey(_ account: Int) -> RankedAccount.Key {
        guard let risk = try? computeRisk(ofAccount: account).risk else { return RankedAccount.Key(underwater: false, ratio: 0) }
        guard risk.equity.isPositive else { return RankedAccount.Key(underwater: risk.maintenanceMargin.isPositive, ratio: 0) }
        let ratio = (try? risk.maintenanceMargin.divided(by: risk.equity, rounding: .up))?.raw ?? .max
        return RankedAccount.Key(underwater: false, ratio: ratio)
    }

    /// One account in the ranking: `<` means less risky (a lower key, or the same key and a later id).
    struct RankedAccount: Comparable {
        struct Key: Comparable {
            var underwater: Bool
            var ratio: Int64
            static func < (lhs: Key, rhs: Key) -> Bool {
                lhs.underwater != rhs.underwater ? !lhs.underwater : lhs.ratio < rhs.ratio
            }
        }
        var key: Key
        var id: String
        var index: Int
        static func < (lhs: RankedAccount, rhs: RankedAccount) -> Bool {
            lhs.key != rhs.key ? lhs.key < rhs.key : lhs.id > rhs.id
        }
        static func == (lhs: RankedAccount, rhs: RankedAccount) -> Bool { lhs.key == rhs.key && lhs.id == rhs.id }
    }
}
