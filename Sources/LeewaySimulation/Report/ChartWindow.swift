/// The time window a backtest's charts zoom to: the crash, not a whole day squeezed into a sliver.
///
/// With liquidations, it is the shortest span holding 80 % of the liquidated notional (over every
/// policy's fills, so all charts share one window), found with two pointers over the fills in time
/// order; without any, the span from the input path's peak to its trough at the largest drawdown.
/// The span is widened by a quarter of its length on each side (at least 15 minutes, so the fall's
/// start and the aftermath show) and clipped to the path. A window of 70 % of the path or more
/// is not worth zooming: then there is none and charts show the whole path.
public struct ChartWindow: Sendable, Equatable {
    public var startMs: Int64
    public var endMs: Int64
    /// Why this window: "80 % of the liquidated notional" or "the largest drawdown".
    public var reason: String

    public init(startMs: Int64, endMs: Int64, reason: String) {
        self.startMs = startMs
        self.endMs = endMs
        self.reason = reason
    }

    public func contains(_ ms: Int64) -> Bool { ms >= startMs && ms <= endMs }

    static let share = 0.8
    static let minimumPadMs: Int64 = 15 * 60_000
    static let zoomLimit = 0.7

    /// The window for charts of `results` (nil: show the whole path).
    public static func crash(of results: [BacktestResult]) -> ChartWindow? {
        guard let path = results.lazy.compactMap(\.series).first, let first = path.timesMs.first, let last = path.timesMs.last,
              last > first else { return nil }
        let fills = results.flatMap { $0.series?.liquidations ?? [] }.map { (timeMs: $0.timeMs, notional: $0.notional) }
        let span: (start: Int64, end: Int64, reason: String)
        if let dense = densest(fills, share: share) {
            span = (dense.start, dense.end, "where 80 % of the liquidated notional fell")
        } else if let fall = largestDrawdown(timesMs: path.timesMs, prices: path.inputPrices) {
            span = (fall.start, fall.end, "the largest drawdown of the input price")
        } else {
            return nil
        }
        let pad = Swift.max(minimumPadMs, (span.end - span.start) / 4)
        let start = Swift.max(first, span.start - pad), end = Swift.min(last, span.end + pad)
        guard Double(end - start) < zoomLimit * Double(last - first) else { return nil }
        return ChartWindow(startMs: start, endMs: end, reason: span.reason)
    }

    /// The shortest [start, end] of fill times holding at least `share` of the total notional
    /// (two pointers over the fills sorted by time: O(n log n) for the sort, O(n) for the scan).
    static func densest(_ fills: [(timeMs: Int64, notional: Double)], share: Double) -> (start: Int64, end: Int64)? {
        let sorted = fills.filter { $0.notional > 0 }.sorted { $0.timeMs < $1.timeMs }
        let total = sorted.reduce(0) { $0 + $1.notional }
        guard total > 0 else { return nil }
        var best: (start: Int64, end: Int64)?
        var low = 0, inside = 0.0
        for high in sorted.indices {
            inside += sorted[high].notional
            while low < high, inside - sorted[low].notional >= share * total {
                inside -= sorted[low].notional
                low += 1
            }
            if inside >= share * total, best.map({ sorted[high].timeMs - sorted[low].timeMs < $0.end - $0.start }) ?? true {
                best = (sorted[low].timeMs, sorted[high].timeMs)
            }
        }
        return best
    }

    /// The peak and trough times of the largest fall (peak − trough) / peak; nil for a path that
    /// never falls.
    static func largestDrawdown(timesMs: [Int64], prices: [Double]) -> (start: Int64, end: Int64)? {
        guard prices.count == timesMs.count, !prices.isEmpty else { return nil }
        var peak = 0, worst = 0.0, best: (start: Int64, end: Int64)?
        for index in prices.indices {
            if prices[index] >= prices[peak] { peak = index }  // the last peak before a fall starts it
            let fall = prices[peak] > 0 ? (prices[peak] - prices[index]) / prices[peak] : 0
            if fall > worst { worst = fall; best = (timesMs[peak], timesMs[index]) }
        }
        return best
    }
}
