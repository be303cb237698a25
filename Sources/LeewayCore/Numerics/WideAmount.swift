/// A ledger total: a decimal with the same 8 fractional digits as `Fixed`, stored in an `Int128`.
///
/// The venue's own ledger accounts (the outside world, the insurance fund, fee income, each
/// market's clearing account) sum many traders' balances, so they are kept wide: they hold
/// ±1.7 × 10³⁰ units and cannot overflow before a single trader balance (a `Fixed`) does.
/// Arithmetic is exact (sums only); overflow throws, never traps.
public struct WideAmount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value in units of 10⁻⁸.
    public var raw: Int128

    @inlinable public init(raw: Int128) { self.raw = raw }
    @inlinable public init(_ amount: Fixed) { raw = Int128(amount.raw) }

    public static let zero = WideAmount(raw: 0)

    @inlinable public static func < (lhs: WideAmount, rhs: WideAmount) -> Bool { lhs.raw < rhs.raw }
    @inlinable public var isNegative: Bool { raw < 0 }
    @inlinable public var isPositive: Bool { raw > 0 }

    /// self + delta (raw units); throws on `Int128` overflow.
    @inlinable
    public func adding(raw delta: Int128) throws(ArithmeticError) -> WideAmount {
        let (sum, overflow) = raw.addingReportingOverflow(delta)
        guard !overflow else { throw .overflow }
        return WideAmount(raw: sum)
    }

    /// The value as a `Fixed`, if it fits (throws otherwise).
    @inlinable
    public func narrowed() throws(ArithmeticError) -> Fixed { try Fixed.narrowing(raw) }

    /// The canonical decimal text, as `Fixed.description` writes it (no trailing zeros).
    public var description: String { Fixed.decimalText(raw: raw) }

    /// Parses the text `description` writes (an optional `-`, digits, an optional fraction of at
    /// most 8 digits); nil for anything else.
    public init?(parsing text: String) {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isASCII), parts[0].allSatisfy(\.isNumber) else { return nil }
        let fractionText = parts.count == 2 ? parts[1] : ""
        guard fractionText.count <= Fixed.fractionDigits, fractionText.allSatisfy({ $0.isASCII && $0.isNumber }),
              parts.count == 1 || !fractionText.isEmpty,
              let whole = Int128(parts[0]) else { return nil }
        let padded = fractionText + String(repeating: "0", count: Fixed.fractionDigits - fractionText.count)
        guard let fraction = Int128(padded) else { return nil }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: Int128(Fixed.scale))
        guard !overflow else { return nil }
        let (magnitude, overflow2) = scaled.addingReportingOverflow(fraction)
        guard !overflow2 else { return nil }
        raw = negative ? -magnitude : magnitude
    }
}

/// Encodes as its exact decimal string, like `Fixed`.
extension WideAmount: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = WideAmount(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a decimal amount")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
