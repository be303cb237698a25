import Foundation
import LeewayMarketData

/// A candle series prepared for loss simulations: structure-of-arrays of the fields the model reads,
/// and the oracle EMA over the whole series for one half-life.
///
/// The EMA (Curve's oracle model): starting at the first open, for each candle at time t (ms),
/// w = 2^(−(t − t_prev)/(1000·T)) and ema ← ema·w + (high + low)/2·(1 − w); T is a half-life in seconds.
public struct PriceSeries: Sendable {
    public let timesMs: [Int64]
    public let opens: [Double]
    public let highs: [Double]
    public let lows: [Double]
    /// Oracle price at each candle (after that candle is folded in).
    public let emas: [Double]
    public let halfLifeSeconds: Double

    public var count: Int { timesMs.count }

    /// Builds the series; with `reversed` the candles are followed by their own time-reversed copy
    /// (time t becomes 2·t_last − t), doubling its length (Curve's `add_reverse`).
    public init(candles: [Candle], halfLifeSeconds: Double, reversed: Bool = false) throws(BandsError) {
        guard !candles.isEmpty else { throw BandsError("bands.empty_prices", "the price file has no candles.") }
        var rows = candles
        if reversed, let last = candles.last?.openTimeMs {
            rows += candles.reversed().map { candle in
                var copy = candle
                copy.openTimeMs = last + (last - candle.openTimeMs)
                return copy
            }
        }
        for candle in rows where !(candle.open > 0 && candle.high > 0 && candle.low > 0 && candle.open.isFinite && candle.high.isFinite && candle.low.isFinite) {
            throw BandsError("bands.invalid_candle", "candle at \(candle.openTimeMs) ms has a non-positive or non-finite price; clean the file first.")
        }
        timesMs = rows.map(\.openTimeMs)
        opens = rows.map(\.open)
        highs = rows.map(\.high)
        lows = rows.map(\.low)
        self.halfLifeSeconds = halfLifeSeconds
        var ema = rows[0].open
        var emaTime = rows[0].openTimeMs
        var out = [Double]()
        out.reserveCapacity(rows.count)
        for row in rows {
            let weight = Foundation.pow(2.0, -Double(row.openTimeMs - emaTime) / (1000 * halfLifeSeconds))
            ema = ema * weight + (row.low + row.high) / 2 * (1 - weight)
            emaTime = row.openTimeMs
            out.append(ema)
        }
        emas = out
    }

    /// Rows of the window starting at fraction `position` of the series and `size` long (fractions):
    /// ⌊position·count⌋ ..< min(count, ⌊(position + size)·count⌋), as Curve slices it.
    public func window(position: Double, size: Double) -> Range<Int> {
        let lower = Swift.min(count, Swift.max(0, Int(position * Double(count))))
        let upper = Swift.min(count, Swift.max(lower, Int((position + size) * Double(count))))
        return lower..<upper
    }

    /// Fraction of the series one day spans: 86 400 000 ms/(t_last − t_first).
    public var dayFraction: Double {
        let span = Double((timesMs.last ?? 0) - (timesMs.first ?? 0))
        return span > 0 ? 86_400_000 / span : 1
    }
}
