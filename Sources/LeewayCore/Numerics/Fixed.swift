/// An exact decimal with 8 fractional digits, stored as an `Int64` count of 10⁻⁸ units.
///
/// Used for every amount, price, size, rate and fraction in the ledger and the margin model.
/// Range: ±92,233,720,368.54775807. Sums and differences are checked; products and quotients go
/// through `Int128` intermediates and round in an explicitly named direction. No operation traps:
/// overflow and division by zero throw `ArithmeticError`.
public struct Fixed: Sendable, Hashable, Comparable {
    /// Units per 1: values are `raw / 10⁸`.
    public static let scale: Int64 = 100_000_000
    /// The number of fractional digits the engine keeps; inputs with more are refused.
    public static let fractionDigits = 8

    /// The value in units of 10⁻⁸.
    public var raw: Int64

    @inlinable public init(raw: Int64) { self.raw = raw }

    public static let zero = Fixed(raw: 0)
    public static let one = Fixed(raw: scale)
    /// The largest representable value.
    public static let max = Fixed(raw: .max)
    /// The smallest representable value; `-min` is not representable, so we use `-max` as the floor.
    public static let min = Fixed(raw: -.max)
    /// The smallest positive value, 10⁻⁸.
    public static let ulp = Fixed(raw: 1)

    /// An integer amount; throws if `|value|` exceeds the range.
    public init(_ value: Int) throws(ArithmeticError) {
        let (product, overflow) = Int64(value).multipliedReportingOverflow(by: Self.scale)
        guard !overflow, product != .min else { throw .overflow }
        raw = product
    }

    @inlinable public static func < (lhs: Fixed, rhs: Fixed) -> Bool { lhs.raw < rhs.raw }

    @inlinable public var isZero: Bool { raw == 0 }
    @inlinable public var isNegative: Bool { raw < 0 }
    @inlinable public var isPositive: Bool { raw > 0 }
    /// −1, 0 or +1.
    @inlinable public var signum: Int64 { raw.signum() }
    /// The magnitude; always representable because `raw` is never `Int64.min`.
    @inlinable public var magnitude: Fixed { Fixed(raw: raw < 0 ? -raw : raw) }
    @inlinable public var negated: Fixed { Fixed(raw: -raw) }

    /// The value as a `Double`, for risk estimates and simulations only (never for the ledger).
    @inlinable public var doubleValue: Double { Double(raw) / Double(Self.scale) }
}
