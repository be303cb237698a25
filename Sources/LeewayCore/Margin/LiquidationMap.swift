/// Where liquidations cluster in one market: the notional of the positions whose liquidation price
/// falls at each price level, longs and shorts apart, as built by
/// `Engine.liquidationMap(market:bins:low:high:accounts:)`.
///
/// Bin i covers prices [low + i·w, low + (i + 1)·w) with w = (high − low) / bins (rounded up to
/// 10⁻⁸, so the bins cover the whole range); a position whose liquidation price is below `low` or
/// at/above `high` is counted in `outside`. A position's liquidation price is where its account's
/// equity equals MM with every other mark held (`LiquidationPriceSolver`, as in the margin
/// report); its notional there is |size| × that price, rounded down. Totals are wide (`Int128`),
/// since a venue's notional can exceed one `Fixed`.
public struct LiquidationMap: Sendable, Equatable {
    public var market: String
    public var mark: Fixed?
    public var low: Fixed
    public var high: Fixed
    /// The width of each bin, w.
    public var binWidth: Fixed
    /// Per bin: Σ |size| × liquidation price of the long positions liquidated there.
    public var longNotional: [WideAmount]
    /// Per bin: the same for short positions.
    public var shortNotional: [WideAmount]
    /// Positions counted per bin (longs and shorts).
    public var positions: [Int]
    /// Positions in the market with a liquidation price outside [low, high), and their notional.
    public var outsidePositions: Int
    public var outsideNotional: WideAmount
    /// Positions in the market with no positive liquidation price (collateral covers any move).
    public var unliquidatablePositions: Int
}
