/// The soft-liquidation policy: thresholds, grace period, and deleveraging pace. Global, or per
/// market (an account follows the policy of the market of its largest position).
///
/// Part 2 of the spec adds a zone *above* maintenance margin: `callLevel` puts the margin call and
/// its grace at MM × call_level, `liquidationStepFraction` deleverages at once, in steps, below MM,
/// `toxicClose` closes an account in full when a partial close can no longer raise its margin
/// ratio, `dynamicMargin` widens the zone (and IM) with volatility, and `preLiquidationFee` is the
/// fee of steps taken while equity ≥ MM. With every part-2 field at its default, behaviour is the
/// part-1 policy exactly.
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

    /// Volatility-scaled zone: m = min(max(σ_day / referenceVolatility, 1), maxMultiplier),
    /// rounded up to a multiple of 0.1, multiplies call_level and the IM of risk-increasing fills.
    public struct DynamicMargin: Sendable, Hashable, Codable {
        /// The daily volatility (a fraction, e.g. 0.04) at which the zone has its base width.
        public var referenceVolatility: Fixed
        /// The largest multiplier (≥ 1).
        public var maxMultiplier: Fixed

        public init(referenceVolatility: Fixed, maxMultiplier: Fixed) {
            self.referenceVolatility = referenceVolatility
            self.maxMultiplier = maxMultiplier
        }
    }

    public var mode: Mode = .soft
    /// `warning` when equity < MM × (callLevel·m + warningBuffer).
    public var warningBuffer: Fixed = Fixed(raw: 25_000_000)
    public var grace: Grace = .fixed(ms: 600_000)
    /// equity < MM × hardFraction closes every position at once, grace or not.
    public var hardFraction: Fixed = Fixed(raw: 50_000_000)
    /// A deleveraging step at or above MM (or any step when `liquidationStepFraction` is nil)
    /// closes at most this fraction of each position.
    public var stepFraction: Fixed = Fixed(raw: 25_000_000)
    /// Time between deleveraging steps at or above MM.
    public var cooldownMs: Int64 = 30_000
    /// A call or deleveraging ends only when equity ≥ MM × (callLevel·m + cureBuffer).
    public var cureBuffer: Fixed = Fixed(raw: 10_000_000)
    /// Margin call when equity < MM × callLevel·m (≥ 1; 1 is the part-1 policy).
    public var callLevel: Fixed = .one
    /// When set, equity < MM ends any grace at once: steps of at most this fraction of each
    /// position, one every `liquidationCooldownMs`.
    public var liquidationStepFraction: Fixed?
    /// Time between deleveraging steps below MM (with `liquidationStepFraction`).
    public var liquidationCooldownMs: Int64 = 30_000
    /// Fee rate of deleveraging steps taken while equity ≥ MM, instead of the market's
    /// liquidation fee; nil: the market's fee.
    public var preLiquidationFee: Fixed?
    /// Below MM, an account whose equity ≤ Σ notional × (liquidation_fee + expected_slippage) is
    /// closed in full at once.
    public var toxicClose = false
    public var dynamicMargin: DynamicMargin?

    public init() {}

    /// The spec's defaults.
    public static let standard = LiquidationPolicy()

    /// The largest call level accepted (a call at 100 × MM is already far beyond any venue's IM).
    static let maximumCallLevel = Fixed(raw: 100 * Fixed.scale)

    /// Checks the rules every field must meet, and that fields do not contradict each other; the
    /// message names the field.
    public func validate() throws(LiquidationPolicyError) {
        let ten = Fixed(raw: 10 * Fixed.scale)
        guard warningBuffer >= .zero, warningBuffer <= ten else { throw .invalid("warning_buffer must be between 0 and 10") }
        guard cureBuffer >= .zero, cureBuffer <= ten else { throw .invalid("cure_buffer must be between 0 and 10") }
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
        guard callLevel >= .one, callLevel <= Self.maximumCallLevel else {
            throw .invalid("call_level must be at least 1 (the call comes at or above maintenance margin) and at most 100, got \(callLevel)")
        }
        if let fraction = liquidationStepFraction {
            guard fraction.isPositive, fraction <= .one else {
                throw .invalid("liquidation_step_fraction must be above 0 and at most 1, got \(fraction)")
            }
        }
        guard liquidationCooldownMs >= 0 else { throw .invalid("liquidation_cooldown_ms must not be negative") }
        if let fee = preLiquidationFee {
            guard fee >= .zero, fee < .one else { throw .invalid("pre_liquidation_fee must be at least 0 and below 1, got \(fee)") }
        }
        if let dynamic = dynamicMargin {
            guard dynamic.referenceVolatility.isPositive else {
                throw .invalid("dynamic_margin.reference_volatility must be above 0 (a daily volatility such as 0.04)")
            }
            guard dynamic.maxMultiplier >= .one, dynamic.maxMultiplier <= ten else {
                throw .invalid("dynamic_margin.max_multiplier must be between 1 and 10, got \(dynamic.maxMultiplier)")
            }
            guard (try? callLevel.multiplied(by: dynamic.maxMultiplier, rounding: .up)).map({ $0 <= Self.maximumCallLevel }) ?? false else {
                throw .invalid("call_level × dynamic_margin.max_multiplier must be at most 100")
            }
        }
        if mode == .hard {
            guard callLevel == .one, liquidationStepFraction == nil, preLiquidationFee == nil, !toxicClose else {
                throw .invalid("mode \"hard\" closes everything at MM: call_level, liquidation_step_fraction, pre_liquidation_fee and toxic_close need mode \"soft\"")
            }
        }
    }

    /// The multiples of MM at which this policy's decisions change, for a volatility multiplier m
    /// (1 without dynamic margin): call = call_level·m (rounded up), cure = call + cure_buffer,
    /// warning = call + warning_buffer. Rounding up widens the zone, the safe side.
    public func lines(multiplier m: Fixed = .one) -> Lines {
        let call = m == .one ? callLevel : ((try? callLevel.multiplied(by: m, rounding: .up)) ?? Self.maximumCallLevel)
        return Lines(hard: hardFraction, call: call,
                     cure: Fixed(raw: call.raw + cureBuffer.raw), warning: Fixed(raw: call.raw + warningBuffer.raw))
    }

    /// Decision lines as multiples of MM (10⁻⁸ units); MM itself is always 1.
    public struct Lines: Sendable, Hashable {
        public var hard: Fixed
        public var call: Fixed
        public var cure: Fixed
        public var warning: Fixed
    }
}

public enum LiquidationPolicyError: Error, Sendable, Hashable {
    case invalid(String)
    public var message: String { switch self { case .invalid(let message): return message } }
}
