import RealModule

/// The few transcendental functions the risk estimates need, from swift-numerics (no Foundation).
/// Only risk estimates use them; balances never pass through `Double`.
enum Math {
    static func log(_ x: Double) -> Double { Double.log(x) }
    static func exp2(_ x: Double) -> Double { Double.exp2(x) }
    static func erfc(_ x: Double) -> Double { Double.erfc(x) }

    /// The standard normal cumulative distribution Φ(x) = erfc(−x/√2) / 2.
    static func normalCDF(_ x: Double) -> Double { 0.5 * Double.erfc(-x / 2.0.squareRoot()) }
}
