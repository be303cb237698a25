/// An account's margin position at current prices: the inputs to every liquidation decision.
public struct AccountRisk: Sendable, Hashable {
    /// Σ collateral values + Σ unrealized PnL (settle units).
    public var equity: Fixed
    /// Σ initial margin over positions.
    public var initialMargin: Fixed
    /// Σ maintenance margin over positions.
    public var maintenanceMargin: Fixed
    /// Σ |size| × mark over positions.
    public var totalNotional: Fixed
    public var hasPositions: Bool

    public init(equity: Fixed, initialMargin: Fixed, maintenanceMargin: Fixed, totalNotional: Fixed, hasPositions: Bool) {
        self.equity = equity
        self.initialMargin = initialMargin
        self.maintenanceMargin = maintenanceMargin
        self.totalNotional = totalNotional
        self.hasPositions = hasPositions
    }

    /// equity − k × MM, exactly, in 10⁻¹⁶ units (k in 10⁻⁸ units): the sign says which side of the
    /// threshold k × MM the account is on, with no rounding at all.
    @inlinable
    public func gap(multiple k: Fixed) -> Int128 {
        Int128(equity.raw) * Int128(Fixed.scale) - Int128(maintenanceMargin.raw) * Int128(k.raw)
    }

    /// True if equity < k × MM (exact).
    @inlinable
    public func isBelow(multiple k: Fixed) -> Bool { gap(multiple: k) < 0 }
}
