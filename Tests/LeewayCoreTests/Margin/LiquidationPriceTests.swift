import LeewayCore
import Testing

@Suite("Liquidation and bankruptcy prices")
struct LiquidationPriceTests {
    struct IsolatedCase: Sendable, CustomTestStringConvertible {
        var name: String
        var size: String, entry: String, wallet: String, mmr: String, cum: String
        /// The exact price at 8 decimals, rounded against the trader (long up, short down).
        var expected: String
        var testDescription: String { name }
    }

    @Test("isolated liquidation price matches the venues' worked examples", arguments: [
        IsolatedCase(name: "Binance long 1 @ 10,000, WB 1,000, MMR 0.4 % → 9,036.1446", size: "1", entry: "10000", wallet: "1000", mmr: "0.004", cum: "0", expected: "9036.14457832"),
        IsolatedCase(name: "Binance short mirror → 10,956.1753", size: "-1", entry: "10000", wallet: "1000", mmr: "0.004", cum: "0", expected: "10956.17529880"),
        IsolatedCase(name: "Binance long 30 @ 10,000, bracket MMR 1 %, cum 1,300 → 9,047.1380", size: "30", entry: "10000", wallet: "30000", mmr: "0.01", cum: "1300", expected: "9047.13804714"),
        IsolatedCase(name: "Hyperliquid 10× long 1 BTC, max leverage 40 → 91,139.24", size: "1", entry: "100000", wallet: "10000", mmr: "0.0125", cum: "0", expected: "91139.24050633"),
        IsolatedCase(name: "Hyperliquid short mirror → 108,641.98", size: "-1", entry: "100000", wallet: "10000", mmr: "0.0125", cum: "0", expected: "108641.97530864"),
    ])
    func isolated(_ example: IsolatedCase) throws {
        let tiers = try TierSchedule(maintenanceRate: d(example.mmr), maintenanceAmount: d(example.cum))
        let price = LiquidationPriceSolver.liquidationPrice(
            size: d(example.size), referencePrice: d(example.entry), equityAtReference: d(example.wallet),
            otherMaintenance: .zero, tiers: tiers)
        #expect(price == d(example.expected))
    }

    @Test("dYdX bankruptcy: long 0.1 BTC at oracle 50,000 with USDC −4,501 goes bankrupt at 45,010")
    func dydxBankruptcy() throws {
        // TNC = −4,501 + 0.1 × 50,000 = 499; the full close's bankruptcy quote is 0.1 × 45,010 = 4,501.
        let price = LiquidationPriceSolver.bankruptcyPrice(size: d("0.1"), referencePrice: d("50000"), equityAtReference: d("499"))
        #expect(price == d("45010"))
        #expect(try #require(price).multiplied(by: d("0.1"), rounding: .down) == d("4501"))
    }

    @Test("a long whose collateral covers any fall has no liquidation or bankruptcy price")
    func unliquidatable() throws {
        let tiers = try TierSchedule(maintenanceRate: d("0.01"), maintenanceAmount: .zero)
        #expect(LiquidationPriceSolver.liquidationPrice(size: d("1"), referencePrice: d("100"), equityAtReference: d("200"), otherMaintenance: .zero, tiers: tiers) == nil)
        #expect(LiquidationPriceSolver.bankruptcyPrice(size: d("1"), referencePrice: d("100"), equityAtReference: d("200")) == nil)
    }

    @Test("the cross-margin liquidation price is where the engine's own equity meets MM, across tier boundaries", arguments: [
        ("4", "1000"), ("30", "10000"), ("-30", "10000"), ("60", "30000"), ("-60", "30000"),
    ])
    func crossMarginAcrossTiers(size: String, deposit: String) throws {
        // Tiers: 1 % to 250k notional, 2.5 % above. A 30 BTC position at 10,000 (300k) liquidates
        // below 250k notional, in the lower tier: the solver must pick that tier.
        var harness = Harness()
        harness.run("""
        {"type":"asset","asset":"USDC","price":"1","weight":"1"}
        {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"},{"floor":"250000","imr":"0.05","mmr":"0.025"}],"liquidation_fee":"0"}
        {"type":"deposit","account":"a","asset":"USDC","amount":"\(deposit)"}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"fill","account":"a","market":"BTC-PERP","size":"\(size)","price":"10000"}
        """)
        let report = try #require(harness.report("a"))
        let liquidation = try #require(report.positions.first?.liquidationPrice)
        // Move the mark to the reported price: equity must be at (within rounding of) MM there.
        harness.run(#"{"type":"policy","mode":"soft","warning_buffer":"0","grace_ms":600000}"#)
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"\#(liquidation)"}"#)
        let at = try #require(harness.report("a"))
        let gap = try at.equity.subtracting(at.maintenanceMargin)
        #expect(gap.magnitude <= d("0.0000006"), "equity \(at.equity) vs MM \(at.maintenanceMargin) at \(liquidation)")
    }
}
