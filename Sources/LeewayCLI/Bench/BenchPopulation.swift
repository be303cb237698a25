import Foundation
import LeewayCore

/// The benchmark's synthetic venue: `marketCount` linear perpetuals settled in USDC and
/// `accountCount` accounts, each with `positionsPerAccount` positions in as many different markets,
/// whose total leverage is log-uniform in [minLeverage, maxLeverage], each long or short with
/// equal odds, opened at the mark.
///
/// Everything is derived from `seed` with SplitMix64, so the same arguments build the same venue
/// (and the same state digest) on any machine.
struct BenchPopulation {
    var accountCount: Int
    var marketCount: Int
    var seed: UInt64
    /// Positions per account, each in a different market (1 … marketCount).
    var positionsPerAccount = 1
    var minLeverage = 2.0
    var maxLeverage = 25.0
    /// The insurance fund's opening balance (USDC); with too little, bankruptcies go to ADL.
    var insuranceFund: Fixed

    /// The engine clock at which the population is built (ms, 2023-11-14T22:13:20Z).
    static let startMs: Int64 = 1_700_000_000_000

    /// Market `index`'s starting mark: 100 × (index + 1) USDC, so markets differ in scale.
    func initialMark(market index: Int) -> Fixed { Fixed(raw: Int64(index + 1) * 100 * Fixed.scale) }

    func marketID(_ index: Int) -> String { "M\(index)-PERP" }

    /// The setup commands: USDC, the markets (three Binance-style tiers), the default soft policy,
    /// the insurance fund, marks.
    func setupCommands() throws -> [CommandEnvelope] {
        let tiers = [
            MarginTier(floor: .zero, imr: try Fixed(parsing: "0.02"), mmr: try Fixed(parsing: "0.01")),
            MarginTier(floor: try Fixed(parsing: "250000"), imr: try Fixed(parsing: "0.04"), mmr: try Fixed(parsing: "0.02")),
            MarginTier(floor: try Fixed(parsing: "1000000"), imr: try Fixed(parsing: "0.1"), mmr: try Fixed(parsing: "0.05")),
        ]
        var commands: [CommandEnvelope] = [
            CommandEnvelope(command: .asset(id: "USDC", price: .one, weight: .one), timestampMs: Self.startMs),
        ]
        for market in 0..<marketCount {
            commands.append(CommandEnvelope(command: .market(id: marketID(market), settleAsset: "USDC", tiers: tiers,
                                                             liquidationFee: try Fixed(parsing: "0.005"))))
        }
        commands.append(CommandEnvelope(command: .policy(.standard, market: nil, volatilityHalfLifeMs: nil)))
        if insuranceFund.isPositive {
            commands.append(CommandEnvelope(command: .insuranceDeposit(amount: insuranceFund, asset: "USDC")))
        }
        for market in 0..<marketCount {
            commands.append(CommandEnvelope(command: .mark(market: marketID(market), price: initialMark(market: market))))
        }
        return commands
    }

    /// The markets of account `index`'s positions: `index mod M`, then every `stride`-th market
    /// after it, all distinct (stride = M / K, at least 1).
    func markets(ofAccount index: Int) -> [Int] {
        let stride = Swift.max(marketCount / positionsPerAccount, 1)
        return (0..<positionsPerAccount).map { (index + $0 * stride) % marketCount }
    }

    /// The commands that open account `index`: a USDC deposit log-uniform in [100, 10,000] (so no
    /// position reaches the 10× tier), then per market a fill of size
    /// collateral × leverage / (K × mark), rounded down to 10⁻⁴, long or short at random.
    func accountCommands(index: Int, generator: inout SplitMix64) -> [CommandEnvelope] {
        let id = "acct-\(index)"
        let collateral = 100.0 * pow(100.0, generator.nextUnit())
        let leverage = minLeverage * pow(maxLeverage / minLeverage, generator.nextUnit())
        let deposit = Fixed(raw: Int64(collateral * 100) * 1_000_000)  // cents
        var commands = [CommandEnvelope(command: .deposit(account: id, asset: "USDC", amount: deposit))]
        for market in markets(ofAccount: index) {
            let isLong = generator.next() & 1 == 0
            let mark = initialMark(market: market)
            let sizeUnits = Int64(collateral * leverage / Double(positionsPerAccount) / mark.doubleValue * 10_000)  // in 10⁻⁴
            let size = Fixed(raw: (isLong ? 1 : -1) * Swift.max(sizeUnits, 1) * 10_000)
            commands.append(CommandEnvelope(command: .fill(account: id, market: marketID(market), size: size, price: mark, fee: .zero)))
        }
        return commands
    }
}
