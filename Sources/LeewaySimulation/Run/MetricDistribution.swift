/// Summary statistics of one metric over many paths.
///
/// Quantiles use the nearest-rank rule on the sorted values: q_p = x_(⌈p·n⌉) (1-based).
public struct MetricDistribution: Sendable, Equatable {
    public var mean: Double
    public var p50: Double
    public var p95: Double
    public var p99: Double
    public var max: Double

    public init(_ values: [Double]) {
        let sorted = values.sorted()
        mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
        p50 = Self.quantile(sorted, 0.50)
        p95 = Self.quantile(sorted, 0.95)
        p99 = Self.quantile(sorted, 0.99)
        max = sorted.last ?? 0
    }

    /// Nearest-rank quantile of already sorted values (0 for none).
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        // −1e-9: p·n computed in binary (e.g. 0.95·100 = 95.00000000000001) must not round up a rank.
        let rank = Int((p * Double(sorted.count) - 1e-9).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }

    /// Expected shortfall at level p: the mean of the worst ⌈(1 − p)·n⌉ values (the largest),
    /// i.e. the average loss beyond the value-at-risk.
    public static func expectedShortfall(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let tail = Swift.max(Int((Double(sorted.count) * (1 - p) - 1e-9).rounded(.up)), 1)
        let worst = sorted.suffix(tail)
        return worst.reduce(0, +) / Double(worst.count)
    }
}
