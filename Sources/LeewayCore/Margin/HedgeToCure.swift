/// The answer to "which hedge cures my call": the smallest trade in an underlying's perpetual
/// against the account's net delta after which equity ≥ MM × cure line, or the full delta hedge
/// and what it would leave when no hedge up to it cures.
///
/// Found by bisection on 10⁻⁸ units of the trade h in (0, |Δ|] in the direction −sign(Δ), each
/// trial valued on the account as it would be after trading h at the mark (before trading fees:
/// a voluntary hedge pays the venue's fee, which the engine does not know). Under the standard
/// model a perpetual adds its own margin, so a hedge rarely cures there; the answer says so.
public struct HedgeToCure: Sendable, Hashable {
    /// The underlying perpetual to trade.
    public var market: String
    /// The trade (signed: positive buys).
    public var size: Fixed
    /// The mark it is valued at.
    public var price: Fixed
    /// Equity and MM after the trade.
    public var equityAfter: Fixed
    public var maintenanceAfter: Fixed
    /// equity_after ≥ MM_after × cure line.
    public var cures: Bool
}
