import LeewayCore

/// How a candidate did against the baseline on the same scenarios.
///
/// Constraints (solvency no worse than the baseline): on every input deficit_total ≤ the
/// baseline's and adl_notional ≤ the baseline's; over the stress inputs together, the 99 %
/// expected shortfall of deficit_total ≤ the baseline's. The objective (lower is better) is the
/// mean over inputs of accounts_liquidated / baseline's + ¼ · liquidation_costs / baseline's,
/// so every input weighs the same whatever its size. A candidate that breaks a constraint ranks
/// after every one that does not, by how much it breaks them (in units of the baseline's deficit,
/// at least 1,000 USDC).
public struct TuningScore: Sendable, Equatable {
    public var objective: Double
    /// Σ of the relative excesses over the baseline (0 when feasible).
    public var violation: Double
    public var feasible: Bool { violation == 0 }
    /// What ranking sorts by: the objective if feasible, else 1,000 + the violation.
    public var rank: Double { feasible ? objective : 1_000 + violation }

    /// The weight of liquidation costs beside the number of accounts fully liquidated.
    public static let costWeight = 0.25

    public init(candidate: [RunMetrics], baseline: [RunMetrics], stress: [Bool]) {
        var objective = 0.0, violation = 0.0
        for (mine, theirs) in zip(candidate, baseline) {
            objective += Double(mine.accountsLiquidated) / Double(Swift.max(theirs.accountsLiquidated, 1))
            objective += Self.costWeight * mine.liquidationCosts / Swift.max(theirs.liquidationCosts, 1)
            let deficitScale = Swift.max(theirs.deficitTotal.doubleValue, 1_000)
            violation += Swift.max(mine.deficitTotal.doubleValue - theirs.deficitTotal.doubleValue, 0) / deficitScale
            violation += Swift.max(mine.adlNotional.doubleValue - theirs.adlNotional.doubleValue, 0) / Swift.max(theirs.adlNotional.doubleValue, 1_000)
        }
        let stressed = zip(stress, zip(candidate, baseline)).filter(\.0).map(\.1)
        if !stressed.isEmpty {
            let mine = MetricDistribution.expectedShortfall(stressed.map(\.0.deficitTotal.doubleValue).sorted(), 0.99)
            let theirs = MetricDistribution.expectedShortfall(stressed.map(\.1.deficitTotal.doubleValue).sorted(), 0.99)
            violation += Swift.max(mine - theirs, 0) / Swift.max(theirs, 1_000)
        }
        self.objective = objective / Double(Swift.max(candidate.count, 1))
        self.violation = violation
    }
}
