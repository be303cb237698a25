/// One loan: debt recorded at `rateMultiplierAtUpdate` (debt now = debt·m(now)/m(update)) and the
/// liquidation discount fixed when the loan was opened.
public struct Loan: Sendable, Equatable {
    public var recordedDebt: Double
    public var rateMultiplierAtUpdate: Double
    public let liquidationDiscount: Double
}

/// What a hard liquidation moved: collateral and borrowed coin taken from the bands, the debt it
/// repaid, what the liquidator paid in (debt not covered by the bands' borrowed coin) and the surplus
/// borrowed coin the liquidator kept.
public struct LiquidationOutcome: Sendable, Equatable {
    public let collateralOut: Double
    public let borrowedOut: Double
    public let debtRepaid: Double
    public let liquidatorPaid: Double
    public let liquidatorSurplus: Double
    public let remainingDebt: Double
}
