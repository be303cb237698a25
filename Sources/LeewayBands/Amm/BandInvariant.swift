/// The invariant of one band at oracle price p_o: (f + x)(g + y) = p_o·A²·y0², with
/// f = A·y0·p_o²/p_up and g = (A − 1)·y0·p_up/p_o, where p_up is the band's upper oracle edge and
/// y0 the positive root of p_o·A·y0² − y0·[(p_up/p_o)(A − 1)·x + A·(p_o²/p_up)·y] − x·y = 0.
///
/// x is borrowed coin, y collateral; binary64 throughout (the contract rounds each step down in 1e18
/// fixed point; the difference is below 1e-15 relative).
public struct BandInvariant: Sendable, Equatable {
    public let y0: Double
    public let f: Double
    public let g: Double
    /// Inv = (f + x)(g + y).
    public let invariant: Double

    public init(x: Double, y: Double, oraclePrice po: Double, pOracleUp pUp: Double, a: Int) {
        let amp = Double(a)
        var b = 0.0
        if x != 0 { b = pUp * (amp - 1) * x / po }
        if y != 0 { b += amp * po * po / pUp * y }
        if x > 0 && y > 0 {
            let discriminant = b * b + 4 * amp * po * y * x
            y0 = (b + discriminant.squareRoot()) / (2 * amp * po)
        } else {
            y0 = b / (amp * po)
        }
        f = amp * y0 * po / pUp * po
        g = (amp - 1) * y0 * pUp / po
        invariant = (f + x) * (g + y)
    }

    /// AMM price of a band holding (x, y): (f + x)/(g + y). All-collateral sits at p_current_down =
    /// p_o³/p_up², all-borrowed at p_current_up = p_o³/p_down², empty reports the geometric middle.
    public static func price(x: Double, y: Double, oraclePrice po: Double, pOracleUp pUp: Double, a: Int) -> Double {
        let amp = Double(a)
        if x == 0 {
            let down = po * po / pUp * po / pUp
            return y == 0 ? down * amp / (amp - 1) : down
        }
        if y == 0 {
            let pDown = pUp * (amp - 1) / amp
            return po * po / pDown * po / pDown
        }
        let inv = BandInvariant(x: x, y: y, oraclePrice: po, pOracleUp: pUp, a: a)
        return (inv.f + x) / (inv.g + y)
    }
}
