import LeewayCore
import LeewaySimulation
import Testing

@Suite("Stress runs")
struct StressTests {
    static func configuration(paths: Int) -> StressConfiguration {
        var spec = PopulationSpec(accounts: 150)
        spec.behaviour.cureProbability = 0.5
        let tiers = BacktestScenario.defaultTiers
        let population = spec.draw(seed: 4, pathLength: 241) { BacktestScenario.maximumLeverage(tiers: tiers, notional: $0) }
        return StressConfiguration(
            model: .jumpDiffusion(annualDrift: 0, annualVolatility: 1.0, jumpsPerDay: 6, jumpMean: -0.05, jumpVolatility: 0.03),
            paths: paths, steps: 240, startPrice: 100, minuteVolume: 500, seed: 11, population: population, tiers: tiers,
            depth: DepthModel(), insuranceFund: nil, policies: ["hard", "soft"].map(SimulationFixtures.policy), badDebtThreshold: 0)
    }

    @Test("results are identical for a seed whatever the thread count")
    func threadCountDoesNotMatter() async {
        let one = await StressRunner.run(Self.configuration(paths: 12), threads: 1)
        let two = await StressRunner.run(Self.configuration(paths: 12), threads: 2)
        let five = await StressRunner.run(Self.configuration(paths: 12), threads: 5)
        #expect(one.map(\.perPath) == two.map(\.perPath))
        #expect(one.map(\.perPath) == five.map(\.perPath))
        #expect(one.map(\.insuranceES99) == five.map(\.insuranceES99))
        #expect(one.allSatisfy { $0.perPath.allSatisfy(\.ledgerConserved) })
    }

    @Test("nearest-rank quantiles and expected shortfall", arguments: [
        (0.5, 50.0, 75.5), (0.95, 95.0, 98.0), (0.99, 99.0, 100.0),
    ])
    func quantiles(level: Double, quantile: Double, shortfall: Double) {
        let values = (1...100).map(Double.init)
        #expect(MetricDistribution.quantile(values, level) == quantile)
        #expect(MetricDistribution.expectedShortfall(values, level) == shortfall)
    }
}
