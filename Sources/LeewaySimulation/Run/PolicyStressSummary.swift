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
    /// deficit_total D (USDC, the fund a venue would need on that path): value-at-risk and expected
    /// shortfall. Unlike the fund's loss, D does not saturate at the fund's size.
    public var deficitVaR95: Double
    public var deficitVaR99: Double
    public var deficitES95: Double
    public var deficitES99: Double

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
        let deficits = perPath.map { $0.deficitTotal.doubleValue }.sorted()
        deficitVaR95 = MetricDistribution.quantile(deficits, 0.95)
        deficitVaR99 = MetricDistribution.quantile(deficits, 0.99)
        deficitES95 = MetricDistribution.expectedShortfall(deficits, 0.95)
        deficitES99 = MetricDistribution.expectedShortfall(deficits, 0.99)
    }
}
