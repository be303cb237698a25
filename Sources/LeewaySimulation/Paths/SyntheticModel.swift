import LeewayCore

/// The synthetic price models of `leeway stress`. Every model is driven by a seeded `SplitMix64`
/// so a (model, seed) pair always gives the same path.
public enum SyntheticModel: Sendable, Equatable {
    /// Geometric Brownian motion: ln p_{t+Δ} − ln p_t = (μ − σ²/2)Δ + σ√Δ·z, Δ in years.
    case geometricBrownian(annualDrift: Double, annualVolatility: Double)
    /// Merton jump diffusion: GBM plus N ~ Poisson(λΔ) jumps of log-size ~ N(μ_J, σ_J²) per step,
    /// with the drift compensated by −λ·(e^{μ_J + σ_J²/2} − 1) so jumps do not move the mean.
    case jumpDiffusion(annualDrift: Double, annualVolatility: Double, jumpsPerDay: Double, jumpMean: Double, jumpVolatility: Double)
    /// GARCH(1,1) on log returns: r_t = σ_t z_t, σ_t² = ω + α r_{t−1}² + β σ_{t−1}² (fitted with `Garch11.fit`).
    case garch(Garch11)
    /// Block bootstrap: consecutive blocks of `blockLength` returns drawn uniformly from `returns`.
    case blockBootstrap(returns: [Double], blockLength: Int)

    /// The name used on the command line.
    public var name: String {
        switch self {
        case .geometricBrownian: return "gbm"
        case .jumpDiffusion: return "jump"
        case .garch: return "garch"
        case .blockBootstrap: return "bootstrap"
        }
    }

    static let millisecondsPerYear = 365.25 * 86_400_000.0

    /// Generates `steps` returns after `startPrice` at `stepMs` spacing: a path of steps + 1 points.
    public func path(seed: UInt64, startPrice: Double, startMs: Int64, steps: Int, stepMs: Int64, minuteVolume: Double) -> PricePath {
        var generator = SplitMix64(seed: seed)
        let dt = Double(stepMs) / Self.millisecondsPerYear
        var logPrice = SimulationMath.log(startPrice)
        var times: [Int64] = [startMs], prices: [Double] = [startPrice]
        times.reserveCapacity(steps + 1)
        prices.reserveCapacity(steps + 1)
        var garchVariance = 0.0, previousReturn = 0.0
        if case .garch(let model) = self { garchVariance = model.unconditionalVariance }
        var blockPosition = 0, blockIndex = 0
        for step in 1...Swift.max(steps, 1) {
            let r: Double
            switch self {
            case let .geometricBrownian(mu, sigma):
                r = (mu - 0.5 * sigma * sigma) * dt + sigma * SimulationMath.sqrt(dt) * generator.nextGaussian()
            case let .jumpDiffusion(mu, sigma, jumpsPerDay, jumpMean, jumpVolatility):
                let lambda = jumpsPerDay * 365.25
                let compensator = lambda * (SimulationMath.exp(jumpMean + 0.5 * jumpVolatility * jumpVolatility) - 1)
                var value = (mu - 0.5 * sigma * sigma - compensator) * dt + sigma * SimulationMath.sqrt(dt) * generator.nextGaussian()
                for _ in 0..<generator.nextPoisson(mean: lambda * dt) {
                    value += jumpMean + jumpVolatility * generator.nextGaussian()
                }
                r = value
            case .garch(let model):
                garchVariance = model.omega + model.alpha * previousReturn * previousReturn + model.beta * garchVariance
                r = SimulationMath.sqrt(garchVariance) * generator.nextGaussian()
                previousReturn = r
            case let .blockBootstrap(returns, blockLength):
                if returns.isEmpty { r = 0 } else {
                    if blockPosition == 0 { blockIndex = Int(generator.next() % UInt64(returns.count)) }
                    r = returns[(blockIndex + blockPosition) % returns.count]
                    blockPosition = (blockPosition + 1) % Swift.max(blockLength, 1)
                }
            }
            logPrice += r
            times.append(startMs + Int64(step) * stepMs)
            prices.append(SimulationMath.exp(logPrice))
        }
        return PricePath(timesMs: times, prices: prices, minuteVolumes: Array(repeating: minuteVolume, count: prices.count))
    }
}
