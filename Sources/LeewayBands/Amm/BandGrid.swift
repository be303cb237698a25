import Foundation

/// The band price grid of one AMM: band n spans oracle prices p_oracle_down(n) … p_oracle_up(n) with
/// p_oracle_up(n) = P_base·((A − 1)/A)^n = P_base·exp(−n·ln(A/(A − 1))) and
/// p_oracle_down(n) = p_oracle_up(n + 1). Larger n means lower prices; every band is 1/A wide.
///
/// The exponential form is the contract's (`_p_oracle_up` evaluates exp(−n·LOG_A_RATIO)); in binary64
/// it reproduces the contract's grid to about 1e-16 relative. Prices in borrowed coin per collateral.
public struct BandGrid: Sendable, Equatable {
    public let a: Int
    /// P_base at rate multiplier 1 (the deployment's base price).
    public let basePrice: Double
    /// ln(A/(A − 1)).
    public let logARatio: Double
    /// √(A/(A − 1)): the ratio of a band's upper edge to its geometric middle.
    public let sqrtBandRatio: Double

    public init(a: Int, basePrice: Double) {
        self.a = a
        self.basePrice = basePrice
        self.logARatio = Foundation.log(Double(a) / Double(a - 1))
        self.sqrtBandRatio = (Double(a) / Double(a - 1)).squareRoot()
    }

    /// Upper oracle edge of band n with the base price grown by `rateMultiplier`.
    public func pOracleUp(_ n: Int, rateMultiplier: Double = 1) -> Double {
        basePrice * rateMultiplier * Foundation.exp(-Double(n) * logARatio)
    }

    /// Lower oracle edge of band n: p_oracle_up(n + 1).
    public func pOracleDown(_ n: Int, rateMultiplier: Double = 1) -> Double { pOracleUp(n + 1, rateMultiplier: rateMultiplier) }

    /// Band whose oracle range holds `price`: ⌊ln(P_base·m/price)/ln(A/(A − 1))⌋.
    public func band(of price: Double, rateMultiplier: Double = 1) -> Int {
        Int(Foundation.floor(Foundation.log(basePrice * rateMultiplier / price) / logARatio))
    }
}
