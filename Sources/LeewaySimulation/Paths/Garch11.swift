/// A GARCH(1,1) model of per-step log returns: σ_t² = ω + α r_{t−1}² + β σ_{t−1}², r_t = σ_t z_t.
public struct Garch11: Sendable, Equatable {
    public var omega: Double
    public var alpha: Double
    public var beta: Double

    public init(omega: Double, alpha: Double, beta: Double) {
        self.omega = omega
        self.alpha = alpha
        self.beta = beta
    }

    /// ω / (1 − α − β), the long-run variance per step (requires α + β < 1).
    public var unconditionalVariance: Double { omega / Swift.max(1 - alpha - beta, 1e-12) }

    /// Gaussian log-likelihood of `returns` (up to a constant):
    /// ℓ = −½ Σ (ln σ_t² + r_t² / σ_t²), with σ_0² = the sample variance.
    public func logLikelihood(_ returns: [Double], sampleVariance: Double) -> Double {
        var variance = sampleVariance
        var total = 0.0
        var previous = 0.0
        for (index, r) in returns.enumerated() {
            if index > 0 { variance = omega + alpha * previous * previous + beta * variance }
            guard variance > 0 else { return -.infinity }
            total -= 0.5 * (SimulationMath.log(variance) + r * r / variance)
            previous = r
        }
        return total
    }

    /// Fits α and β by maximum likelihood with variance targeting (ω = (1 − α − β)·sample variance):
    /// a coarse grid over α ∈ [0.01, 0.30], β ∈ [0.50, 0.99] with α + β < 0.999, then three rounds
    /// of a finer grid around the best point. Deterministic; no random starts.
    public static func fit(returns: [Double]) -> Garch11 {
        let count = Double(Swift.max(returns.count, 1))
        let mean = returns.reduce(0, +) / count
        let variance = Swift.max(returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count, 1e-18)
        func model(_ alpha: Double, _ beta: Double) -> Garch11 {
            Garch11(omega: (1 - alpha - beta) * variance, alpha: alpha, beta: beta)
        }
        var best = (alpha: 0.05, beta: 0.90)
        var bestScore = model(best.alpha, best.beta).logLikelihood(returns, sampleVariance: variance)
        var alphaStep = 0.03, betaStep = 0.05
        var alphaRange = stride(from: 0.01, through: 0.30, by: alphaStep).map { $0 }
        var betaRange = stride(from: 0.50, through: 0.99, by: betaStep).map { $0 }
        for _ in 0..<4 {
            for alpha in alphaRange where alpha > 0 {
                for beta in betaRange where beta > 0 && alpha + beta < 0.999 {
                    let score = model(alpha, beta).logLikelihood(returns, sampleVariance: variance)
                    if score > bestScore { bestScore = score; best = (alpha, beta) }
                }
            }
            alphaStep /= 4
            betaStep /= 4
            alphaRange = (-4...4).map { best.alpha + Double($0) * alphaStep }
            betaRange = (-4...4).map { best.beta + Double($0) * betaStep }
        }
        return model(best.alpha, best.beta)
    }
}
