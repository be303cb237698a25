import LeewayCore

/// The realistic command mixes `leeway bench` times through `apply`, generated ahead of the
/// timing from a seed (so the same arguments replay the same stream).
enum BenchWorkload {
    /// A venue's mixed stream over an existing population: per 1,000 commands about 450 fills
    /// (±0.5 % of a position, at the mark, so some add risk and some reduce it), 200 deposits,
    /// 350 marks (a random walk of ±0.005 % per mark in a random market), and one funding payment
    /// per `fundingEvery` commands, rotating over the markets. Timestamps advance 1 ms per command.
    static func mixed(population: BenchPopulation, count: Int, fundingEvery: Int, startMs: Int64, seed: UInt64) -> [CommandEnvelope] {
        var generator = SplitMix64(seed: seed ^ 0x6D69_7865_6421)
        var marks = (0..<population.marketCount).map { population.initialMark(market: $0).raw }
        var commands: [CommandEnvelope] = []
        commands.reserveCapacity(count)
        var fundingMarket = 0
        for index in 0..<count {
            let ts = startMs + Int64(index) + 1
            if index % fundingEvery == fundingEvery - 1 {
                commands.append(CommandEnvelope(command: .funding(market: population.marketID(fundingMarket), rate: Fixed(raw: 1_000)), timestampMs: ts))
                fundingMarket = (fundingMarket + 1) % population.marketCount
                continue
            }
            let roll = generator.next() % 1_000
            let account = Int(generator.next() % UInt64(population.accountCount))
            if roll < 450 {
                let markets = population.markets(ofAccount: account)
                let market = markets[Int(generator.next() % UInt64(markets.count))]
                // About 0.5 % of a typical position (10× on 1,000 USDC over K markets), either side.
                let typical = 10_000.0 / Double(population.positionsPerAccount) / (Double(marks[market]) / Double(Fixed.scale))
                let units = Swift.max(Int64(typical * 0.005 * 10_000), 1) * 10_000
                let size = Fixed(raw: generator.next() & 1 == 0 ? units : -units)
                commands.append(CommandEnvelope(command: .fill(account: "acct-\(account)", market: population.marketID(market),
                                                               size: size, price: Fixed(raw: marks[market]), fee: .zero), timestampMs: ts))
            } else if roll < 650 {
                commands.append(CommandEnvelope(command: .deposit(account: "acct-\(account)", asset: "USDC", amount: Fixed(raw: 10 * Fixed.scale)), timestampMs: ts))
            } else {
                let market = Int(generator.next() % UInt64(population.marketCount))
                let step = Swift.max(marks[market] / 20_000, 1)  // ±0.005 %: a quiet day's ticks
                marks[market] += generator.next() & 1 == 0 ? step : -step
                commands.append(CommandEnvelope(command: .mark(market: population.marketID(market), price: Fixed(raw: marks[market])), timestampMs: ts))
            }
        }
        return commands
    }

    /// The cliff case of issue 10: 1,000 accounts, each with a position in all 10 markets, then
    /// 5,000 random fills (16,000 commands with the deposits). Before the fix every re-index past
    /// 4 × accounts + 4,096 heap entries rebuilt the whole trigger index.
    static func manyPositions(seed: UInt64) -> [CommandEnvelope] {
        let population = BenchPopulation(accountCount: 1_000, marketCount: 10, seed: seed, positionsPerAccount: 10, insuranceFund: .zero)
        var generator = SplitMix64(seed: seed)
        var commands = (try? population.setupCommands()) ?? []
        for index in 0..<population.accountCount { commands += population.accountCommands(index: index, generator: &generator) }
        var random = SplitMix64(seed: seed &+ 1)
        for _ in 0..<5_000 {
            let account = Int(random.next() % 1_000)
            let market = Int(random.next() % 10)
            let mark = population.initialMark(market: market)
            let size = Fixed(raw: (random.next() & 1 == 0 ? 1 : -1) * 10_000)
            commands.append(CommandEnvelope(command: .fill(account: "acct-\(account)", market: population.marketID(market), size: size, price: mark, fee: .zero)))
        }
        return commands
    }
}
