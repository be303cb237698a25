/// Standard normal draws from a seeded `SplitMix64` by the Box–Muller transform:
/// z = √(−2 ln u₁) · cos(2π u₂), u₁ ∈ (0, 1], u₂ ∈ [0, 1). One draw per call (the sine twin is
/// discarded so the stream of draws does not depend on call parity).
import LeewayCore

extension SplitMix64 {
    public mutating func nextGaussian() -> Double {
        let u1 = 1.0 - nextUnit()
        let u2 = nextUnit()
        return SimulationMath.sqrt(-2.0 * SimulationMath.log(u1)) * SimulationMath.cos(2.0 * Double.pi * u2)
    }

    /// A Poisson draw with mean `lambda` (Knuth's product method; fine for the small means of
    /// jump counts per step).
    public mutating func nextPoisson(mean lambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        let limit = SimulationMath.exp(-lambda)
        var product = nextUnit()
        var count = 0
        while product > limit && count < 1_000 {
            count += 1
            product *= nextUnit()
        }
        return count
    }

    /// The seed of sub-stream `index` of `seed` (paths, accounts): a SplitMix64 step of the mix,
    /// so streams are independent of how many draws other streams took.
    public static func derivedSeed(_ seed: UInt64, _ index: UInt64) -> UInt64 {
        var generator = SplitMix64(seed: seed ^ (index &* 0xD1B5_4A32_D192_ED03))
        return generator.next()
    }
}
