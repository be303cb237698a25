/// Checked arithmetic on `Fixed`. Every operation either returns the exact (or explicitly rounded)
/// result or throws `ArithmeticError`; nothing traps or wraps.
extension Fixed {
    /// `self + other`, exact.
    @inlinable
    public func adding(_ other: Fixed) throws(ArithmeticError) -> Fixed {
        let (sum, overflow) = raw.addingReportingOverflow(other.raw)
        guard !overflow, sum != .min else { throw .overflow }
        return Fixed(raw: sum)
    }

    /// `self − other`, exact.
    @inlinable
    public func subtracting(_ other: Fixed) throws(ArithmeticError) -> Fixed {
        let (difference, overflow) = raw.subtractingReportingOverflow(other.raw)
        guard !overflow, difference != .min else { throw .overflow }
        return Fixed(raw: difference)
    }

    /// `self × other`, rounded to 10⁻⁸ in the given direction.
    ///
    /// Equation: raw = round(a.raw × b.raw / 10⁸), computed in `Int128` so the product cannot overflow
    /// before the division.
    @inlinable @inline(__always)
    public func multiplied(by other: Fixed, rounding: RoundingRule) throws(ArithmeticError) -> Fixed {
        try Fixed.fromWide(Int128(raw) * Int128(other.raw), dividedBy: Int128(Fixed.scale), rounding: rounding)
    }

    /// `self ÷ other`, rounded to 10⁻⁸ in the given direction.
    ///
    /// Equation: raw = round(a.raw × 10⁸ / b.raw), in `Int128`. Throws on division by zero.
    @inlinable
    public func divided(by other: Fixed, rounding: RoundingRule) throws(ArithmeticError) -> Fixed {
        guard other.raw != 0 else { throw .divisionByZero }
        return try Fixed.fromWide(Int128(raw) * Int128(Fixed.scale), dividedBy: Int128(other.raw), rounding: rounding)
    }

    /// `self × numerator ÷ denominator` with a single rounding at the end (no intermediate rounding).
    @inlinable
    public func multiplied(by numerator: Fixed, dividedBy denominator: Fixed, rounding: RoundingRule) throws(ArithmeticError) -> Fixed {
        guard denominator.raw != 0 else { throw .divisionByZero }
        return try Fixed.fromWide(Int128(raw) * Int128(numerator.raw), dividedBy: Int128(denominator.raw), rounding: rounding)
    }

    /// `self × n` for an integer `n`, exact.
    @inlinable
    public func multiplied(byInteger n: Int64) throws(ArithmeticError) -> Fixed {
        let (product, overflow) = raw.multipliedReportingOverflow(by: n)
        guard !overflow, product != .min else { throw .overflow }
        return Fixed(raw: product)
    }

    /// Rounds to `digits` fractional digits (0…8) in the given direction.
    public func rounded(toDigits digits: Int, rounding: RoundingRule) throws(ArithmeticError) -> Fixed {
        precondition((0...Fixed.fractionDigits).contains(digits), "digits is a programming constant in 0...8")
        var unit: Int64 = 1
        for _ in digits..<Fixed.fractionDigits { unit *= 10 }
        let units = Int128.divide(Int128(raw), by: Int128(unit), rounding: rounding)
        return try Fixed.fromWide(units * Int128(unit), dividedBy: 1, rounding: .towardZero)
    }

    /// Narrows an exact wide raw value to `Fixed`; throws when it is outside the range.
    @inlinable
    public static func narrowing(_ raw: Int128) throws(ArithmeticError) -> Fixed {
        guard raw <= Int128(Int64.max), raw >= -Int128(Int64.max) else { throw .overflow }
        return Fixed(raw: Int64(raw))
    }

    /// Converts a wide numerator / denominator (both in raw units) to `Fixed`, rounding as told.
    @inlinable @inline(__always)
    public static func fromWide(_ numerator: Int128, dividedBy denominator: Int128, rounding: RoundingRule) throws(ArithmeticError) -> Fixed {
        let quotient = Int128.divide(numerator, by: denominator, rounding: rounding)
        guard quotient <= Int128(Int64.max), quotient >= -Int128(Int64.max) else { throw .overflow }
        return Fixed(raw: Int64(quotient))
    }

    /// The smaller of two values.
    @inlinable public static func minimum(_ a: Fixed, _ b: Fixed) -> Fixed { a < b ? a : b }
    /// The larger of two values.
    @inlinable public static func maximum(_ a: Fixed, _ b: Fixed) -> Fixed { a < b ? b : a }
}

extension Int128 {
    /// `numerator ÷ denominator` rounded in the given direction. `denominator` must be non-zero
    /// (callers check); the only overflowing case, `Int128.min ÷ −1`, cannot arise from `Int64` inputs.
    @inlinable @inline(__always)
    public static func divide(_ numerator: Int128, by denominator: Int128, rounding: RoundingRule) -> Int128 {
        let quotient: Int128
        let remainderMagnitude: UInt128
        let divisorMagnitude = denominator.magnitude
        let dividendMagnitude = numerator.magnitude
        let exactIsNegative = (numerator < 0) != (denominator < 0)
        // Fast path: a 64-bit divisor and a quotient that fits 64 bits (the high word of the
        // dividend below the divisor), which covers every result that fits `Fixed`: one hardware
        // 128 ÷ 64 division instead of the generic 128-bit routine.
        if divisorMagnitude >> 64 == 0, UInt64(truncatingIfNeeded: dividendMagnitude >> 64) < UInt64(truncatingIfNeeded: divisorMagnitude) {
            let parts = UInt64(truncatingIfNeeded: divisorMagnitude).dividingFullWidth(
                (high: UInt64(truncatingIfNeeded: dividendMagnitude >> 64), low: UInt64(truncatingIfNeeded: dividendMagnitude)))
            quotient = exactIsNegative ? -Int128(parts.quotient) : Int128(parts.quotient)
            remainderMagnitude = UInt128(parts.remainder)
        } else {
            quotient = numerator / denominator
            remainderMagnitude = (numerator % denominator).magnitude
        }
        if remainderMagnitude == 0 { return quotient }
        // The exact result lies strictly between `quotient` and `quotient ± 1` (truncation toward zero).
        switch rounding {
        case .towardZero:
            return quotient
        case .awayFromZero:
            return exactIsNegative ? quotient - 1 : quotient + 1
        case .down:
            return exactIsNegative ? quotient - 1 : quotient
        case .up:
            return exactIsNegative ? quotient : quotient + 1
        case .toNearestOrEven:
            let twiceRemainder = remainderMagnitude * 2
            let awayFromZero = exactIsNegative ? quotient - 1 : quotient + 1
            if twiceRemainder > divisorMagnitude { return awayFromZero }
            if twiceRemainder < divisorMagnitude { return quotient }
            return quotient % 2 == 0 ? quotient : awayFromZero
        }
    }
}
