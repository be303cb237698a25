import LeewayCore
import Testing

/// The `portfolio` margin model: the scenario grid, SPAN's worked example, the offset of perpetuals
/// and options on one underlying, the short option charge, IM = MM × im_factor, refusals, and the
/// soft-liquidation lifecycle on these requirements.
@Suite("Portfolio margin")
struct PortfolioMarginTests {
    static let start: Int64 = 1_700_000_000_000
    static let expiry = start + 30 * 86_400_000

    /// USDC, BTC-PERP at 10,000 with a 30-day 11,000 call at 60 %; alice (10,000 USDC) on the
    /// portfolio model.
    static func venue(model: String = "portfolio") -> Harness {
        var harness = Harness.standard()
        harness.run("""
        {"type":"deposit","account":"alice","asset":"USDC","amount":"10000","ts":\(start)}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"option","option":"BTC-C-11000","market":"BTC-PERP","kind":"call","strike":"11000","expiry":\(expiry)}
        {"type":"option_vol","option":"BTC-C-11000","vol":"0.6"}
        {"type":"margin_model","account":"alice","model":"\(model)"}
        """)
        return harness
    }

    @Test("SPAN's worked example: the covered write's scan risk is 6,620 (scenario 13, futures down 3/3, vol up)")
    func spanWorkedExample() {
        // Risk arrays from liquidation-mechanisms.md §18 (gains; the extremes unweighted, at 35 %).
        let future: [Double] = [0, 0, 3330, 3330, -3330, -3330, 6670, 6670, -6670, -6670, 10000, 10000, -10000, -10000, 20000, -20000]
        let shortCall: [Double] = [-460, 610, -2640, -1730, 1270, 2340, -5210, -4540, 2540, 3430, -8060, -7640, 3380, 3990,
                                   -3130 / 0.35, 1500 / 0.35]
        let weights = Array(repeating: 1.0, count: 14) + [0.35, 0.35]
        let covered = PortfolioMargin.scanRisk(gains: [future, shortCall], weights: weights)
        #expect(covered.loss == 6620)
        #expect(covered.scenario + 1 == 13)
        // Each leg alone is charged more: the offset is what portfolio margin is for.
        #expect(PortfolioMargin.scanRisk(gains: [future], weights: weights).loss == 10000)
        #expect(PortfolioMargin.scanRisk(gains: [shortCall], weights: weights).loss == 8060)
        // The extreme scenarios count 35 % of their move: 7,000 for the future.
        #expect((future[14] * weights[14]).rounded() == 7000)
    }

    @Test("the grid is 7 moves × 3 volatility factors plus two extremes at extreme_fraction")
    func grid() {
        let grid = PortfolioMargin.scenarios(.standard)
        #expect(grid.count == 23)
        let ordinary = grid.prefix(21)
        #expect(Set(ordinary.map { ($0.move * 3 / 0.15).rounded() }) == [-3, -2, -1, 0, 1, 2, 3])
        #expect(Set(ordinary.map(\.volatilityFactor)) == [0.7, 1, 1.3])
        #expect(ordinary.allSatisfy { $0.weight == 1 })
        #expect(grid.suffix(2).map(\.weight) == [0.35, 0.35])
        #expect(grid.suffix(2).map { ($0.move * 100).rounded() } == [-30, 30])
        #expect(grid.suffix(2).allSatisfy { $0.volatilityFactor == 1 })
    }

    @Test("a perpetual alone: MM = scan_range × notional, IM = MM × im_factor")
    func perpetualAlone() throws {
        var harness = Self.venue()
        harness.run(#"{"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000"}"#)
        let report = try #require(harness.report("alice"))
        #expect((report.maintenanceMargin.raw - d("1500").raw).magnitude <= 1)
        #expect(report.initialMargin == (try report.maintenanceMargin.multiplied(by: d("1.3"), rounding: .up)))
    }

    @Test("a perpetual and a short call on the same underlying offset; the short option charge is added")
    func coveredWriteOffsets() throws {
        var harness = Self.venue()
        harness.run("""
        {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000"}
        {"type":"fill","account":"alice","market":"BTC-C-11000","size":"-1","price":"300"}
        """)
        let covered = try #require(harness.report("alice")).maintenanceMargin
        let years = Double(Self.expiry - Self.start) / Black76.millisecondsPerYear
        let call = PortfolioMargin.Leg(units: -1, option: .init(kind: .call, strike: 11_000, volatility: 0.6, years: years))
        let grid = PortfolioMargin.scenarios(.standard)
        let worst = PortfolioMargin.worstLoss(legs: [PortfolioMargin.Leg(units: 1), call], forward: 10_000, scenarios: grid)
        // Charge: 0.01 × 10,000 × 1 × 1 = 100.
        #expect(covered == Fixed(raw: try Fixed(worst.loss, rounding: .up).raw + d("100").raw))
        let perpAlone = PortfolioMargin.worstLoss(legs: [PortfolioMargin.Leg(units: 1)], forward: 10_000, scenarios: grid).loss
        let callAlone = PortfolioMargin.worstLoss(legs: [call], forward: 10_000, scenarios: grid).loss
        #expect(worst.loss < perpAlone && worst.loss < perpAlone + callAlone)
        #expect(worst.scenario < 3)  // the covered write's worst case is the full move down
    }

    @Test("portfolio_params change the grid of their market", arguments: [("0.1", "1000"), ("0.2", "2000")])
    func paramsApply(scanRange: String, maintenance: String) throws {
        var harness = Self.venue()
        harness.run("""
        {"type":"portfolio_params","market":"BTC-PERP","scan_range":"\(scanRange)","extreme_fraction":"0"}
        {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000"}
        """)
        let report = try #require(harness.report("alice"))
        #expect((report.maintenanceMargin.raw - d(maintenance).raw).magnitude <= 1)
    }

    @Test("the lifecycle runs on portfolio MM unchanged: the same fall calls a portfolio account and not a standard one")
    func lifecycleOnPortfolioMargin() throws {
        for (model, called) in [("portfolio", true), ("standard", false)] {
            var harness = Self.venue(model: model)
            let fill = harness.run(#"{"type":"fill","account":"alice","market":"BTC-PERP","size":"5","price":"10000"}"#)
            #expect(!fill.types.contains("rejected"))
            // 9,000: equity 5,000; portfolio MM 0.15 × 45,000 = 6,750, standard MM 1 % × 45,000 = 450.
            let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9000","ts":\#(Self.start + 1000)}"#)
            #expect(events.types.contains("margin_call") == called, "\(model)")
            let cure = harness.run(#"{"type":"deposit","account":"alice","asset":"USDC","amount":"10000","ts":\#(Self.start + 2000)}"#)
            #expect(cure.types.contains("cured") == called, "\(model)")
        }
    }

    @Test("a risk-increasing fill must meet the portfolio IM")
    func initialMarginOnFills() {
        var portfolio = Self.venue()
        // IM of 6 BTC at 10,000: 1.3 × 0.15 × 60,000 = 11,700 > 10,000.
        #expect(portfolio.run(#"{"type":"fill","account":"alice","market":"BTC-PERP","size":"6","price":"10000"}"#).types == ["rejected"])
        var standard = Self.venue(model: "standard")
        #expect(standard.run(#"{"type":"fill","account":"alice","market":"BTC-PERP","size":"6","price":"10000"}"#).types.isEmpty)
    }

    @Test("bad margin_model and portfolio_params input is rejected and changes nothing", arguments: [
        BadLine(line: #"{"type":"margin_model","account":"nobody","model":"portfolio"}"#, code: "unknown_account"),
        BadLine(line: #"{"type":"margin_model","account":"alice","model":"span"}"#, code: "invalid_field"),
        BadLine(line: #"{"type":"portfolio_params","market":"ETH-PERP"}"#, code: "unknown_market"),
        BadLine(line: #"{"type":"portfolio_params","market":"BTC-C-11000"}"#, code: "not_a_perpetual"),
        BadLine(line: #"{"type":"portfolio_params","market":"BTC-PERP","scan_range":"0"}"#, code: "invalid_portfolio_params"),
        BadLine(line: #"{"type":"portfolio_params","market":"BTC-PERP","scan_range":"0.6"}"#, code: "invalid_portfolio_params"),
        BadLine(line: #"{"type":"portfolio_params","market":"BTC-PERP","vol_shift":"1"}"#, code: "invalid_portfolio_params"),
        BadLine(line: #"{"type":"portfolio_params","market":"BTC-PERP","extreme_multiple":"0.5"}"#, code: "invalid_portfolio_params"),
        BadLine(line: #"{"type":"portfolio_params","market":"BTC-PERP","extreme_fraction":"1.5"}"#, code: "invalid_portfolio_params"),
        BadLine(line: #"{"type":"portfolio_params","market":"BTC-PERP","im_factor":"0.9"}"#, code: "invalid_portfolio_params"),
        BadLine(line: #"{"type":"portfolio_params","market":"BTC-PERP","short_option_charge":"-0.01"}"#, code: "invalid_portfolio_params"),
    ])
    func rejected(_ bad: BadLine) {
        var harness = Self.venue()
        harness.expectRejectedWithoutChange(bad)
    }

    @Test("the model cannot change during a margin call")
    func noModelChangeDuringCall() {
        var harness = Self.venue()
        harness.run("""
        {"type":"fill","account":"alice","market":"BTC-PERP","size":"5","price":"10000"}
        {"type":"mark","market":"BTC-PERP","price":"9000","ts":\(Self.start + 1000)}
        """)
        let events = harness.run(#"{"type":"margin_model","account":"alice","model":"standard"}"#)
        guard case let .rejected(_, code, _)? = events.first?.kind else {
            Issue.record("expected a rejection, got \(events.types)")
            return
        }
        #expect(code == .marginCallActive)
    }
}
