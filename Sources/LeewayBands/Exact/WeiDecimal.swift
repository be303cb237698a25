/// Exact decimal text ↔ wei: "2.5" is 2.5·10^18 wei, and back. No binary64 on the way, so every
/// amount the contract can hold round-trips.
public enum WeiDecimal {
    /// Parses a plain decimal (digits, at most one point) as `value · 10^18`. Refuses, with the
    /// reason, a sign (negative wei), an exponent, more than 18 significant decimals (a fraction of a
    /// wei) and a value of 2^256 wei or more.
    public static func parse(_ text: String, field: String) throws(BandsError) -> UInt256 {
        if text.hasPrefix("-") {
            throw BandsError("bands.negative_amount", "\"\(field)\" is \(text): the contract's amounts are unsigned, there is no negative wei.")
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !(whole.isEmpty && (parts.count == 1 || parts[1].isEmpty)),
              whole.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), parts.count == 1 || parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw BandsError("bands.invalid_field", "\"\(field)\" must be a plain decimal such as \"2.5\" in exact mode (no sign, exponent or spaces); got \"\(text)\".")
        }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        while fraction.count > 18, fraction.hasSuffix("0") { fraction.removeLast() }
        guard fraction.count <= 18 else {
            throw BandsError("bands.fractional_wei", "\"\(field)\" is \(text): that is a fraction of a wei (at most 18 decimals).")
        }
        let digits = (whole.isEmpty ? "0" : String(whole)) + fraction + String(repeating: "0", count: 18 - fraction.count)
        guard let value = UInt256(decimal: digits) else {
            throw BandsError("bands.amount_too_large", "\"\(field)\" is \(text): beyond 2^256 wei, the largest amount the contract can hold.")
        }
        return value
    }

    /// Parses an integer number of wei (or shares); same refusals as `parse`.
    public static func parseInteger(_ text: String, field: String) throws(BandsError) -> UInt256 {
        if text.hasPrefix("-") { throw BandsError("bands.negative_amount", "\"\(field)\" is \(text): there is no negative wei.") }
        if text.contains(".") { throw BandsError("bands.fractional_wei", "\"\(field)\" is \(text): a wei amount is a whole number.") }
        guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), !text.isEmpty else {
            throw BandsError("bands.invalid_field", "\"\(field)\" must be an integer number of wei; got \"\(text)\".")
        }
        guard let value = UInt256(decimal: text) else { throw BandsError("bands.amount_too_large", "\"\(field)\" is beyond 2^256 wei.") }
        return value
    }

    /// The exact decimal of `wei / 10^18`: no trailing zeros, no point for whole values.
    public static func text(_ wei: UInt256) -> String {
        let (whole, fraction) = wei.quotientAndRemainder(dividingBy: .wad)
        if fraction.isZero { return whole.description }
        var digits = fraction.description
        digits = String(repeating: "0", count: 18 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
