/// What a band's coins are worth if the price moves slowly (adiabatically) through the band:
/// `xDown`, the borrowed coin obtained converting everything down to the band's bottom, and `yUp`,
/// the collateral obtained converting everything up to its top (the contract's `get_xy_up`).
///
/// * p_o above the band (p_o > p_up): everything is (or is traded to) collateral y_o = Inv/f − g;
///   xDown = y_o·p_up/√(A/(A − 1)), yUp = y_o.
/// * p_o below it (p_o < p_down): everything to borrowed x_o = Inv/g − f; xDown = x_o,
///   yUp = x_o·√(A/(A − 1))/p_up.
/// * p_o inside: trade to p_o first, y_o = A·y0·(p_o − p_down)/p_o, x_o = Inv/(g + y_o) − f, then
///   xDown = x_o + y_o·√(p_down·p_o) and yUp = y_o + x_o/√(p_up·p_o).
/// A single-coin band outside p_o is converted at p_current_mid = p_o³/(p_down·p_up) directly.
/// Units: borrowed coin for xDown, collateral for yUp; binary64, negative differences clamp to 0.
public struct AdiabaticValue: Sendable, Equatable {
    public let xDown: Double
    public let yUp: Double

    public init(x: Double, y: Double, oraclePrice po: Double, pOracleUp pUp: Double, a: Int, sqrtBandRatio: Double) {
        let amp = Double(a)
        let pDown = pUp * (amp - 1) / amp
        if x == 0 && y == 0 { xDown = 0; yUp = 0; return }
        let mid = po * po / pDown * po / pUp
        if x == 0 || y == 0 {
            if po > pUp {
                let yEquivalent = y == 0 ? x / mid : y
                xDown = yEquivalent * pUp / sqrtBandRatio
                yUp = yEquivalent
                return
            }
            if po < pDown {
                let xEquivalent = x == 0 ? y * mid : x
                xDown = xEquivalent
                yUp = xEquivalent * sqrtBandRatio / pUp
                return
            }
        }
        let inv = BandInvariant(x: x, y: y, oraclePrice: po, pOracleUp: pUp, a: a)
        if po > pUp {
            let yO = Swift.max(inv.invariant / inv.f - inv.g, 0)
            xDown = yO * pUp / sqrtBandRatio
            yUp = yO
        } else if po < pDown {
            let xO = Swift.max(inv.invariant / inv.g - inv.f, 0)
            xDown = xO
            yUp = xO * sqrtBandRatio / pUp
        } else {
            let yO = amp * inv.y0 * (po - pDown) / po
            let xO = Swift.max(inv.invariant / (inv.g + yO) - inv.f, 0)
            xDown = xO + yO * (pDown * po).squareRoot()
            yUp = yO + xO / (pUp * po).squareRoot()
        }
    }
}
