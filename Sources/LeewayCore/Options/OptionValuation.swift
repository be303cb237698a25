/// How a binary64 Black-76 value becomes the exact amounts the ledger uses.
///
/// value per contract v = Black76.price(kind, F = underlying mark, K, σ, T) × contract_size, in
/// binary64 (inputs converted from `Fixed` by `doubleValue`, one correctly rounded division; T = (expiry − clock) /
/// 365 days). It is then rounded once to 10⁻⁸ from its exact binary64 value (`Fixed(_:rounding:)`),
/// in both directions: `down` = ⌊v⌋ is the option's mark, at which long positions are valued and
/// closed; `up` = ⌈v⌉ is where short positions are valued and closed. Each side is thus rounded
/// against the position's holder (a long is never worth more, a short never owes less, than the
/// binary64 value), and the difference (at most 10⁻⁸ per contract) stays in the option's clearing
/// account. Deterministic on every machine: `DeterministicMath` and IEEE basic operations only.
public struct OptionValuation: Sendable, Hashable {
    public var down: Fixed
    public var up: Fixed

    /// The value of `terms` at the underlying's `mark` and the clock `nowMs`; nil without a
    /// volatility. Throws `ArithmeticError.overflow` when the value is beyond `Fixed`'s range.
    public static func value(of terms: OptionTerms, underlyingMark mark: Fixed, atMs nowMs: Int64) throws(ArithmeticError) -> OptionValuation? {
        guard let volatility = terms.volatility else { return nil }
        let perUnit = Black76.price(terms.kind, forward: mark.doubleValue, strike: terms.strike.doubleValue,
                                    volatility: volatility.doubleValue, years: terms.yearsToExpiry(atMs: nowMs))
        let perContract = perUnit * terms.contractSize.doubleValue
        return OptionValuation(down: try Fixed(perContract, rounding: .down), up: try Fixed(perContract, rounding: .up))
    }
}
