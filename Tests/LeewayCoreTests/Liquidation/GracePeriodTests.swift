import Foundation
import LeewayCore
import Testing

@Suite("Volatility-scaled grace period")
struct GracePeriodTests {
    /// The spec's breach probability 2·Φ(−d/(σ√t)) = erfc(d/(σ√(2t))), from the C library: an
    /// independent check of the engine's swift-numerics evaluation.
    func breachProbability(distance: Double, sigma: Double, ms: Int64) -> Double {
        erfc(distance / (sigma * (2 * Double(ms)).squareRoot()))
    }

    @Test("the chosen grace is the longest t whose breach probability stays within the limit")
    func longestSafeGrace() {
        let sigma = 0.0003 / 1000.0.squareRoot()  // 0.03 % per second
        let distance = 0.05  // 5 % to bankruptcy
        let grace = GracePeriod.volatilityScaled(logDistanceToBankruptcy: distance, sigmaPerSqrtMs: sigma,
                                                 maxBreachProbability: 0.01, minMs: 1_000, maxMs: 86_400_000)
        #expect(grace > 1_000 && grace < 86_400_000)
        #expect(breachProbability(distance: distance, sigma: sigma, ms: grace) <= 0.01 + 1e-6)
        #expect(breachProbability(distance: distance, sigma: sigma, ms: grace + 1_000) > 0.01 - 1e-6)
    }

    @Test("more volatility or less distance gives a shorter grace period")
    func monotone() {
        func grace(_ distance: Double, _ sigma: Double) -> Int64 {
            GracePeriod.volatilityScaled(logDistanceToBankruptcy: distance, sigmaPerSqrtMs: sigma,
                                         maxBreachProbability: 0.01, minMs: 0, maxMs: 100_000_000)
        }
        #expect(grace(0.05, 1e-5) > grace(0.05, 2e-5))
        #expect(grace(0.05, 1e-5) > grace(0.02, 1e-5))
    }

    @Test("edge cases: no volatility seen → min, a flat market → max, at or beyond bankruptcy → min", arguments: [
        (0.05, nil as Double?, Int64(60_000)), (0.05, 0.0, Int64(3_600_000)), (0.0, 1e-5, Int64(60_000)), (-0.1, 1e-5, Int64(60_000)),
        (10.0, 1e-9, Int64(3_600_000)),
    ])
    func edges(distance: Double, sigma: Double?, expected: Int64) {
        #expect(GracePeriod.volatilityScaled(logDistanceToBankruptcy: distance, sigmaPerSqrtMs: sigma,
                                             maxBreachProbability: 0.01, minMs: 60_000, maxMs: 3_600_000) == expected)
    }

    @Test("the volatility estimate grows with the size of the moves")
    func estimator() {
        var calm = VolatilityEstimator(halfLifeMs: 3_600_000), wild = calm
        for minute in 0..<60 {
            let time = Int64(minute) * 60_000
            calm.observe(price: minute % 2 == 0 ? 100 : 100.1, atMs: time)
            wild.observe(price: minute % 2 == 0 ? 100 : 102, atMs: time)
        }
        #expect((calm.sigmaPerSqrtMs ?? 0) > 0)
        #expect((wild.sigmaPerSqrtMs ?? 0) > 10 * (calm.sigmaPerSqrtMs ?? 0))
    }
}
