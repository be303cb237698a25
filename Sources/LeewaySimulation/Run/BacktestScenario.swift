import LeewayCore

/// Everything a backtest run needs apart from the policy: the path, the traders, the market's
/// tiers, the depth model and the insurance fund.
public struct BacktestScenario: Sendable {
    public var path: PricePath
    public var accounts: [SimulatedAccount]
    public var tiers: [MarginTier]
    public var depth: DepthModel
    /// Opening insurance fund (USDC); nil: 0.5 % of the population's total notional.
    public var insuranceFund: Fixed?
    /// Collateral weight of the coin for accounts that post it.
    public var coinWeight: Fixed
    /// What the oracle feed gets wrong (spikes, outages); faithful by default.
    public var oracleFeed: OracleFeed
    /// The venue's option series and their implied volatility; nil: no options (accounts with an
    /// option book then open nothing).
    public var options: OptionMarketSpec?

    public init(path: PricePath, accounts: [SimulatedAccount], tiers: [MarginTier], depth: DepthModel,
                insuranceFund: Fixed? = nil, coinWeight: Fixed = Fixed(raw: 80_000_000), oracleFeed: OracleFeed = .faithful,
                options: OptionMarketSpec? = nil) {
        self.path = path
        self.accounts = accounts
        self.tiers = tiers
        self.depth = depth
        self.insuranceFund = insuranceFund
        self.coinWeight = coinWeight
        self.oracleFeed = oracleFeed
        self.options = options
    }

    /// Binance-like tiers for a major perpetual: IMR/MMR 2 %/1 % to 1M notional, 5 %/2.5 % to 5M,
    /// 10 %/5 % above (so up to 50× on small positions).
    public static let defaultTiers: [MarginTier] = [
        MarginTier(floor: .zero, imr: Fixed(raw: 2_000_000), mmr: Fixed(raw: 1_000_000)),
        MarginTier(floor: Fixed(raw: 1_000_000 * Fixed.scale), imr: Fixed(raw: 5_000_000), mmr: Fixed(raw: 2_500_000)),
        MarginTier(floor: Fixed(raw: 5_000_000 * Fixed.scale), imr: Fixed(raw: 10_000_000), mmr: Fixed(raw: 5_000_000)),
    ]

    /// The highest leverage the tiers allow at a notional: 1 / IMR of its tier.
    public static func maximumLeverage(tiers: [MarginTier], notional: Double) -> Double {
        var imr = tiers.first?.imr.doubleValue ?? 1
        for tier in tiers where tier.floor.doubleValue <= notional { imr = tier.imr.doubleValue }
        return 1 / Swift.max(imr, 1e-9)
    }

    /// A price as an exact decimal (rounded to 10⁻⁸, at least 10⁻⁸).
    public static func exact(_ value: Double) -> Fixed {
        guard value.isFinite, value > 0 else { return .ulp }
        let scaled = (value * Double(Fixed.scale)).rounded()
        return scaled >= Double(Int64.max) ? .max : Fixed(raw: Swift.max(Int64(scaled), 1))
    }
}
