/// The direction a division or rescaling rounds when the exact result is not representable.
/// Every division in the engine names one, chosen so that rounding never favours the trader over
/// the venue (or, for reported prices, never shows a trigger beyond where it really is).
public enum RoundingRule: Sendable, Hashable {
    /// Toward −∞ (floor).
    case down
    /// Toward +∞ (ceiling).
    case up
    /// Toward zero (truncation).
    case towardZero
    /// Away from zero.
    case awayFromZero
    /// To nearest, ties to even (banker's rounding); used only for display, never for balances.
    case toNearestOrEven
}
