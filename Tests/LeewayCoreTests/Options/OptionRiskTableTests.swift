@testable import LeewayCore
import Testing

/// Risk arrays (`OptionRiskTable`): each option's per-unit change over the grid, stored when it is
/// valued and summed per book, must give exactly the requirements of revaluing every leg itself.
@Suite("Risk arrays of options")
struct OptionRiskTableTests {
    /// Every account's risk, with the engine's risk arrays and without any, after each line.
    @Test("requirements from risk arrays equal revaluing every leg, bit for bit, along random option venues", arguments: Array(UInt64(1)...6))
    func sameBitsAsRevaluing(seed: UInt64) throws {
        var harness = Harness()
        var portfolioChecks = 0, legsFromArrays = 0
        for line in OptionTriggerBandTests.script(seed: seed, toxic: seed % 2 == 0).split(separator: "\n") {
            harness.run(String(line))
            var engine = harness.engine
            engine.refreshOptionRisk()
            for index in engine.state.accounts.indices {
                let account = engine.state.accounts[index]
                let withArrays = try engine.computeRisk(ofAccount: index)
                let revalued = try Engine.computeRisk(of: account, markets: engine.state.markets, assets: engine.state.assets)
                #expect(withArrays.risk == revalued.risk, "seed \(seed), \(account.id) after \(line)")
                guard account.marginModel == .portfolio, !account.positions.isEmpty else { continue }
                portfolioChecks += 1
                try withUnsafePointer(to: account) { pointer in
                    let book = try Engine.portfolioBook(of: pointer, underlying: 0, markets: engine.state.markets, risk: engine.index.optionRisk)
                    legsFromArrays += book?.legs.count { $0.changes != nil } ?? 0
                }
            }
        }
        #expect(portfolioChecks > 100, "the venue has portfolio books to check")
        #expect(legsFromArrays > 100, "their option legs were summed from risk arrays")
    }

    @Test("marks that evaluate nobody leave at most one stale entry per option, and an evaluation refreshes them all")
    func quietMarksDoNotPileUp() {
        var harness = Harness()
        harness.run(OptionTriggerBandTests.setup(toxic: false))
        harness.run(#"{"type":"deposit","account":"a","asset":"USDC","amount":"100000"}"#)
        for tick in 1...200 {
            harness.run(#"{"type":"mark","market":"BTC-PERP","price":"\#(tick % 2 == 0 ? "10000" : "10000.5")","ts":\#(OptionTriggerBandTests.start + Int64(tick) * 1_000)}"#)
        }
        #expect(harness.engine.index.staleOptionRisk.count <= OptionTriggerBandTests.optionIDs.count)
        harness.run(#"{"type":"margin_model","account":"a","model":"portfolio"}"#)
        harness.run(#"{"type":"fill","account":"a","market":"BTC-P-9000-L","size":"-1","price":"200"}"#)
        #expect(harness.engine.index.staleOptionRisk.isEmpty, "the fill's evaluation refreshed them")
    }

    @Test("an entry is used only for the inputs it was computed at")
    func staleEntryIsNotUsed() {
        var table = OptionRiskTable()
        let option = PortfolioMargin.OptionLeg(kind: .put, strike: 9_000, volatility: 0.6, years: 0.1)
        table.store(market: 3, forward: 10_000, option: option, params: .standard)
        #expect(table.changes(market: 3, forward: 10_000, option: option, params: .standard)?.count == 23)
        var later = option
        later.years = 0.09
        var wider = PortfolioParams.standard
        wider.scanRange = Fixed(raw: 20_000_000)
        #expect(table.changes(market: 3, forward: 10_001, option: option, params: .standard) == nil)
        #expect(table.changes(market: 3, forward: 10_000, option: later, params: .standard) == nil)
        #expect(table.changes(market: 3, forward: 10_000, option: option, params: wider) == nil)
        #expect(table.changes(market: 4, forward: 10_000, option: option, params: .standard) == nil)
        let scenarios = PortfolioMargin.scenarios(.standard)
        #expect(table.changes(market: 3, forward: 10_000, option: option, params: .standard)
                == scenarios.map { PortfolioMargin.scenarioChange(option, forward: 10_000, scenario: $0) })
    }
}
