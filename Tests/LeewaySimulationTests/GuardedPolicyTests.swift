import Foundation
import LeewayCore
import LeewaySimulation
import LeewayWire
import Testing

/// The `guarded` preset, the part-2 overrides, the metrics issue 12 added, and the trader
/// behaviours (auto top-up reserves, stop-losses) in the simulator.
@Suite("Simulator: guarded policy, part-2 metrics and behaviours")
struct GuardedPolicyTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("the guarded preset is the policy JSON documented for the live engine")
    func presetMatchesDocumentedJSON() throws {
        let text = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("docs/policies/guarded.json"), encoding: .utf8)
        guard case .command(let envelope) = CommandDecoder.decodeLine(Substring(text.trimmingCharacters(in: .newlines)), lineNumber: 1),
              case .policy(let documented, nil, nil) = envelope.command else {
            Issue.record("docs/policies/guarded.json is not a policy command")
            return
        }
        let preset = try PolicySpec.parse("guarded")
        #expect(preset.policy == documented)
        #expect(preset.policy.callLevel > .one)
        #expect(preset.policy.liquidationStepFraction != nil)
        #expect(preset.policy.toxicClose)
    }

    struct Override: Sendable, CustomTestStringConvertible {
        var text: String
        var check: @Sendable (PolicySpec) -> Bool
        var testDescription: String { text }
    }

    static let overrides: [Override] = [
        Override(text: "guarded:toxic_close=false") { !$0.policy.toxicClose },
        Override(text: "guarded:dynamic_margin=none") { $0.policy.dynamicMargin == nil },
        Override(text: "guarded:reference_volatility=0.05") { $0.policy.dynamicMargin?.referenceVolatility == d("0.05") },
        Override(text: "soft:max_multiplier=3") { $0.policy.dynamicMargin == .init(referenceVolatility: d("0.04"), maxMultiplier: d("3")) },
        Override(text: "guarded:expected_slippage=0.002") { $0.expectedSlippage == d("0.002") },
        Override(text: "soft:call_level=1.3,liquidation_step_fraction=0.4,liquidation_cooldown_ms=2000") {
            $0.policy.callLevel == d("1.3") && $0.policy.liquidationStepFraction == d("0.4") && $0.policy.liquidationCooldownMs == 2_000
        },
    ]

    @Test("part-2 overrides reach the policy", arguments: overrides)
    func overridesApply(_ override: Override) throws {
        #expect(override.check(try PolicySpec.parse(override.text)))
    }

    @Test("bad part-2 overrides are refused with the engine's message", arguments: [
        "guarded:toxic_close=maybe", "guarded:call_level=0.5", "soft:liquidation_cooldown_ms=100",
        "guarded:expected_slippage=1", "hard:call_level=2", "guarded:reference_volatility=0",
    ])
    func badOverrides(_ text: String) {
        #expect(throws: SimulationError.self) { try PolicySpec.parse(text) }
    }

    /// A fall from 100 to 85 over 15 minutes, one point a minute: steps and deadlines come due
    /// between points.
    static let slide: PricePath = {
        let minutes = 15
        return PricePath(timesMs: (0...minutes).map { Int64($0) * 60_000 },
                         prices: (0...minutes).map { 100 - Double($0) },
                         minuteVolumes: Array(repeating: 1e6, count: minutes + 1))
    }()

    @Test("a step the clock fires executes at the price of its moment, not the last point's")
    func timersExecuteAtTheirMomentsPrice() throws {
        let scenario = SimulationFixtures.scenario(path: Self.slide, accounts: 300, feedback: false)
        let result = BacktestRun.run(scenario, policy: SimulationFixtures.policy("soft:grace_ms=20000,cooldown_ms=7000"), recordSeries: true)
        let fills = try #require(result.series?.liquidations)
        let between = fills.filter { $0.timeMs % 60_000 != 0 }
        #expect(!between.isEmpty)
        for fill in between {
            // The path interpolated to the fill's moment: 100 − t/60 s, one unit per minute.
            let expected = 100 - Double(fill.timeMs) / 60_000
            #expect(abs(fill.price - expected) < 0.02, "fill at \(fill.timeMs) ms priced \(fill.price), expected about \(expected)")
        }
    }

    @Test("hard never partially liquidates; guarded's partial and full liquidations split the forced closes at 95 %")
    func partialAndFullLiquidation() throws {
        let path = try SimulationFixtures.path("ethusdt-1m-2024-08-05.json.gz")
        let scenario = SimulationFixtures.scenario(path: path, accounts: 600, feedback: false)
        let hard = BacktestRun.run(scenario, policy: SimulationFixtures.policy("hard")).metrics
        let guarded = BacktestRun.run(scenario, policy: SimulationFixtures.policy("guarded")).metrics
        #expect(hard.accountsPartiallyLiquidated == 0)
        #expect(hard.accountsLiquidated > 0)
        #expect(guarded.accountsPartiallyLiquidated > 0)
        #expect(guarded.accountsLiquidated + guarded.accountsPartiallyLiquidated <= guarded.accountsOpened)
        for metrics in [hard, guarded] {
            #expect(metrics.deficitTotal >= metrics.badDebt)
            #expect(metrics.liquidationCosts >= metrics.liquidationFees.doubleValue)
            #expect(metrics.liquidationSlippage > 0)  // every forced close pays for its own impact
            #expect(metrics.ledgerConserved)
        }
        // Without feedback, the zone saves accounts and costs the fund nothing more.
        #expect(guarded.accountsLiquidated < hard.accountsLiquidated)
        #expect(guarded.deficitTotal <= hard.deficitTotal)
    }

    @Test("reserves are drawn by auto top-up under a policy with calls, never under hard; stop-losses close positions")
    func behaviours() throws {
        let path = try SimulationFixtures.path("btcusdt-1m-2024-08-05.json.gz")
        let scenario = SimulationFixtures.scenario(path: path, accounts: 400, feedback: false) {
            $0.reserveShare = 0.5
            $0.stopLossShare = 0.3
        }
        let hard = BacktestRun.run(scenario, policy: SimulationFixtures.policy("hard")).metrics
        let guarded = BacktestRun.run(scenario, policy: SimulationFixtures.policy("guarded")).metrics
        #expect(hard.autoTopups == 0)
        #expect(guarded.autoTopups > 0)
        #expect(hard.stopLossesTriggered > 0)
        #expect(guarded.ledgerConserved && hard.ledgerConserved)
        // The same population without the behaviours draws the same traders otherwise.
        let plain = SimulationFixtures.scenario(path: path, accounts: 400, feedback: false)
        #expect(plain.accounts.map(\.notional) == scenario.accounts.map(\.notional))
        #expect(plain.accounts.allSatisfy { $0.reserve == 0 && $0.stopMultiple == nil })
    }

    @Test("stress reports VaR and expected shortfall of deficit_total, which does not saturate at the fund")
    func deficitTail() {
        var paths: [RunMetrics] = []
        for deficit in [0, 0, 10, 20, 1_000] {
            var metrics = RunMetrics()
            metrics.deficitTotal = Fixed(raw: Int64(deficit) * Fixed.scale)
            metrics.insuranceFundPnL = Fixed(raw: -Int64(Swift.min(deficit, 15)) * Fixed.scale)  // a fund of 15
            paths.append(metrics)
        }
        let summary = PolicyStressSummary(name: "p", perPath: paths, badDebtThreshold: 0)
        #expect(summary.insuranceVaR99 <= 15)
        #expect(summary.deficitES99 == 1_000)
        #expect(summary.deficitVaR95 > 20)
    }
}

/// Shorthand for exact decimals in these tests (the literals are known-good).
private func d(_ text: String) -> Fixed {
    (try? Fixed(parsing: text)) ?? Fixed(raw: Int64.min + 1)
}
