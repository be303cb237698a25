/// A price path: prices at increasing times, with the traded volume of the minute each point
/// falls in (for the depth model). Prices are quote per base unit (USDC per coin) as `Double`:
/// a simulation input; the engine receives them rounded to exact decimals.
public struct PricePath: Sendable, Equatable {
    /// Milliseconds since the Unix epoch, strictly increasing.
    public var timesMs: [Int64]
    /// Price at each time, > 0.
    public var prices: [Double]
    /// Base-asset volume traded in the minute of each point (0 when unknown).
    public var minuteVolumes: [Double]

    public init(timesMs: [Int64], prices: [Double], minuteVolumes: [Double]) {
        self.timesMs = timesMs
        self.prices = prices
        self.minuteVolumes = minuteVolumes
    }

    public var count: Int { prices.count }

    /// The path without its points in [fromMs, untilMs): a gap in the data, as when a feed or an
    /// exchange's candles miss those minutes.
    public func removing(fromMs: Int64, untilMs: Int64) -> PricePath {
        let kept = timesMs.indices.filter { timesMs[$0] < fromMs || timesMs[$0] >= untilMs }
        return PricePath(timesMs: kept.map { timesMs[$0] }, prices: kept.map { prices[$0] }, minuteVolumes: kept.map { minuteVolumes[$0] })
    }

    /// The largest peak-to-trough fall of the path, as a fraction of the peak (0 … 1).
    ///
    /// drawdown = max over t of (max_{s ≤ t} p_s − p_t) / max_{s ≤ t} p_s.
    public var maximumDrawdown: Double {
        var peak = prices.first ?? 0
        var worst = 0.0
        for price in prices {
            peak = Swift.max(peak, price)
            if peak > 0 { worst = Swift.max(worst, (peak - price) / peak) }
        }
        return worst
    }

    /// Log returns r_i = ln(p_i / p_{i−1}) between consecutive points.
    public var logReturns: [Double] {
        guard prices.count > 1 else { return [] }
        return (1..<prices.count).map { index in SimulationMath.log(prices[index] / prices[index - 1]) }
    }
}
