/// One request of `Tuner.run` for metrics: every policy of `policies` on every input at rung
/// `rung`, each run stopped at `limits[input]` when given (`SolvencyLimit`). The answer is
/// metrics[policy][input]. A batch names its policies rather than carrying them, so another
/// process that rebuilt the same `Tuner` (`leeway worker`) can run any (policy, input) of it.
public struct TuningBatch: Sendable, Equatable {
    /// A policy of the search: the baseline, or candidate `index` of `Tuner.candidates()`.
    public enum Policy: Sendable, Equatable {
        case baseline
        case candidate(Int)
    }

    public var rung: Int
    public var policies: [Policy]
    public var limits: [SolvencyLimit]?

    public init(rung: Int, policies: [Policy], limits: [SolvencyLimit]?) {
        self.rung = rung
        self.policies = policies
        self.limits = limits
    }
}
