/// One step a portfolio-margined account in deleveraging could take, with what it would achieve:
/// the choice of `Engine.planPortfolioStep` and what the what-if shows ("which hedge cures my
/// call"). All amounts exact (10⁻⁸ units).
public struct PortfolioStepCandidate: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        /// Close part of the position in `market` (a perpetual or an option leg).
        case close
        /// Open or enlarge the position in the perpetual `market` against the net delta.
        case hedge
    }

    public var action: Action
    /// The leg (close) or the perpetual (hedge).
    public var market: String
    /// The trade the account would make (signed, in the market's units: contracts for options).
    public var size: Fixed
    /// Where it fills: the mark, or the option's value rounded against the holder.
    public var price: Fixed
    /// MM before − MM after the trade (positive: the step relieves margin).
    public var relief: Fixed
    /// The liquidation fee the trade would pay: |size| × price × fee rate, rounded up.
    public var cost: Fixed
    /// Σ over underlyings of max(0, worst scenario loss), before and after the trade.
    public var worstLossBefore: Fixed
    public var worstLossAfter: Fixed
    /// The account's equity − fee ≥ MM_after × cure line after the trade.
    public var cures: Bool
    /// Index of the market in the engine's table (internal bookkeeping of the planner).
    var marketIndex: Int

    /// A candidate may be chosen only if it relieves margin and does not raise the worst loss.
    public var isEligible: Bool { relief.isPositive && worstLossAfter <= worstLossBefore }

    /// The rule: among eligible candidates, the largest relief per unit of cost, relief / cost,
    /// compared exactly by cross-multiplication in `Int128` (relief_a × cost_b > relief_b × cost_a);
    /// a candidate that costs nothing ranks above every candidate that costs something, and among
    /// free ones the larger relief wins. Ties go to the earlier candidate (legs in position order,
    /// then the hedges in underlying order). nil when none is eligible.
    public static func best(_ candidates: [PortfolioStepCandidate]) -> Int? {
        var chosen: Int?
        for (index, candidate) in candidates.enumerated() where candidate.isEligible {
            guard let current = chosen else { chosen = index; continue }
            if candidate.ranksAbove(candidates[current]) { chosen = index }
        }
        return chosen
    }

    /// Strictly more relief per unit of cost than `other` (see `best`).
    func ranksAbove(_ other: PortfolioStepCandidate) -> Bool {
        switch (cost.isZero, other.cost.isZero) {
        case (true, false): return true
        case (false, true): return false
        case (true, true): return relief > other.relief
        case (false, false): return Int128(relief.raw) * Int128(other.cost.raw) > Int128(other.relief.raw) * Int128(cost.raw)
        }
    }
}
