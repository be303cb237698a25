import Foundation
import LeewayCore
import LeewayMarketData
import LeewaySimulation

/// Shared inputs of the simulation tests: the real crash files and small populations.
enum SimulationFixtures {
    static let pricesDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/prices").path

    /// The first `minutes` candles of a shared file, expanded to a path.
    static func path(_ file: String, minutes: Int = 1_440, subSteps: Int = 1) throws -> PricePath {
        let candles = try CandleFile.load(path: pricesDirectory + "/" + file)
        return CandleExpansion.path(from: Array(candles.prefix(minutes)), subSteps: subSteps)
    }

    static func scenario(path: PricePath, accounts: Int = 400, seed: UInt64 = 1, feedback: Bool = true,
                         configure: (inout PopulationSpec) -> Void = { _ in }) -> BacktestScenario {
        var spec = PopulationSpec(accounts: accounts)
        configure(&spec)
        let tiers = BacktestScenario.defaultTiers
        let population = spec.draw(seed: seed, pathLength: path.count) { BacktestScenario.maximumLeverage(tiers: tiers, notional: $0) }
        var depth = DepthModel()
        depth.feedback = feedback
        return BacktestScenario(path: path, accounts: population, tiers: tiers, depth: depth)
    }

    static func policy(_ text: String) -> PolicySpec {
        (try? PolicySpec.parse(text)) ?? PolicySpec(name: "invalid", policy: .standard, liquidationFee: .zero)
    }
}
