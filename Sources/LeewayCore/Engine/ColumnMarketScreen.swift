/// What the column kernel of `Engine.remarginAll(accounts:)` needs of one market, read once per
/// re-margin instead of once per position.
struct ColumnMarketScreen: Sendable {
    /// The mark (raw 10⁻⁸ units); meaningful only when `hasMark`.
    var markRaw: Int64
    var hasMark: Bool
    /// An option: its positions are valued through the underlying, so its holders take the
    /// reference path.
    var isOption: Bool
    /// The largest line (a multiple of MM, raw 10⁻⁸ units) of the policy this market's positions
    /// follow: `largestLine(of:)`.
    var largestLineRaw: Int64

    init(market: Market, policy: LiquidationPolicy) {
        markRaw = market.markPrice?.raw ?? 0
        hasMark = market.markPrice != nil
        isOption = market.option != nil
        largestLineRaw = Self.largestLine(of: policy)
    }

    /// k_max = max(1, hard fraction, call, cure, warning) over the lines at m = 1 and, under dynamic
    /// margin, at m = max_multiplier (raw 10⁻⁸ units). Every line `decide` compares with lies at
    /// or below it: the lines grow with m (`LiquidationPolicy.lines(multiplier:)` rounds call × m
    /// up and adds fixed buffers), and the multiplier is capped at max_multiplier
    /// (`Market.marginMultiplier`). So equity ≥ k_max × MM means no line is crossed.
    static func largestLine(of policy: LiquidationPolicy) -> Int64 {
        var lines = [policy.lines()]
        if let dynamic = policy.dynamicMargin { lines.append(policy.lines(multiplier: dynamic.maxMultiplier)) }
        return lines.reduce(Fixed.one.raw) { largest, line in
            Swift.max(largest, line.hard.raw, line.call.raw, line.cure.raw, line.warning.raw)
        }
    }
}
