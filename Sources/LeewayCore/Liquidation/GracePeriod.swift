/// The volatility-scaled grace period.
///
/// With σ the mark's volatility per √ms and d = |ln(mark / bankruptcy price)| the log distance to
/// bankruptcy, the probability that the price touches the bankruptcy price within t ms is, by the
/// reflection principle for a driftless Brownian log-price, P(t) = 2·Φ(−d / (σ·√t)). P rises with
/// t, so the grace period is the largest integer t in [minMs, maxMs] with P(t) ≤ maxBreach, found by
/// bisection on integer milliseconds (deterministic). Edge cases: an account already at or beyond
/// bankruptcy (d ≤ 0) gets minMs; an unknown σ (no price move seen yet) gets minMs, the cautious
/// choice; σ = 0 (a flat market) gets maxMs.
public enum GracePeriod {
    public static func volatilityScaled(
        logDistanceToBankruptcy distance: Double,
        sigmaPerSqrtMs sigma: Double?,
        maxBreachProbability: Double,
        minMs: Int64,
        maxMs: Int64
    ) -> Int64 {
        guard distance > 0, distance.isFinite, let sigma else { return minMs }
        guard sigma > 0 else { return maxMs }
        func breachProbability(_ ms: Int64) -> Double {
            2 * Math.normalCDF(-distance / (sigma * Double(ms).squareRoot()))
        }
        if breachProbability(maxMs) <= maxBreachProbability { return maxMs }
        if breachProbability(minMs) > maxBreachProbability { return minMs }
        var low = minMs  // P(low) ≤ limit
        var high = maxMs  // P(high) > limit
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if breachProbability(middle) <= maxBreachProbability { low = middle } else { high = middle }
        }
        return low
    }
}
