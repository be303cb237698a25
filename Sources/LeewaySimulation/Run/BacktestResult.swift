/// The outcome of one policy on one path.
public struct BacktestResult: Sendable {
    public var policyName: String
    public var metrics: RunMetrics
    /// Charts' data, when the run recorded it.
    public var series: RunSeries?
    /// The engine's state digest at the end (hex): equal inputs give equal digests.
    public var digest: String
    /// Commands applied to the engine (setup, opens, marks, trader actions).
    public var commandsApplied: Int
}
