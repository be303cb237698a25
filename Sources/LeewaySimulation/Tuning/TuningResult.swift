import LeewayCore

/// What `leeway tune` found: every candidate with the rung it reached, the finalists' full-fidelity
/// metrics, the Pareto frontier and the recommendation.
public struct TuningResult: Sendable {
    public var inputs: [String]
    public var candidates: [TuningCandidate]
    public var evaluations: [Int: TuningEvaluation]
    /// Candidates evaluated at the last rung (full fidelity), in index order.
    public var finalists: [Int]
    public var baseline: PolicySpec
    /// The baseline's metrics per input at full fidelity.
    public var baselineMetrics: [RunMetrics]

    /// Finalists that meet every solvency constraint.
    public var feasibleFinalists: [Int] {
        finalists.filter { evaluations[$0]?.score.feasible == true && evaluations[$0]?.rung == Tuner.rungs.count - 1 }
    }

    /// Σ over inputs of accounts fully liquidated and of liquidation costs.
    public func totals(_ metrics: [RunMetrics]) -> (liquidated: Int, costs: Double) {
        (metrics.reduce(0) { $0 + $1.accountsLiquidated }, metrics.reduce(0) { $0 + $1.liquidationCosts })
    }

    /// The feasible finalists no other feasible finalist beats on both total accounts liquidated
    /// and total liquidation costs (ties kept), ordered by accounts liquidated.
    public var frontier: [Int] {
        let points = feasibleFinalists.map { (index: $0, totals: totals(evaluations[$0]!.metrics)) }
        return points.filter { point in
            !points.contains { other in
                other.totals.liquidated <= point.totals.liquidated && other.totals.costs <= point.totals.costs
                    && (other.totals.liquidated < point.totals.liquidated || other.totals.costs < point.totals.costs)
            }
        }.sorted { ($0.totals.liquidated, $0.index) < ($1.totals.liquidated, $1.index) }.map(\.index)
    }

    /// The feasible finalist with the best objective (lowest, ties to the lower index); nil when no
    /// candidate was as solvent as the baseline everywhere (then the baseline is the answer).
    public var recommended: Int? {
        feasibleFinalists.min { (evaluations[$0]!.score.objective, $0) < (evaluations[$1]!.score.objective, $1) }
    }
}
