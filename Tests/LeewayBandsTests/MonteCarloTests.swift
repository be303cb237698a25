import Foundation
import LeewayBands
import Testing

@Suite("Monte-Carlo loss estimate")
struct MonteCarloTests {
    @Test("the same seed gives the same samples whatever the thread count", arguments: [1, 2, 3])
    func deterministicAcrossThreads(threads: Int) async throws {
        let series = try BandsFixtures.series("btcusdt-1m-2024-08-05.json.gz", reversed: true)
        let parameters = LossSimulationParameters(a: 100, bands: 4, fee: 0.002)
        let reference = await LossSimulator.monteCarlo(series: series, parameters: parameters, samples: 400, days: 0.05, top: 20, seed: 9, threads: 1)
        let other = await LossSimulator.monteCarlo(series: series, parameters: parameters, samples: 400, days: 0.05, top: 20, seed: 9, threads: threads)
        #expect(other.samples == reference.samples)
        #expect(other.loss == reference.loss)
        let different = await LossSimulator.monteCarlo(series: series, parameters: parameters, samples: 400, days: 0.05, top: 20, seed: 10, threads: threads)
        #expect(different.samples != reference.samples)
    }

    @Test("each sample equals the deterministic run of its window, and top-K is the mean of the K worst")
    func samplesAreSingleRuns() async throws {
        let series = try BandsFixtures.series("ethusdt-1m-2024-08-05.json.gz")
        let parameters = LossSimulationParameters(a: 80, bands: 6, fee: 0.004)
        let result = await LossSimulator.monteCarlo(series: series, parameters: parameters, samples: 50, days: 0.2, top: 5, seed: 3, threads: 2)
        let worst = result.samples.sorted(by: >).prefix(5)
        #expect(BandsFixtures.close(result.loss, worst.reduce(0, +) / 5, relative: 1e-15))
        #expect(result.samples.allSatisfy { $0 > -0.05 && $0 < 0.5 })
        #expect(result.samples.contains { $0 != 0 })
    }

    @Test("liq_discount follows Curve's formula: 1 − (1 − loss)·mean of ((A−1)/A)^(k+1/2)")
    func liquidationDiscountFormula() throws {
        let parameters = LossSimulationParameters(a: 100, bands: 4, fee: 0.002)
        let loss = 0.08251464359152028
        var mean = 0.0
        for k in 0..<4 { mean += pow(0.99, Double(k) + 0.5) }
        #expect(BandsFixtures.close(parameters.liquidationDiscount(loss: loss), 1 - (1 - loss) * mean / 4, relative: 1e-15))
    }
}
