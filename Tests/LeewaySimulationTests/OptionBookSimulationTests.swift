import LeewayCore
import Testing

@testable import LeewaySimulation

/// Option books in backtests and stress: the venue's series, the spot-vol rule and vol of vol,
/// books of each strategy opened leg by leg, and runs that stay exact and deterministic.
@Suite("simulation: option books")
struct OptionBookSimulationTests {
    /// 100 → 70 over the first hour, then flat for another hour (minutes).
    static let crash: PricePath = {
        let minutes = 120
        return PricePath(timesMs: (0...minutes).map { 1_700_000_000_000 + Int64($0) * 60_000 },
                         prices: (0...minutes).map { 100 - 30 * Double(Swift.min($0, 60)) / 60 },
                         minuteVolumes: Array(repeating: 1e6, count: minutes + 1))
    }()

    static func scenario(accounts: Int = 24, strategies: [OptionStrategy] = OptionStrategy.allCases, options: OptionMarketSpec = OptionMarketSpec(),
                         path: PricePath = crash, configure: (inout PopulationSpec) -> Void = { _ in }) -> BacktestScenario {
        var scenario = SimulationFixtures.scenario(path: path, accounts: accounts) {
            $0.optionShare = 1
            $0.optionStrategies = strategies
            $0.minNotional = 5_000
            configure(&$0)
        }
        scenario.options = options
        return scenario
    }

    @Test("the spot-vol rule: σ = σ₀·(S/S₀)^(−β), held to the limits; no vol of vol, no randomness",
          arguments: [(1.0, 0.6), (0.0, 0.6), (2.0, 0.9), (1.0, 3.0)])
    func spotVolRule(beta: Double, base: Double) {
        var spec = OptionMarketSpec()
        spec.spotVolElasticity = beta
        spec.baseVolatility = base
        let volatilities = spec.volatilities(path: Self.crash)
        #expect(volatilities.count == Self.crash.count)
        for (price, volatility) in zip(Self.crash.prices, volatilities) {
            let rule = Swift.min(Swift.max(base * SimulationMath.pow(price / 100, -beta), OptionMarketSpec.minimumVolatility), OptionMarketSpec.maximumVolatility)
            #expect(abs(volatility - rule) <= 1e-12 * rule)
        }
        // A fall lifts the vol (β > 0); β = 0 keeps it flat.
        #expect(beta == 0 ? volatilities.last == volatilities.first : volatilities.last! > volatilities.first!)
        #expect(spec.volatilities(path: Self.crash) == volatilities)
    }

    @Test("vol of vol: the same seed gives the same vols, another seed others, and the shock has mean 1 over seeds")
    func volOfVol() {
        var spec = OptionMarketSpec()
        spec.spotVolElasticity = 0
        spec.volOfVol = 2
        spec.volSeed = 7
        let first = spec.volatilities(path: Self.crash)
        #expect(spec.volatilities(path: Self.crash) == first)
        spec.volSeed = 8
        #expect(spec.volatilities(path: Self.crash) != first)
        // E[exp(ηW − η²t/2)] = 1: the last point's mean over 2,000 seeds is within 5 % of σ₀.
        let lasts = (0..<2_000).map { seed -> Double in
            spec.volSeed = UInt64(seed)
            return spec.volatilities(path: Self.crash).last!
        }
        let mean = lasts.reduce(0, +) / Double(lasts.count)
        #expect(abs(mean / spec.baseVolatility - 1) < 0.05, "mean \(mean)")
        #expect(lasts.contains { abs($0 / spec.baseVolatility - 1) > 0.05 }, "the shock moves single paths")
    }

    @Test("a population with books keeps every other account's draws; books replace the perpetual and its stop")
    func populationDraws() {
        var plain = PopulationSpec(accounts: 200)
        plain.stopLossShare = 0.5
        var mixed = plain
        mixed.optionShare = 0.4
        mixed.optionStrategies = [.shortPut, .longStraddle]
        let before = plain.draw(seed: 3, pathLength: 100) { _ in 50 }
        let after = mixed.draw(seed: 3, pathLength: 100) { _ in 50 }
        let books = after.filter { $0.book != nil }
        #expect(books.count > 50 && books.count < 110, "\(books.count) of 200 at a share of 0.4")
        #expect(Set(books.compactMap { $0.book?.strategy }) == [.shortPut, .longStraddle])
        #expect(books.allSatisfy { $0.stopMultiple == nil && $0.reserve == 0 && (1.1...3.0).contains($0.book!.cushion) })
        for (plainAccount, mixedAccount) in zip(before, after) where mixedAccount.book == nil {
            #expect(plainAccount == mixedAccount)
        }
        for (plainAccount, mixedAccount) in zip(before, after) where mixedAccount.book != nil {
            #expect(plainAccount.notional == mixedAccount.notional)
        }
    }

    @Test("each strategy opens its legs, sized to the notional, and keeps cushion × its initial margin", arguments: OptionStrategy.allCases)
    func booksOpen(strategy: OptionStrategy) throws {
        let scenario = Self.scenario(accounts: 6, strategies: [strategy], path: PricePath(
            timesMs: Array(Self.crash.timesMs.prefix(2)), prices: [100, 100], minuteVolumes: [1e6, 1e6]))
        var run = BacktestRun(scenario: scenario, policy: SimulationFixtures.policy("soft"))
        run.execute()
        #expect(run.metrics.accountsOpened == 6)
        #expect(run.metrics.ledgerConserved)
        for account in scenario.accounts {
            let report = try #require(run.engine.marginReport(account: account.id))
            let contracts = BacktestScenario.exact(account.notional / 100)
            let expected = strategy.legs.map { leg in (leg.series?.rawValue ?? BacktestRun.marketID, leg.sign > 0 ? contracts : contracts.negated) }
            #expect(report.positions.map(\.market).sorted() == expected.map(\.0).sorted())
            for (market, size) in expected { #expect(report.positions.first { $0.market == market }?.size == size) }
            // Down to cushion × the initial margin (a little above: the withdrawal keeps 10⁻⁶ of it).
            let ratio = report.equity.doubleValue / report.initialMargin.doubleValue
            #expect(abs(ratio / account.book!.cushion - 1) < 1e-3, "\(strategy): equity / IM \(ratio), cushion \(account.book!.cushion)")
        }
    }

    @Test("in a 30 % crash short option books are warned, and called under soft policies; long straddles stay healthy; exact and deterministic")
    func crashOnBooks() throws {
        let scenario = Self.scenario(accounts: 24)
        for policy in ["hard", "soft", "guarded"] {
            var run = BacktestRun(scenario: scenario, policy: SimulationFixtures.policy(policy))
            run.execute()
            let metrics = run.metrics
            #expect(metrics.accountsOpened == 24, "\(policy)")
            #expect(metrics.ledgerConserved, "\(policy)")
            #expect(metrics.accountsWarned > 0, "\(policy): a 30 % fall warns short option books")
            if policy != "hard" { #expect(metrics.accountsCalled > 0, "\(policy)") } else { #expect(metrics.accountsCalled == 0) }
            // The vol followed the rule: every series holds σ₀ · 0.7^(−1) at the end (within the 1 % update step).
            let final = run.sentVolatility
            #expect(abs(final / (0.6 / 0.7) - 1) <= 0.011, "\(policy): σ \(final)")
            for account in scenario.accounts where account.book?.strategy == .longStraddle {
                let report = try #require(run.engine.marginReport(account: account.id))
                #expect(report.phase == .healthy, "\(policy): a long straddle gains in a crash")
            }
            let again = BacktestRun.run(scenario, policy: SimulationFixtures.policy(policy))
            #expect(again.digest == run.engine.digest.description && again.metrics == metrics, "\(policy): the same run twice")
        }
    }

    @Test("series that expire inside the path are settled, and the books hold no option after")
    func expiryInsideThePath() throws {
        var options = OptionMarketSpec()
        options.expiryAfterMs = 30 * 60_000
        let scenario = Self.scenario(accounts: 8, options: options)
        var run = BacktestRun(scenario: scenario, policy: SimulationFixtures.policy("soft"))
        run.execute()
        #expect(run.metrics.ledgerConserved)
        for account in scenario.accounts {
            let report = try #require(run.engine.marginReport(account: account.id))
            #expect(report.positions.allSatisfy { $0.market == BacktestRun.marketID }, "\(report.positions.map(\.market))")
        }
    }

    @Test("stress with option books and vol of vol gives the same summaries on 1 and 3 threads, and vol of vol changes them")
    func stressWithBooks() async {
        var population = PopulationSpec(accounts: 16)
        population.optionShare = 0.5
        population.minNotional = 5_000
        let tiers = BacktestScenario.defaultTiers
        var configuration = StressConfiguration(
            model: .jumpDiffusion(annualDrift: 0, annualVolatility: 1.2, jumpsPerDay: 6, jumpMean: -0.08, jumpVolatility: 0.04),
            paths: 4, steps: 90, startPrice: 100, minuteVolume: 1e4, seed: 11,
            population: population.draw(seed: 11, pathLength: 91) { BacktestScenario.maximumLeverage(tiers: tiers, notional: $0) },
            tiers: tiers, depth: DepthModel(), insuranceFund: nil, policies: [SimulationFixtures.policy("soft")], badDebtThreshold: 1)
        var options = OptionMarketSpec()
        options.volOfVol = 3
        configuration.options = options
        let one = await StressRunner.runPaths(configuration, paths: 0..<4, threads: 1)
        let three = await StressRunner.runPaths(configuration, paths: 0..<4, threads: 3)
        #expect(one == three)
        #expect(one.allSatisfy { $0[0].ledgerConserved && $0[0].accountsOpened == 16 })
        #expect(configuration.options(forPath: 0)?.volSeed != configuration.options(forPath: 1)?.volSeed)
        configuration.options?.volOfVol = 0
        let calm = await StressRunner.runPaths(configuration, paths: 0..<4, threads: 1)
        configuration.options?.volOfVol = 3
        #expect(calm != one, "vol of vol moved the books' margins")
    }
}
