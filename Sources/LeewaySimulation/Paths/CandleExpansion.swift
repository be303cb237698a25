import LeewayMarketData

/// Expands candles into an intra-candle price path.
///
/// Each candle becomes the points open → nearer extreme → other extreme → close (the extreme
/// nearer the open is visited first), with `subSteps` linear interpolation steps on each of the
/// three legs; the 3 × subSteps + 1 points are spaced evenly over the candle's minute. The close of
/// one candle and the open of the next are both kept (a gap between them is a real jump).
public enum CandleExpansion {
    /// - Parameters:
    ///   - candles: time-ordered candles (one minute each, as in the shared files).
    ///   - subSteps: interpolation steps per leg, ≥ 1 (1 = just the four OHLC points).
    ///   - intervalMs: candle length in ms.
    public static func path(from candles: [Candle], subSteps: Int = 1, intervalMs: Int64 = 60_000) -> PricePath {
        let steps = Swift.max(subSteps, 1)
        let pointsPerCandle = 3 * steps + 1
        var times: [Int64] = [], prices: [Double] = [], volumes: [Double] = []
        times.reserveCapacity(candles.count * pointsPerCandle)
        prices.reserveCapacity(candles.count * pointsPerCandle)
        volumes.reserveCapacity(candles.count * pointsPerCandle)
        for candle in candles {
            let highFirst = (candle.high - candle.open) <= (candle.open - candle.low)
            let waypoints = highFirst
                ? [candle.open, candle.high, candle.low, candle.close]
                : [candle.open, candle.low, candle.high, candle.close]
            let spacingMs = intervalMs / Int64(pointsPerCandle)
            var point = 0
            for leg in 0..<3 {
                for step in 0..<steps {
                    let fraction = Double(step) / Double(steps)
                    prices.append(waypoints[leg] + (waypoints[leg + 1] - waypoints[leg]) * fraction)
                    times.append(candle.openTimeMs + Int64(point) * spacingMs)
                    volumes.append(candle.volume)
                    point += 1
                }
            }
            prices.append(candle.close)
            times.append(candle.openTimeMs + Int64(point) * spacingMs)
            volumes.append(candle.volume)
        }
        return PricePath(timesMs: times, prices: prices, minuteVolumes: volumes)
    }
}
