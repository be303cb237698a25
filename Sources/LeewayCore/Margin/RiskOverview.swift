/// What a risk desk looks at first: how many accounts are in each phase, and the riskiest accounts
/// by margin ratio. Built by `Engine.riskOverview(limit:accounts:)` in one pass over the accounts,
/// keeping only the top `limit` (a heap), so a venue of 100,000 accounts is summarised without
/// producing a report per account.
public struct RiskOverview: Sendable, Equatable {
    /// Accounts per phase, in `LiquidationPhase.allCases` order.
    public var phaseCounts: [Int]
    /// Accounts looked at (every account, or the visible ones).
    public var accounts: Int
    /// Accounts with at least one open position.
    public var accountsWithPositions: Int
    /// Accounts in `warning`, `margin_call` or `deleveraging`.
    public var accountsAtRisk: Int
    /// The accounts with open positions with the highest margin ratio MM / equity (equity ≤ 0
    /// first, then by ratio, ties by creation order), highest first.
    public var riskiest: [MarginReport]

    /// The count of one phase.
    public func count(_ phase: LiquidationPhase) -> Int {
        guard let index = LiquidationPhase.allCases.firstIndex(of: phase), index < phaseCounts.count else { return 0 }
        return phaseCounts[index]
    }
}
