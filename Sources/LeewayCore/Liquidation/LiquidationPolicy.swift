/// The soft-liquidation policy: thresholds, grace period, and deleveraging pace. Global, or per
/// market (an account follows the policy of the market of its largest position).
public struct LiquidationPolicy: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Hashable, Codable {
        /// Margin call, grace period, stepped deleveraging.
        case soft
        /// Equity < MM closes every position at once.
        case hard
    }

    /// How long a margin call lasts before deleveraging.
    public enum Grace: Sendable, Hashable, Codable {
        case fixed(ms: Int64)
        /// The longest t in [minMs, maxMs] with 2·Φ(−d/(σ√t)) ≤ maxBreachProbability.
        case volatilityScaled(maxBreachProbability: Fixed, minMs: Int64, maxMs: Int64)
    }

    public var mode: Mode = .soft
    /// `warning` when equity < MM × (1 + warningBuffer).
    public var warningBuffer: Fixed = Fixed(raw: 25_000_000)
    public var grace: Grace = .fixed(ms: 600_000)
    /// equity < MM × hardFraction closes every position at once, grace or not.
    public var hardFraction: Fixed = Fixed(raw: 50_000_000)
    /// A deleveraging step closes at most this fraction of each position.
    public var stepFraction: Fixed = Fixed(raw: 25_000_000)
    /// Time between deleveraging steps.
    public var cooldownMs: Int64 = 30_000
    /// A call or deleveraging ends only when equity ≥ MM × (1 + cureBuffer).
    public var cureBuffer: Fixed = Fixed(raw: 10_000_000)

    public init() {}

    /// The spec's defaults.
    public static let standard = LiquidationPolicy()

    /// Checks the rules every field must meet; the message names the field.
    public func validate() throws(LiquidationPolicyError) {
        guard warningBuffer >= .zero, warningBuffer <= Fixed(raw: 10 * Fixed.scale) else {
            throw .invalid("warning_buffer must be between 0 and 10")
        }
        guard cureBuffer >= .zero, cureBuffer <= Fixed(raw: 10 * Fixed.scale) else {
            throw .invalid("cure_buffer must be between 0 and 10")
        }
        guard hardFraction >= .zero, hardFraction <= .one else { throw .invalid("hard_fraction must be between 0 and 1") }
        guard stepFraction.isPositive, stepFraction <= .one else { throw .invalid("step_fraction must be above 0 and at most 1") }
        guard cooldownMs >= 0 else { throw .invalid("cooldown_ms must not be negative") }
        switch grace {
        case .fixed(let ms):
            guard ms >= 0 else { throw .invalid("grace_ms must not be negative") }
        case .volatilityScaled(let probability, let minMs, let maxMs):
            guard probability.isPositive, probability < .one else {
                throw .invalid("grace.max_breach_probability must be above 0 and below 1")
            }
            guard minMs >= 0, maxMs >= minMs else { throw .invalid("grace needs 0 ≤ min_ms ≤ max_ms") }
        }
    }
}

public enum LiquidationPolicyError: Error, Sendable, Hashable {
    case invalid(String)
    public var message: String { switch self { case .invalid(let message): return message } }
}
