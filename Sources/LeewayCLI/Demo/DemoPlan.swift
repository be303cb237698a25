import Foundation
import LeewayCore
import LeewayMarketData
import LeewaySimulation
import LeewayWire

/// Everything `leeway demo` sends, worked out before the server starts: the crash window of the
/// candles, the price path, the population (the simulator's `PopulationSpec`), the policy with its
/// durations scaled to the replay speed, and the venue's set-up commands.
///
/// Time: the server stamps every command with its own clock (the demo sends no `ts`), so engine
/// time is server time. The replay compresses the market: path point k is sent at
/// start + (t_k − t_0) / speed of server time, i.e. one candle minute every 60 / speed seconds.
/// So that the crash keeps its shape against the engine's clocks, every duration of the policy
/// (grace, cooldowns, the grace bounds of a volatility-scaled grace, the volatility half-life) and
/// every trader's reaction delay is divided by the speed. Volatility is measured per ms of server
/// time, so it is √speed times the real one: a volatility-scaled grace (σ√t) comes out exactly
/// compressed, and dynamic margin's reference volatility is multiplied by √speed to keep its
/// multiplier what it was.
struct DemoPlan {
    static let settleAsset = "USDC"
    /// Candles replayed before the peak that precedes the largest fall, and after its trough.
    static let leadCandles = 10
    static let tailCandles = 120

    var market: String
    var candles: [Candle]
    var path: PricePath
    var accounts: [SimulatedAccount]
    var policy: PolicySpec
    var scaledPolicy: LiquidationPolicy
    var speed: Double
    var tiers: [MarginTier]
    /// The set-up commands in order: asset, market, policy, insurance fund, first mark, then each
    /// account's deposit and fill.
    var setup: [JSONObject]
    /// The fall replayed: peak high → trough low.
    var peak: Double
    var trough: Double

    init(candles all: [Candle], source: String, accounts count: Int, seed: UInt64, policy: PolicySpec, speed: Double) {
        let window = Self.crashWindow(all)
        candles = Array(all[window.range])
        peak = window.peak
        trough = window.trough
        path = CandleExpansion.path(from: candles, subSteps: 1)
        market = Self.marketName(source: source)
        self.policy = policy
        self.speed = speed
        scaledPolicy = Self.scaled(policy.policy, speed: speed)
        tiers = BacktestScenario.defaultTiers
        let tiers = tiers
        accounts = PopulationSpec(accounts: count).draw(seed: seed, pathLength: path.count) {
            BacktestScenario.maximumLeverage(tiers: tiers, notional: $0)
        }
        setup = []
        setup = setUpCommands()
    }

    /// The replayed candles: from `leadCandles` before the peak that starts the largest fall (the
    /// largest drop from a running high to a later low) to `tailCandles` after its trough.
    static func crashWindow(_ candles: [Candle]) -> (range: Range<Int>, peak: Double, trough: Double) {
        guard !candles.isEmpty else { return (0..<0, 0, 0) }
        var runningHigh = candles[0].high, runningHighIndex = 0
        var best = (drop: 0.0, peak: 0, trough: 0)
        for (index, candle) in candles.enumerated() {
            if candle.high > runningHigh { runningHigh = candle.high; runningHighIndex = index }
            let drop = runningHigh > 0 ? (runningHigh - candle.low) / runningHigh : 0
            if drop > best.drop { best = (drop, runningHighIndex, index) }
        }
        let start = Swift.max(0, best.peak - leadCandles), end = Swift.min(candles.count, best.trough + tailCandles + 1)
        return (start..<end, candles[best.peak].high, candles[best.trough].low)
    }

    /// "ETH-PERP" for ethusdt-1m-….json.gz (the letters before "usdt"/"usd"), else "DEMO-PERP".
    static func marketName(source: String) -> String {
        let name = (source as NSString).lastPathComponent.lowercased()
        for quote in ["usdt", "usdc", "usd"] {
            if let range = name.range(of: quote) {
                let base = name[..<range.lowerBound].filter { $0.isLetter || $0.isNumber }
                if !base.isEmpty, base.count <= 12 { return base.uppercased() + "-PERP" }
            }
        }
        return "DEMO-PERP"
    }

    /// `policy` with every duration divided by `speed` (rounded to the ms) and dynamic margin's
    /// reference volatility multiplied by √speed (see the type's comment).
    static func scaled(_ policy: LiquidationPolicy, speed: Double) -> LiquidationPolicy {
        func scale(_ ms: Int64) -> Int64 { Int64((Double(ms) / speed).rounded()) }
        var scaled = policy
        switch policy.grace {
        case .fixed(let ms): scaled.grace = .fixed(ms: scale(ms))
        case let .volatilityScaled(probability, minMs, maxMs):
            scaled.grace = .volatilityScaled(maxBreachProbability: probability, minMs: scale(minMs), maxMs: scale(maxMs))
        }
        scaled.cooldownMs = scale(policy.cooldownMs)
        scaled.liquidationCooldownMs = scale(policy.liquidationCooldownMs)
        if var dynamic = policy.dynamicMargin {
            dynamic.referenceVolatility = BacktestScenario.exact(dynamic.referenceVolatility.doubleValue * speed.squareRoot())
            scaled.dynamicMargin = dynamic
        }
        return scaled
    }

    /// The engine's default volatility half-life (1 h), scaled like the policy's durations.
    var volatilityHalfLifeMs: Int64 { Swift.max(1_000, Int64((3_600_000 / speed).rounded())) }

    /// The price of path point `index` as the exact decimal a mark carries.
    func price(at index: Int) -> Fixed { BacktestScenario.exact(path.prices[index]) }

    func setUpCommands() -> [JSONObject] {
        let start = price(at: 0)
        var commands: [JSONObject] = [
            JSONObject([("type", .string("asset")), ("asset", .string(Self.settleAsset)), ("price", .string("1")), ("weight", .string("1"))]),
            JSONObject([("type", .string("market")), ("market", .string(market)), ("settle", .string(Self.settleAsset)),
                        ("tiers", .array(tiers.map { tier in
                            .object(JSONObject([("floor", .string(tier.floor.description)), ("imr", .string(tier.imr.description)),
                                                ("mmr", .string(tier.mmr.description))]))
                        })),
                        ("liquidation_fee", .string(policy.liquidationFee.description)),
                        ("expected_slippage", .string(policy.expectedSlippage.description))]),
        ]
        if case .object(var command)? = try? JSONParser.parse(PolicyEncoder.command(scaledPolicy)) {
            command.append("volatility_half_life_ms", .number(String(volatilityHalfLifeMs)))
            commands.append(command)
        }
        let totalNotional = accounts.reduce(0) { $0 + $1.notional }
        commands.append(JSONObject([("type", .string("insurance_deposit")), ("asset", .string(Self.settleAsset)),
                                    ("amount", .string(BacktestScenario.exact(0.005 * totalNotional).description))]))
        commands.append(mark(start))
        for account in accounts {
            commands.append(JSONObject([("type", .string("deposit")), ("account", .string(account.id)), ("asset", .string(Self.settleAsset)),
                                        ("amount", .string(BacktestScenario.exact(account.collateral).description))]))
            let size = BacktestScenario.exact(account.notional / start.doubleValue)
            commands.append(fill(account: account.id, size: account.isLong ? size : size.negated, price: start))
        }
        return commands
    }

    func mark(_ price: Fixed) -> JSONObject {
        JSONObject([("type", .string("mark")), ("market", .string(market)), ("price", .string(price.description))])
    }

    func fill(account: String, size: Fixed, price: Fixed) -> JSONObject {
        JSONObject([("type", .string("fill")), ("account", .string(account)), ("market", .string(market)),
                    ("size", .string(size.description)), ("price", .string(price.description))])
    }

    func deposit(account: String, amount: Fixed) -> JSONObject {
        JSONObject([("type", .string("deposit")), ("account", .string(account)), ("asset", .string(Self.settleAsset)),
                    ("amount", .string(amount.description))])
    }

    /// Server time the replay takes, ms.
    var replayMs: Int64 {
        guard let first = path.timesMs.first, let last = path.timesMs.last else { return 0 }
        return Int64((Double(last - first) / speed).rounded())
    }
}
