/// How traders answer a margin call: with probability `cureProbability` a trader acts after an
/// exponentially distributed delay (mean `meanReactionMs`), either depositing `depositMultiple` ×
/// the deposit that cures (with probability `depositShare`) or closing `reduceFraction` of the
/// position. Traders who do not act leave the account to the policy. A grace period only helps
/// traders who act within it, which is what this models.
public struct TraderBehaviour: Sendable, Equatable {
    public var cureProbability = 0.3
    public var meanReactionMs = 120_000.0
    public var depositShare = 0.5
    public var depositMultiple = 1.5
    public var reduceFraction = 0.5

    public init() {}
}
