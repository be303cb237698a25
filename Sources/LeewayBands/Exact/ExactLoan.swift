/// One loan of the Controller (`Loan`, both versions): the debt when it was last written and the AMM's rate
/// multiplier at that moment; the debt now is initial_debt·rate_mul_now/rate_mul (see
/// `ExactController.debt(of:amm:)` for the rounding).
public struct ExactLoan: Sendable, Equatable {
    public var initialDebt: UInt256
    public var rateMultiplier: UInt256
}
