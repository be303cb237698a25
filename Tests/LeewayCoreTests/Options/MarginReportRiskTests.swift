@testable import LeewayCore
import Testing

/// Trader tools for option books (issue 16 part 4): the margin report shows the Greeks of each leg
/// and of each underlying, the portfolio grid's worst scenario and its loss, and a what-if answers
/// "which hedge cures my call" as well as "how much deposit".
@Suite("Margin report: Greeks, worst scenario and the hedge that cures")
struct MarginReportRiskTests {
    static let start = PortfolioStepTests.start
    static let expiry = PortfolioStepTests.expiry

    /// bob: short 2 puts at 10,000 (portfolio model), long 0.5 BTC-PERP, on the steps suite's venue.
    static func book(model: String = "portfolio") -> Harness {
        var harness = PortfolioStepTests.venue()
        harness.run("""
        {"type":"margin_model","account":"bob","model":"\(model)"}
        {"type":"fill","account":"bob","market":"BTC-P-10000","size":"-2","price":"690"}
        {"type":"fill","account":"bob","market":"BTC-PERP","size":"0.5","price":"10000"}
        """)
        return harness
    }

    @Test("each leg's Greeks are its units times Black-76's (vega per vol point, theta per day); a perpetual's delta is its size")
    func legGreeks() throws {
        let harness = Self.book()
        let report = try #require(harness.report("bob"))
        let put = try #require(report.positions.first { $0.market == "BTC-P-10000" }?.greeks)
        let years = Double(Self.expiry - Self.start) / Black76.millisecondsPerYear
        let unit = Black76.valuation(.put, forward: 10_000, strike: 10_000, volatility: 0.6, years: years)
        #expect(put.delta == -2 * unit.delta && put.gamma == -2 * unit.gamma)
        #expect(put.vega == (-2 * unit.vega) / 100 && put.theta == (-2 * unit.theta) / 365)
        #expect(put.delta > 0 && put.gamma < 0 && put.vega < 0 && put.theta > 0)  // short put: long delta, short gamma and vega, earns theta
        #expect(report.positions.first { $0.market == "BTC-PERP" }?.greeks == Greeks(delta: 0.5))
        let underlying = try #require(report.underlyings.first)
        #expect(report.underlyings.count == 1 && underlying.market == "BTC-PERP" && underlying.forward == d("10000"))
        #expect(underlying.greeks.delta == 0.5 + put.delta && underlying.greeks.gamma == 0 + put.gamma)
    }

    @Test("the worst scenario is the grid's, and under the portfolio model MM is ⌈its loss⌉ plus the short-option charge", arguments: ["portfolio", "standard"])
    func worstScenario(model: String) throws {
        var harness = Self.book(model: model)
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9000","ts":\#(Self.start + 1000)}"#)
        let report = try #require(harness.report("bob"))
        let underlying = try #require(report.underlyings.first)
        let worst = try #require(underlying.worstScenario)
        // Short puts and a small long perpetual lose most when the price falls furthest with vol up.
        #expect(worst.move == -0.15 && worst.volatilityFactor == 1.3 && worst.weight == 1 && worst.index == 2)
        #expect(worst.loss.isPositive)
        // Two short puts: short_option_charge 1 % × 9,000 × 2.
        #expect(underlying.shortOptionCharge == d("180"))
        if model == "portfolio" { #expect(report.maintenanceMargin == (try worst.loss.adding(underlying.shortOptionCharge))) }
    }

    @Test("a called portfolio account is shown the smallest perpetual sale that cures it: trading it cures, 10⁻⁸ less does not")
    func hedgeToCureIsMinimalAndTrue() throws {
        var harness = PortfolioStepTests.venue()
        harness.run(#"{"type":"fill","account":"bob","market":"BTC-P-10000","size":"-2","price":"690"}"#)
        let crash = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"8000","ts":\#(Self.start + 1000)}"#)
        #expect(crash.types.contains("margin_call"))
        #expect(harness.report("bob")?.hedgesToCure == [])  // only when asked for
        let report = try #require(harness.engine.marginReport(account: "bob", hedges: true))
        #expect(report.depositToCure.isPositive)
        let hedge = try #require(report.hedgesToCure.first)
        #expect(report.hedgesToCure.count == 1 && hedge.market == "BTC-PERP" && hedge.cures && hedge.size.isNegative && hedge.price == d("8000"))
        // The what-if of exactly that trade owes nothing; one unit less still owes a cure.
        let traded = try harness.engine.whatIf(account: "bob", trade: ("BTC-PERP", hedge.size))
        #expect(traded.depositToCure == .zero && traded.equity == hedge.equityAfter && traded.maintenanceMargin == hedge.maintenanceAfter)
        let short = try harness.engine.whatIf(account: "bob", trade: ("BTC-PERP", Fixed(raw: hedge.size.raw + 1)))
        #expect(short.depositToCure.isPositive)
        // And the engine agrees: the fill cures the call.
        let fill = harness.run(#"{"type":"fill","account":"bob","market":"BTC-PERP","size":"\#(hedge.size)","price":"8000","ts":\#(Self.start + 2000)}"#)
        #expect(fill.types.first == "cured")
    }

    @Test("under the standard model a perpetual adds its own margin: the full delta hedge does not cure, and the answer says so")
    func hedgeThatDoesNotCure() throws {
        var harness = PortfolioStepTests.venue()
        harness.run("""
        {"type":"margin_model","account":"bob","model":"standard"}
        {"type":"fill","account":"bob","market":"BTC-P-10000","size":"-2","price":"690"}
        {"type":"mark","market":"BTC-PERP","price":"9000","ts":\(Self.start + 1000)}
        """)
        let report = try #require(harness.engine.marginReport(account: "bob", hedges: true))
        #expect(report.phase == .marginCall && report.depositToCure.isPositive)
        let hedge = try #require(report.hedgesToCure.first)
        #expect(!hedge.cures)
        let delta = try #require(report.underlyings.first?.greeks.delta)
        #expect(hedge.size == (try Fixed(delta, rounding: .down)).negated)  // the whole net delta, sold
        #expect(hedge.maintenanceAfter > report.maintenanceMargin)
    }

    @Test("a healthy account is owed no cure and shown no hedge")
    func healthyHasNoHedges() throws {
        let harness = Self.book()
        let report = try #require(harness.engine.marginReport(account: "bob", hedges: true))
        #expect(report.depositToCure == .zero && report.hedgesToCure.isEmpty)
    }

    @Test("a what-if trade may open or enlarge a position, at the mark or the option's value, and changes nothing")
    func whatIfTrade() throws {
        let harness = Self.book()
        let before = StateDigest(of: harness.engine.state)
        let bought = try harness.engine.whatIf(account: "bob", trade: ("BTC-PERP", d("1")))
        #expect(bought.positions.first { $0.market == "BTC-PERP" }?.size == d("1.5"))
        let opened = try harness.engine.whatIf(account: "alice", trade: ("BTC-C-11000", d("-1")))
        let call = try #require(opened.positions.first { $0.market == "BTC-C-11000" })
        #expect(call.size == d("-1") && call.entryPrice == call.markPrice && call.unrealizedPnL == .zero)
        let both = try harness.engine.whatIf(account: "bob", deposit: ("USDC", d("100")), reduce: ("BTC-PERP", d("0.5")), trade: ("BTC-PERP", d("-0.2")))
        #expect(both.positions.first { $0.market == "BTC-PERP" }?.size == d("-0.2"))
        #expect(StateDigest(of: harness.engine.state) == before)
    }

    @Test("a what-if trade that cannot happen is refused with a code", arguments: [
        ("BTC-PERP", "0", RejectionCode.zeroSize), ("ETH-PERP", "1", .unknownMarket),
    ] as [(String, String, RejectionCode)])
    func whatIfTradeRefusals(market: String, size: String, code: RejectionCode) {
        let harness = Self.book()
        #expect(throws: Rejection.self) { try harness.engine.whatIf(account: "bob", trade: (market, d(size))) }
        do { _ = try harness.engine.whatIf(account: "bob", trade: (market, d(size))) } catch { #expect(error.code == code) }
    }

    @Test("a what-if trade in a settled option is refused")
    func whatIfTradeInSettledOption() {
        var harness = Self.book()
        harness.run(#"{"type":"time","ts":\#(Self.expiry + 1)}"#)
        do {
            _ = try harness.engine.whatIf(account: "bob", trade: ("BTC-P-10000", d("1")))
            Issue.record("a trade in a settled option was accepted")
        } catch {
            #expect(error.code == .optionExpired)
        }
    }
}
