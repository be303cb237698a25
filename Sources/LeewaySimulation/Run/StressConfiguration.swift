import LeewayCore

/// A Monte-Carlo stress run: `paths` synthetic paths of `steps` steps from one model, the same
/// population and policies on each.
public struct StressConfiguration: Sendable {
    public var model: SyntheticModel
    public var paths: Int
    public var steps: Int
    public var stepMs: Int64 = 60_000
    public var startMs: Int64 = 1_700_000_000_000
    public var startPrice: Double
    /// Base-asset volume per minute for the depth model.
    public var minuteVolume: Double
    public var seed: UInt64
    public var population: [SimulatedAccount]
    public var tiers: [MarginTier]
    public var depth: DepthModel
    public var insuranceFund: Fixed?
    public var policies: [PolicySpec]
    public var badDebtThreshold: Double
    public var markEvaluation: Engine.MarkEvaluation = .triggerBands
    /// The venue's options (nil: none). Each path gets its own vol-of-vol stream (`options(forPath:)`).
    public var options: OptionMarketSpec?

    public init(model: SyntheticModel, paths: Int, steps: Int, startPrice: Double, minuteVolume: Double, seed: UInt64,
                population: [SimulatedAccount], tiers: [MarginTier], depth: DepthModel, insuranceFund: Fixed?,
                policies: [PolicySpec], badDebtThreshold: Double) {
        self.model = model
        self.paths = paths
        self.steps = steps
        self.startPrice = startPrice
        self.minuteVolume = minuteVolume
        self.seed = seed
        self.population = population
        self.tiers = tiers
        self.depth = depth
        self.insuranceFund = insuranceFund
        self.policies = policies
        self.badDebtThreshold = badDebtThreshold
    }

    /// Path `index`'s option market: the configured one with its vol-of-vol Brownian motion seeded
    /// from the path's own sub-seed (a stream apart from the path's prices).
    public func options(forPath index: Int) -> OptionMarketSpec? {
        guard var options else { return nil }
        options.volSeed = SplitMix64.derivedSeed(SplitMix64.derivedSeed(seed, UInt64(index)), 0x766F_6C)
        return options
    }

    /// The scenario of path `index`: its prices and option market, the population, tiers, depth and fund.
    public func scenario(_ index: Int) -> BacktestScenario {
        BacktestScenario(path: path(index), accounts: population, tiers: tiers, depth: depth, insuranceFund: insuranceFund,
                         options: options(forPath: index))
    }

    /// Path `index`'s prices: the model run from the path's own sub-seed of `seed`.
    public func path(_ index: Int) -> PricePath {
        model.path(seed: SplitMix64.derivedSeed(seed, UInt64(index)), startPrice: startPrice, startMs: startMs,
                   steps: steps, stepMs: stepMs, minuteVolume: minuteVolume)
    }
}
