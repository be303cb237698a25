@testable import LeewayCore
import Testing

/// Several underlyings on the portfolio model with a correlation (Leeway's extension of spec part
/// 3): underlyings whose `portfolio_params` set `correlation` combine their scan risks as
/// ρ × max(Σ down, Σ up) + (1 − ρ) × Σ worst, so a hedged pair of correlated books is not charged
/// twice, while a book long both pays the full sum.
@Suite("Portfolio margin across correlated underlyings")
struct PortfolioCorrelationTests {
    /// BTC-PERP at 10,000 and ETH-PERP at 1,000 with the spec's grid (scan range 15 %); bob on the
    /// portfolio model with 1 BTC and `eth` ETH (signed; 10 ETH is 10,000 of notional, like the BTC). Each leg alone has a worst loss of 1,500
    /// in one direction (its extreme move counts only 35 %: 1,050).
    static func book(eth: String, btcCorrelation: String?, ethCorrelation: String?) -> Harness {
        var harness = Harness.standard()
        func params(_ market: String, _ correlation: String?) -> String {
            correlation.map { #"{"type":"portfolio_params","market":"\#(market)","correlation":"\#($0)"}"# } ?? ""
        }
        harness.run("""
        {"type":"market","market":"ETH-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"}
        {"type":"deposit","account":"bob","asset":"USDC","amount":"10000","ts":1700000000000}
        {"type":"deposit","account":"alice","asset":"USDC","amount":"100000"}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"mark","market":"ETH-PERP","price":"1000"}
        \(params("BTC-PERP", btcCorrelation))
        \(params("ETH-PERP", ethCorrelation))
        {"type":"margin_model","account":"bob","model":"portfolio"}
        {"type":"fill","account":"bob","market":"BTC-PERP","size":"1","price":"10000"}
        {"type":"fill","account":"bob","market":"ETH-PERP","size":"\(eth)","price":"1000"}
        """)
        return harness
    }

    @Test("MM of a long-BTC / short-ETH pair and of a long-both book as the correlation varies", arguments: [
        // (ETH size, BTC ρ, ETH ρ, MM)
        ("-10", nil, nil, "3000"),          // the spec: no offset across underlyings
        ("-10", "0", "0", "3000"),          // ρ = 0: each may suffer its own worst move
        ("-10", "0.5", "0.5", "2250"),      // ½ × max(1,500, 1,500) + ½ × 3,000
        ("-10", "1", "1", "1500"),          // together: the short ETH gains what the long BTC loses
        ("-10", "1", "0.5", "2250"),        // the smaller correlation of the two
        ("-10", "1", nil, "3000"),          // only one underlying correlated: nothing to combine
        ("10", "1", "1", "3000"),           // long both: they fall together, no credit
    ] as [(String, String?, String?, String)])
    func correlatedScan(eth: String, btc: String?, ethCorrelation: String?, maintenance: String) throws {
        let harness = Self.book(eth: eth, btcCorrelation: btc, ethCorrelation: ethCorrelation)
        let report = try #require(harness.report("bob"))
        #expect(report.positions.count == 2)
        #expect(report.maintenanceMargin == d(maintenance))
        #expect(report.initialMargin == (try d(maintenance).multiplied(by: d("1.3"), rounding: .up)))
    }

    @Test("a correlation outside [0, 1] is refused and changes nothing", arguments: ["-0.1", "1.00000001", "2"])
    func refusesBadCorrelation(correlation: String) {
        var harness = Self.book(eth: "-10", btcCorrelation: nil, ethCorrelation: nil)
        harness.expectRejectedWithoutChange(BadLine(
            line: #"{"type":"portfolio_params","market":"BTC-PERP","correlation":"\#(correlation)"}"#, code: "invalid_portfolio_params"))
    }

    @Test("the correlation is state: it survives a snapshot and enters the digest")
    func correlationIsState() throws {
        let with = Self.book(eth: "-10", btcCorrelation: "0.5", ethCorrelation: "0.5")
        let without = Self.book(eth: "-10", btcCorrelation: "0.5", ethCorrelation: "0.6")
        #expect(with.engine.digest != without.engine.digest)
        #expect(with.engine.state.markets[0].portfolioParams?.correlation == d("0.5"))
    }
}
