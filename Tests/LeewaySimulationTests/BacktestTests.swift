import LeewayCore
import LeewaySimulation
import Testing

@Suite("Backtests drive the real engine")
struct BacktestTests {
    static let policies = ["hard", "soft", "soft-adaptive"]

    @Test("over a whole crash day every asset's ledger sums to zero and the run is reproducible", arguments: policies)
    func conservationAndDeterminism(policy: String) throws {
        let path = try SimulationFixtures.path("ethusdt-1m-2024-08-05.json.gz", minutes: 600)
        let scenario = SimulationFixtures.scenario(path: path) { $0.coinCollateralShare = 0.2 }
        let first = BacktestRun.run(scenario, policy: SimulationFixtures.policy(policy))
        let second = BacktestRun.run(scenario, policy: SimulationFixtures.policy(policy))
        #expect(first.metrics.ledgerConserved)
        #expect(first.metrics == second.metrics)
        #expect(first.digest == second.digest)
        #expect(first.metrics.accountsOpened == 400)
        #expect(first.metrics.accountsLiquidated > 0)
    }

    @Test("the trigger-band engine and the naive full scan give identical runs")
    func indexedEqualsNaive() throws {
        let path = try SimulationFixtures.path("btcusdt-1m-2024-08-05.json.gz", minutes: 500)
        let scenario = SimulationFixtures.scenario(path: path, accounts: 300) { $0.coinCollateralShare = 0.3 }
        let indexed = BacktestRun.run(scenario, policy: SimulationFixtures.policy("soft"))
        let naive = BacktestRun.run(scenario, policy: SimulationFixtures.policy("soft"), markEvaluation: .everyHolder)
        #expect(indexed.metrics == naive.metrics)
        #expect(indexed.digest == naive.digest)
    }

    /// Not asserted: liquidated *notional* can fall with feedback (the cascade closes positions at
    /// lower prices), and trader loss can too (closing earlier can beat holding while prices fall).
    @Test("cascade feedback never reduces the number of liquidated accounts and only adds drawdown", arguments: [
        "ethusdt-1m-2024-08-05.json.gz", "btcusdt-1m-2024-08-05.json.gz", "avaxusdt-perp-1m-2025-02.json.gz",
    ])
    func feedbackAddsToTheCrash(file: String) throws {
        let path = try SimulationFixtures.path(file, minutes: 1_440 * 3)
        for policy in Self.policies {
            let cascading = BacktestRun.run(SimulationFixtures.scenario(path: path, feedback: true), policy: SimulationFixtures.policy(policy)).metrics
            let flat = BacktestRun.run(SimulationFixtures.scenario(path: path, feedback: false), policy: SimulationFixtures.policy(policy)).metrics
            #expect(cascading.accountsLiquidated >= flat.accountsLiquidated, "\(file) \(policy)")
            #expect(cascading.cascadeExtraDrawdown >= 0)
            #expect(flat.cascadeExtraDrawdown == 0)
            // Slippage is each forced close's own impact against the book, feedback or not.
            #expect(flat.liquidationSlippage > 0, "\(file) \(policy)")
        }
    }

    @Test("traders who answer calls are cured under soft policies and liquidated less")
    func behaviourMatters() {
        // A slow slide, 100 → 90 over four hours: time enough for grace periods to matter.
        let minutes = 480
        let path = PricePath(timesMs: (0...minutes).map { Int64($0) * 60_000 },
                             prices: (0...minutes).map { 100 - 10 * Double(Swift.min($0, 240)) / 240 },
                             minuteVolumes: Array(repeating: 1e6, count: minutes + 1))
        func run(cureProbability: Double) -> RunMetrics {
            BacktestRun.run(SimulationFixtures.scenario(path: path) {
                $0.minLeverage = 5
                $0.maxLeverage = 15
                $0.behaviour.cureProbability = cureProbability
                $0.behaviour.meanReactionMs = 10_000
                $0.behaviour.depositShare = 1
            }, policy: SimulationFixtures.policy("soft")).metrics
        }
        let passive = run(cureProbability: 0), active = run(cureProbability: 1)
        #expect(passive.traderActions == 0)
        #expect(active.traderActions > 0)
        #expect(passive.accountsDeleveraged > 0)
        #expect(active.accountsCured > passive.accountsCured)
        #expect(active.accountsDeleveraged < passive.accountsDeleveraged)
        #expect(active.liquidatedNotional < passive.liquidatedNotional)
    }

    @Test("the hard policy never issues a margin call; soft ones do")
    func hardHasNoGrace() throws {
        let path = try SimulationFixtures.path("ethusdt-1m-2024-08-05.json.gz", minutes: 600)
        let scenario = SimulationFixtures.scenario(path: path)
        #expect(BacktestRun.run(scenario, policy: SimulationFixtures.policy("hard")).metrics.accountsCalled == 0)
        #expect(BacktestRun.run(scenario, policy: SimulationFixtures.policy("soft")).metrics.accountsCalled > 0)
    }

    @Test("with no insurance fund, deficits go to ADL and bad debt stays non-negative")
    func adlWithoutFund() throws {
        let path = try SimulationFixtures.path("lunausdt-1m-2022-05-01_13.json.gz", minutes: 1_440 * 8)
        var scenario = SimulationFixtures.scenario(path: path, accounts: 300)
        scenario.insuranceFund = .zero
        // No liquidation fee either, so the fund stays empty and every deficit goes to ADL.
        let metrics = BacktestRun.run(scenario, policy: SimulationFixtures.policy("hard:liquidation_fee=0")).metrics
        #expect(metrics.accountsBankrupt > 0)
        #expect(metrics.adlNotional.isPositive)
        #expect(!metrics.badDebt.isNegative)
        #expect(metrics.insuranceFundMinimum >= .zero)
        #expect(metrics.ledgerConserved)
    }
}
