import LeewayCore

/// One policy's results over every stress path.
public struct PolicyStressSummary: Sendable {
    public var name: String
    /// The metrics of each path, in path order.
    public var perPath: [RunMetrics]
    /// Each metric's distribution, keyed and ordered as `RunMetrics.keyedValues`.
    public var distributions: [(key: String, distribution: MetricDistribution)]
    /// Share of paths whose bad debt exceeds the threshold.
    public var badDebtProbability: Double
    /// Insurance-fund loss L = −insurance_fund_pnl (USDC): value-at-risk and expected shortfall.
    public var insuranceVaR95: Double
    public var insuranceVaR99: Double
    public var insuranceES95: Double
    public var insuranceES99: Double

    public init(name: String, perPath: [RunMetrics], badDebtThreshold: Double) {
        self.name = name
        self.perPath = perPath
        let keys = RunMetrics().keyedValues.map(\.key)
        distributions = keys.enumerated().map { offset, key in
            (key, MetricDistribution(perPath.map { $0.keyedValues[offset].value.doubleValue }))
        }
        badDebtProbability = perPath.isEmpty ? 0
            : Double(perPath.count { $0.badDebt.doubleValue > badDebtThreshold }) / Double(perPath.count)
        let losses = perPath.map { -$0.insuranceFundPnL.doubleValue }.sorted()
        insuranceVaR95 = MetricDistribution.quantile(losses, 0.95)
        insuranceVaR99 = MetricDistribution.quantile(losses, 0.99)
        insuranceES95 = MetricDistribution.expectedShortfall(losses, 0.95)
        insuranceES99 = MetricDistribution.expectedShortfall(losses, 0.99)
    }
}
