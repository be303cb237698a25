@testable import LeewayCore
import Testing

/// The volatility estimate and the grace period it drives reach the state digest and margin-call
/// deadlines, so they must come out bit for bit the same on every machine. The expected values
/// were computed by the Python port of `DeterministicMath` in `scripts/make-math-vectors.py`
/// (same operations in the same order), not by this Swift code.
@Suite("Deterministic risk estimates")
struct VolatilityDeterminismTests {
    /// Marks (ms, price) with a repeated timestamp, a gap and a large move.
    static let marks: [(Int64, String)] = [
        (0, "10000"), (60_000, "10012.5"), (60_000, "10011"), (120_000, "9950.25"), (180_000, "9800"),
        (240_000, "9901.12345678"), (300_000, "9000"), (900_000, "9100.5"), (3_600_000, "9050"),
    ]

    static func estimator() -> VolatilityEstimator {
        var estimator = VolatilityEstimator(halfLifeMs: 3_600_000)
        for (ms, price) in marks { estimator.observe(price: d(price).doubleValue, atMs: ms) }
        return estimator
    }

    @Test("the EWMA variance of a fixed mark sequence matches the committed bit pattern")
    func varianceMatchesCommittedBits() {
        let estimator = Self.estimator()
        #expect(estimator.varianceRatePerMs.bitPattern == 0x3E10_D02C_DDD7_D303)
        #expect(estimator.sampleCount == 7)  // 8 marks after the first, one of them at a repeated timestamp
    }

    @Test("a mark at the same timestamp moves only the price the next return is measured from")
    func sameTimestampOnlyMovesTheBasePrice() {
        var estimator = VolatilityEstimator(halfLifeMs: 3_600_000)
        estimator.observe(price: 100, atMs: 0)
        estimator.observe(price: 110, atMs: 1_000)
        let variance = estimator.varianceRatePerMs
        estimator.observe(price: 120, atMs: 1_000)
        #expect(estimator.varianceRatePerMs == variance)
        #expect(estimator.sampleCount == 1)
        #expect(estimator.lastPrice == 120)
    }

    @Test("volatility-scaled grace periods from that estimate match the committed values",
          arguments: [(0.01, Int64(60_000)), (0.02, 61_602), (0.05, 385_013)])
    func gracePeriodsMatchCommittedValues(distance: Double, expectedMs: Int64) throws {
        let sigma = try #require(Self.estimator().sigmaPerSqrtMs)
        let grace = GracePeriod.volatilityScaled(logDistanceToBankruptcy: distance, sigmaPerSqrtMs: sigma,
                                                 maxBreachProbability: 0.01, minMs: 60_000, maxMs: 3_600_000)
        #expect(grace == expectedMs)
    }
}
