/// Exact conversion of a binary64 value to `Fixed`: the one way a floating-point estimate (an
/// option's Black-76 value) becomes an amount the ledger can hold.
extension Fixed {
    /// The `Fixed` nearest to `value` in the direction `rounding` names, computed from the exact
    /// product value × 10⁸ (not from its binary64 rounding): with p = value ⊗ 10⁸ and e the
    /// product's exact rounding error (Dekker's two-product, `DeterministicMath.twoProduct`),
    /// value × 10⁸ = p + e exactly, and floor(p + e) = floor(p) − 1 when p is an integer and
    /// e < 0 or when (p − floor p) + e < 0 (both sums are exact in sign), else floor(p) + floor(e)
    /// for p ≥ 2⁵³ (an integer, where e may exceed 1). `.up` is −floor(−x); only `.down` and `.up`
    /// are accepted (the caller must choose a side). Deterministic: IEEE basic operations only.
    ///
    /// Throws `ArithmeticError.overflow` for NaN, ±∞ or a result outside `Fixed`'s range.
    public init(_ value: Double, rounding: RoundingRule) throws(ArithmeticError) {
        precondition(rounding == .down || rounding == .up, "Fixed(Double) rounds .down or .up only")
        guard value.isFinite else { throw .overflow }
        let raw = try Self.flooredRaw(rounding == .down ? value : -value)
        self.init(raw: rounding == .down ? raw : -raw)
    }

    /// floor(value × 10⁸) exactly, as an Int64 of 10⁻⁸ units.
    private static func flooredRaw(_ value: Double) throws(ArithmeticError) -> Int64 {
        let (product, error) = DeterministicMath.twoProduct(value, Double(scale))
        // |raw| ≤ Int64.max − 1 so that negation (for .up) cannot overflow: 9.2e18 < 2^63 exactly.
        guard product.magnitude < 9.2e18 else { throw .overflow }
        let floorProduct = product.rounded(.down)
        var raw = Int64(floorProduct)
        if floorProduct == product {
            let floorError = error.rounded(.down)
            raw += Int64(floorError)
        } else if (product - floorProduct) + error < 0 {
            raw -= 1
        }
        guard raw > Int64.min, raw < Int64.max else { throw .overflow }
        return raw
    }
}
