/// A collateral asset. Its contribution to equity is `amount × price × weight` for a positive
/// balance (a haircut), and `amount × price` for a negative balance (a debt is never discounted).
public struct Asset: Sendable, Hashable, Codable {
    public let id: String
    /// Price in the valuation currency per unit of the asset.
    public var price: Fixed
    /// Collateral weight in (0, 1].
    public var weight: Fixed

    public init(id: String, price: Fixed, weight: Fixed) {
        self.id = id
        self.price = price
        self.weight = weight
    }

    /// The collateral value of `amount` units.
    ///
    /// Equation: value = amount × price × weight if amount ≥ 0, else amount × price.
    /// Rounding: toward −∞ (collateral is never overstated, a debt never understated).
    @inlinable @inline(__always)
    public func collateralValue(of amount: Fixed) throws(ArithmeticError) -> Fixed {
        if amount.raw >= 0 {
            if price.raw == Fixed.scale && weight.raw == Fixed.scale { return amount }
            let numerator = Int128(amount.raw) * Int128(price.raw) * Int128(weight.raw)
            return try Fixed.fromWide(numerator, dividedBy: Int128(Fixed.scale) * Int128(Fixed.scale), rounding: .down)
        }
        if price.raw == Fixed.scale { return amount }
        return try amount.multiplied(by: price, rounding: .down)
    }
}
