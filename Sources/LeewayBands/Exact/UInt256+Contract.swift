/// Vyper's arithmetic on `UInt256` as the replay's errors: the checked operators revert (throw a
/// `BandsError` with code `bands.arithmetic_overflow`), the `u…` ones are `unsafe_…` (wrap, x/0 = 0).
/// Short names keep the ported formulas close to the contract's text.
extension UInt256 {
    @inline(__always) static func revert(_ operation: String) -> BandsError {
        BandsError("bands.arithmetic_overflow", "the contract's checked \(operation) reverts here (256-bit overflow, underflow or division by zero); nothing was changed.")
    }

    /// `a + b` (reverts past 2^256 − 1).
    @inline(__always) func plus(_ b: UInt256) throws(BandsError) -> UInt256 {
        let (value, overflow) = addingReportingOverflow(b)
        if overflow { throw Self.revert("addition") }
        return value
    }

    /// `a - b` (reverts below zero).
    @inline(__always) func minus(_ b: UInt256) throws(BandsError) -> UInt256 {
        let (value, overflow) = subtractingReportingOverflow(b)
        if overflow { throw Self.revert("subtraction") }
        return value
    }

    /// `a * b` (reverts past 2^256 − 1).
    @inline(__always) func times(_ b: UInt256) throws(BandsError) -> UInt256 {
        let (value, overflow) = multipliedReportingOverflow(by: b)
        if overflow { throw Self.revert("multiplication") }
        return value
    }

    /// `a / b` and `a // b`: truncating, reverts for b = 0.
    @inline(__always) func over(_ b: UInt256) throws(BandsError) -> UInt256 {
        if b.isZero { throw Self.revert("division") }
        return quotientAndRemainder(dividingBy: b).quotient
    }

    /// `unsafe_add`.
    @inline(__always) func uAdd(_ b: UInt256) -> UInt256 { wrappingAdding(b) }
    /// `unsafe_sub`.
    @inline(__always) func uSub(_ b: UInt256) -> UInt256 { wrappingSubtracting(b) }
    /// `unsafe_mul`.
    @inline(__always) func uMul(_ b: UInt256) -> UInt256 { wrappingMultiplied(by: b) }
    /// `unsafe_div` (x / 0 = 0).
    @inline(__always) func uDiv(_ b: UInt256) -> UInt256 { wrappingDivided(by: b) }
}
