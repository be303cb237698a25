/// A running estimate of a mark price's volatility, per √millisecond, from the marks seen.
///
/// Equation: with r = ln(p_t / p_s) the log return since the last sample s and Δt = t − s in ms,
/// the variance rate v (per ms) is updated as an exponentially weighted mean of r² / Δt:
///   v ← λ·v + (1 − λ)·r²/Δt,  λ = 2^(−Δt / halfLifeMs),
/// and σ = √v. Marks with the same timestamp as the last sample only move the price the next
/// sample is measured from (no return over zero time is folded in). This is a risk estimate, so
/// it uses `Double` (never the ledger); `ln` and `2^x` come from `DeterministicMath`, so the
/// estimate (which the state digest covers) is bit-identical on every machine.
public struct VolatilityEstimator: Sendable, Hashable, Codable {
    /// The half-life of the exponential weighting, in milliseconds.
    public var halfLifeMs: Double
    /// The last sampled price and its time.
    public private(set) var lastPrice: Double?
    public private(set) var lastSampleMs: Int64?
    /// The variance rate per millisecond (σ²).
    public private(set) var varianceRatePerMs: Double = 0
    /// How many returns have been folded in; 0 means σ is unknown.
    public private(set) var sampleCount: Int = 0

    public init(halfLifeMs: Double = 3_600_000) {
        self.halfLifeMs = halfLifeMs
    }

    /// σ per √ms, or nil while no price move has been seen.
    public var sigmaPerSqrtMs: Double? {
        sampleCount == 0 ? nil : varianceRatePerMs.squareRoot()
    }

    /// Folds in a mark at time `timestampMs`.
    public mutating func observe(price: Double, atMs timestampMs: Int64) {
        guard price > 0, price.isFinite else { return }
        guard let previousPrice = lastPrice, let previousMs = lastSampleMs else {
            lastPrice = price
            lastSampleMs = timestampMs
            return
        }
        let elapsedMs = Double(timestampMs - previousMs)
        guard elapsedMs > 0 else {
            lastPrice = price  // same timestamp: only the price the next return is measured from moves
            return
        }
        let logReturn = Math.log(price / previousPrice)
        let decay = Math.exp2(-elapsedMs / halfLifeMs)
        varianceRatePerMs = decay * varianceRatePerMs + (1 - decay) * logReturn * logReturn / elapsedMs
        sampleCount += 1
        lastPrice = price
        lastSampleMs = timestampMs
    }
}
