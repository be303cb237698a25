/// The few transcendental functions the risk estimates need. They forward to `DeterministicMath`
/// (basic IEEE operations only, checked bit for bit against committed vectors), never to the
/// platform's libm, because their results reach the state digest, grace deadlines and ADL
/// ranking: every machine must compute the same bits. Balances never pass through `Double`.
enum Math {
    static func log(_ x: Double) -> Double { DeterministicMath.log(x) }
    static func exp2(_ x: Double) -> Double { DeterministicMath.exp2(x) }
    static func erfc(_ x: Double) -> Double { DeterministicMath.erfc(x) }

    /// The standard normal cumulative distribution Φ(x) = erfc(−x/√2) / 2.
    static func normalCDF(_ x: Double) -> Double { DeterministicMath.normalCDF(x) }
}
