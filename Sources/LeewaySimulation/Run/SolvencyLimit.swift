import LeewayCore

/// The solvency a run must not exceed to stay of interest: `leeway tune`'s constraints on one input
/// (a candidate's deficit_total and adl_notional no larger than the baseline's). Both sums only grow
/// as a run goes on, so a run that exceeds either is infeasible whatever happens later, and
/// `BacktestRun` stops it there (`RunMetrics.stoppedEarly`): its metrics are then the partial sums at
/// that step, which are already over the limit.
public struct SolvencyLimit: Sendable, Equatable {
    public var deficitTotal: Fixed
    public var adlNotional: Fixed

    public init(deficitTotal: Fixed, adlNotional: Fixed) {
        self.deficitTotal = deficitTotal
        self.adlNotional = adlNotional
    }

    /// The limit a baseline's run sets.
    public init(baseline: RunMetrics) {
        self.init(deficitTotal: baseline.deficitTotal, adlNotional: baseline.adlNotional)
    }

    /// True once `metrics` are over the limit (strictly: equal is still feasible).
    public func isExceeded(by metrics: RunMetrics) -> Bool {
        metrics.deficitTotal > deficitTotal || metrics.adlNotional > adlNotional
    }
}
