/// What the column kernel of `Engine.remarginAll(accounts:)` needs of the markets, read once per
/// re-margin instead of once per position: per market its mark, kind and largest line, and every
/// market's maintenance tiers as pieces of the convex function g(N) = max_t (N × mmr_t − cum_mm(t)).
struct RemarginScreen: Sendable {
    struct MarketScreen: Sendable {
        /// The mark (raw 10⁻⁸ units); meaningful only when `hasMark`.
        var markRaw: Int64
        var hasMark: Bool
        /// An option: its positions are valued through the underlying, so its holders take the
        /// reference path.
        var isOption: Bool
        /// The largest line of the policy this market's positions follow (`largestLine(of:)`).
        var largestLineRaw: Int64
        /// This market's tiers in `pieces`: `tierStart ..< tierEnd`, ascending floors.
        var tierStart: Int32
        var tierEnd: Int32
    }

    /// One maintenance tier, scaled for the kernel's bounds.
    struct TierPiece: Sendable {
        /// floor × 10⁸: the tier's floor in 10⁻¹⁶ units, comparable with |size| × mark.
        var floor16: Int128
        /// mmr (raw 10⁻⁸ units).
        var rate: Int64
        /// cum_mm(t) × 10⁸: the tier's deduction in 10⁻²⁴ units.
        var deduction24: Int128
    }

    var markets: [MarketScreen] = []
    var pieces: [TierPiece] = []
    /// The largest line of the global policy (an account whose positions have no mark follows it).
    var globalLineRaw: Int64

    init(markets marketTable: [Market], policies: [LiquidationPolicy?], globalPolicy: LiquidationPolicy) {
        globalLineRaw = Self.largestLine(of: globalPolicy)
        markets.reserveCapacity(marketTable.count)
        for (index, market) in marketTable.enumerated() {
            let start = Int32(pieces.count)
            for (tier, rates) in market.tiers.tiers.enumerated() {
                pieces.append(TierPiece(floor16: Int128(rates.floor.raw) * Int128(Fixed.scale), rate: rates.mmr.raw,
                                        deduction24: market.tiers.maintenanceDeduction(tier: tier) * Int128(Fixed.scale)))
            }
            markets.append(MarketScreen(
                markRaw: market.markPrice?.raw ?? 0, hasMark: market.markPrice != nil, isOption: market.option != nil,
                largestLineRaw: Self.largestLine(of: (index < policies.count ? policies[index] : nil) ?? globalPolicy),
                tierStart: start, tierEnd: Int32(pieces.count)))
        }
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
