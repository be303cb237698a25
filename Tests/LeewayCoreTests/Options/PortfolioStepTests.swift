@testable import LeewayCore
import Testing

/// Soft liquidation of portfolios: a step picks, among partial leg closes and a perpetual delta
/// hedge, the largest margin relief per unit of liquidation cost, never one that raises the
/// worst-scenario loss; the fill names the leg.
@Suite("Portfolio deleveraging steps")
struct PortfolioStepTests {
    static let start: Int64 = 1_700_000_000_000
    static let expiry = start + 30 * 86_400_000

    static func candidate(_ relief: String, _ cost: String, worstBefore: String = "100", worstAfter: String = "90") -> PortfolioStepCandidate {
        PortfolioStepCandidate(action: .close, market: "M", size: .one, price: .one, relief: d(relief), cost: d(cost),
                               worstLossBefore: d(worstBefore), worstLossAfter: d(worstAfter), cures: false, marketIndex: 0)
    }

    @Test("the rule: largest relief per unit of cost among eligible candidates, ties to the first", arguments: [
        ([candidate("10", "2"), candidate("30", "3")], 1 as Int?),                                   // 5 < 10 per unit
        ([candidate("30", "3"), candidate("10", "1")], 0),                                           // a tie: the first
        ([candidate("100", "1", worstAfter: "101"), candidate("10", "5")], 1),                       // would raise the worst loss
        ([candidate("0", "1"), candidate("-5", "1"), candidate("1", "100")], 2),                     // no relief is not a step
        ([candidate("1", "0"), candidate("1000", "1")], 0),                                          // free beats any cost
        ([candidate("1", "0"), candidate("2", "0")], 1),                                             // among free ones, more relief
        ([candidate("5", "1", worstAfter: "100.00000001"), candidate("0", "0")], nil),               // nothing eligible
    ] as [([PortfolioStepCandidate], Int?)])
    func choiceRule(candidates: [PortfolioStepCandidate], expected: Int?) {
        #expect(PortfolioStepCandidate.best(candidates) == expected)
    }

    /// USDC; BTC-PERP (liquidation fee `perpFee`) at 10,000 with a 30-day 10,000 put and an 11,000
    /// call at 60 %, whose fee is `optionFee` (an option takes its underlying's fee when defined);
    /// bob (5,000 USDC) on the portfolio model.
    static func venue(optionFee: String = "0.005", perpFee: String = "0.005") -> Harness {
        var harness = Harness.standard()
        harness.run("""
        {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"\(optionFee)"}
        {"type":"deposit","account":"bob","asset":"USDC","amount":"5000","ts":\(start)}
        {"type":"deposit","account":"alice","asset":"USDC","amount":"100000"}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"option","option":"BTC-P-10000","market":"BTC-PERP","kind":"put","strike":"10000","expiry":\(expiry)}
        {"type":"option","option":"BTC-C-11000","market":"BTC-PERP","kind":"call","strike":"11000","expiry":\(expiry)}
        {"type":"option_vol","option":"BTC-P-10000","vol":"0.6"}
        {"type":"option_vol","option":"BTC-C-11000","vol":"0.6"}
        {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"\(perpFee)"}
        {"type":"margin_model","account":"bob","model":"portfolio"}
        """)
        return harness
    }

    /// The step after the grace period, with the candidates as they stood just before it.
    static func step(_ harness: inout Harness, afterCallAt callMs: Int64) throws -> (candidates: [PortfolioStepCandidate], fill: (String, Fixed, LiquidationReason)) {
        let candidates = try #require(harness.engine.portfolioStepCandidates(account: "bob"))
        let events = harness.run(#"{"type":"time","ts":\#(callMs + 600_001)}"#)
        #expect(events.types.contains("deleveraging_started"))
        let fill = try #require(events.compactMap { event -> (String, Fixed, LiquidationReason)? in
            guard case let .liquidationFill(account, market, size, _, _, reason) = event.kind, account == "bob" else { return nil }
            return (market, size, reason)
        }.first)
        return (candidates, fill)
    }

    @Test("a naked short put in a crash: the step is the best candidate, a partial close of the put")
    func closesTheBestLeg() throws {
        var harness = Self.venue()
        harness.run(#"{"type":"fill","account":"bob","market":"BTC-P-10000","size":"-2","price":"690"}"#)
        let crash = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"8000","ts":\#(Self.start + 1000)}"#)
        #expect(crash.types.contains("margin_call"))
        let (candidates, fill) = try Self.step(&harness, afterCallAt: Self.start + 1000)
        let best = try #require(PortfolioStepCandidate.best(candidates).map { candidates[$0] })
        #expect(candidates.contains { $0.action == .hedge })
        #expect(best.action == .close && best.market == "BTC-P-10000")
        #expect(fill.0 == "BTC-P-10000" && fill.2 == .step)
        #expect(fill.1.isPositive && fill.1 <= best.size)  // buys back part of the short put
    }

    @Test("when closing the put costs more per unit of relief, the step opens a perpetual delta hedge")
    func hedgesWhenCheaper() throws {
        // Options pay a 20 % liquidation fee on their value, the perpetual 0.1 % on its notional.
        var harness = Self.venue(optionFee: "0.2", perpFee: "0.001")
        harness.run(#"{"type":"fill","account":"bob","market":"BTC-P-10000","size":"-2","price":"690"}"#)
        let crash = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"8000","ts":\#(Self.start + 1000)}"#)
        #expect(crash.types.contains("margin_call"))
        let (candidates, fill) = try Self.step(&harness, afterCallAt: Self.start + 1000)
        let best = try #require(PortfolioStepCandidate.best(candidates).map { candidates[$0] })
        #expect(best.action == .hedge && best.market == "BTC-PERP" && best.size.isNegative)  // a short put is long delta: sell
        #expect(fill.0 == "BTC-PERP" && fill.2 == .hedge && fill.1.isNegative && fill.1 >= best.size)
        #expect(harness.report("bob")?.positions.contains { $0.market == "BTC-PERP" && $0.size == fill.1 } == true)
        #expect(harness.engine.ledgerSum(asset: 0) == 0)
    }

    @Test("a covered write in a crash never closes its short call (that raises the worst loss): it closes the perpetual")
    func neverRaisesWorstLoss() throws {
        var harness = Self.venue()
        harness.run("""
        {"type":"deposit","account":"bob","asset":"USDC","amount":"1000"}
        {"type":"fill","account":"bob","market":"BTC-PERP","size":"3","price":"10000"}
        {"type":"fill","account":"bob","market":"BTC-C-11000","size":"-3","price":"330"}
        """)
        let crash = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9000","ts":\#(Self.start + 1000)}"#)
        #expect(crash.types.contains("margin_call"))
        let (candidates, fill) = try Self.step(&harness, afterCallAt: Self.start + 1000)
        let call = try #require(candidates.first { $0.market == "BTC-C-11000" })
        #expect(call.worstLossAfter > call.worstLossBefore && !call.isEligible)
        #expect(!candidates.contains { $0.action == .hedge })  // the hedge would sell: a close of the long perpetual
        #expect(fill.0 == "BTC-PERP" && fill.1.isNegative && fill.2 == .step)
    }

    @Test("the what-if lists the candidates of a called account, and a hedge that cures when it does")
    func whatIfShowsCuringHedge() throws {
        var harness = Self.venue(optionFee: "0.2", perpFee: "0.001")
        harness.run(#"{"type":"fill","account":"bob","market":"BTC-P-10000","size":"-2","price":"690"}"#)
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"8200","ts":\#(Self.start + 1000)}"#)
        let candidates = try #require(harness.engine.portfolioStepCandidates(account: "bob"))
        #expect(candidates.map(\.action) == [.close, .hedge])
        #expect(candidates.allSatisfy { $0.relief.isPositive && $0.cost.isPositive })
        #expect(harness.engine.portfolioStepCandidates(account: "nobody") == nil)
    }
}

/// A portfolio account in a call may hedge itself: the README's walkthrough.
@Suite("A short put called in a crash and cured by a hedge")
struct HedgeCureTests {
    @Test("selling the perpetual against a short put's delta lowers MM and cures the call; a fill that adds risk is refused")
    func hedgeCures() throws {
        var harness = PortfolioStepTests.venue()
        harness.run(#"{"type":"fill","account":"bob","market":"BTC-P-10000","size":"-2","price":"690"}"#)
        let crash = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"8000","ts":\#(PortfolioStepTests.start + 1000)}"#)
        #expect(crash.types.contains("margin_call"))
        // Selling more puts raises the worst loss: refused.
        let more = harness.run(#"{"type":"fill","account":"bob","market":"BTC-P-10000","size":"-1","price":"2070"}"#)
        guard case let .rejected(_, code, _)? = more.first?.kind else {
            Issue.record("expected a rejection, got \(more.types)")
            return
        }
        #expect(code == .marginCallActive)
        let hedge = harness.run(#"{"type":"fill","account":"bob","market":"BTC-PERP","size":"-1.6","price":"8000","ts":\#(PortfolioStepTests.start + 2000)}"#)
        #expect(hedge.types == ["cured"] || hedge.types == ["cured", "warning"])
        let report = try #require(harness.report("bob"))
        #expect(report.phase == .healthy || report.phase == .warning)
        #expect(report.positions.map(\.market).sorted() == ["BTC-P-10000", "BTC-PERP"])
    }
}

/// The reference path (every holder evaluated at each mark) and the production path (bands, and
/// `markWatch` for option holders and portfolio accounts) agree on option books.
@Suite("Option books: mark evaluation paths agree")
struct OptionMarkEvaluationTests {
    @Test("every-holder and trigger-band evaluation produce the same events and digest", arguments: [false, true])
    func pathsAgree(portfolio: Bool) {
        let script = """
        {"type":"asset","asset":"USDC","price":"1","weight":"1"}
        {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"}
        {"type":"policy","mode":"soft","grace_ms":60000,"cooldown_ms":10000}
        {"type":"deposit","account":"bob","asset":"USDC","amount":"5000","ts":1700000000000}
        {"type":"deposit","account":"carol","asset":"USDC","amount":"3000"}
        {"type":"deposit","account":"dave","asset":"USDC","amount":"2000"}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"option","option":"BTC-P-10000","market":"BTC-PERP","kind":"put","strike":"10000","expiry":1702592000000}
        {"type":"option_vol","option":"BTC-P-10000","vol":"0.6"}
        {"type":"margin_model","account":"carol","model":"\(portfolio ? "portfolio" : "standard")"}
        {"type":"fill","account":"bob","market":"BTC-P-10000","size":"-2","price":"690"}
        {"type":"fill","account":"carol","market":"BTC-PERP","size":"1","price":"10000"}
        {"type":"fill","account":"carol","market":"BTC-P-10000","size":"1","price":"690"}
        {"type":"fill","account":"dave","market":"BTC-PERP","size":"2","price":"10000"}
        """ + (0..<40).map { step in
            let price = 10_000 - 60 * step + (step % 3 == 0 ? 25 : 0)
            return #"{"type":"mark","market":"BTC-PERP","price":"\#(price)","ts":\#(1_700_000_001_000 + Int64(step) * 5_000)}"#
        }.joined(separator: "\n")
        var bands = Harness(markEvaluation: .triggerBands), everyone = Harness(markEvaluation: .everyHolder)
        let fast = bands.run(script), reference = everyone.run(script)
        #expect(fast == reference)
        #expect(bands.engine.digest == everyone.engine.digest)
        #expect(reference.types.contains("margin_call"))
    }
}
