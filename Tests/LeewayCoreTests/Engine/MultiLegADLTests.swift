import LeewayCore
import Testing

/// ADL of an account bankrupt across several markets: the deficit is split by closed notional,
/// each leg gets its bankruptcy price, and every fill's size, price and amount agree.
@Suite("ADL across several positions and markets")
struct MultiLegADLTests {
    static let venue = """
    {"type":"asset","asset":"USDC","price":"1","weight":"1"}
    {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"}
    {"type":"market","market":"ETH-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"}
    {"type":"market","market":"SOL-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"}
    {"type":"policy","mode":"hard"}
    {"type":"deposit","account":"alice","asset":"USDC","amount":"1000","ts":1700000000000}
    {"type":"deposit","account":"bob","asset":"USDC","amount":"100000"}
    {"type":"deposit","account":"carol","asset":"USDC","amount":"100000"}
    {"type":"deposit","account":"dave","asset":"USDC","amount":"100000"}
    {"type":"mark","market":"BTC-PERP","price":"10000"}
    {"type":"mark","market":"ETH-PERP","price":"1000"}
    {"type":"mark","market":"SOL-PERP","price":"100"}
    """

    struct Fill: Equatable {
        var account: String, market: String, size: Fixed, price: Fixed, amount: Fixed
    }

    static func adlFills(_ events: [Event]) -> [Fill] {
        events.compactMap { event in
            guard case let .adlFill(account, market, size, price, amount) = event.kind else { return nil }
            return Fill(account: account, market: market, size: size, price: price, amount: amount)
        }
    }

    /// amount = ⌈|size| × |price − close|⌉, the rule every fill must satisfy.
    static func agrees(_ fill: Fill, closePrice: Fixed) throws -> Bool {
        let distance = try fill.price.subtracting(closePrice).magnitude
        return try fill.size.magnitude.multiplied(by: distance, rounding: .up) == fill.amount
    }

    @Test("two legs: the deficit splits by notional, both bankruptcy prices concede the same 5.56 %, amounts agree")
    func twoLegsWorkedExample() throws {
        var harness = Harness()
        harness.run(Self.venue)
        harness.run("""
        {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000"}
        {"type":"fill","account":"alice","market":"ETH-PERP","size":"10","price":"1000"}
        {"type":"fill","account":"bob","market":"BTC-PERP","size":"-2","price":"10000"}
        {"type":"fill","account":"carol","market":"ETH-PERP","size":"-20","price":"1000"}
        """)
        // BTC gaps to 8,000: alice's equity is 1,000 − 2,000 = −1,000; both legs close (BTC at 8,000, ETH at 1,000).
        let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"8000","ts":1700000010000}"#)
        let fills = Self.adlFills(events)
        // D = 1,000 over notionals 8,000 and 10,000: D_BTC = 444.44444444, D_ETH = 555.55555556.
        // δ_BTC = 444.44444444 per BTC → p = 8,444.44444444; δ_ETH = ⌈55.555555556⌉ = 55.55555556 → p = 1,055.55555556.
        #expect(fills == [
            Fill(account: "bob", market: "BTC-PERP", size: d("1"), price: d("8444.44444444"), amount: d("444.44444444")),
            Fill(account: "carol", market: "ETH-PERP", size: d("10"), price: d("1055.55555556"), amount: d("555.5555556")),
        ])
        #expect(try Self.agrees(fills[0], closePrice: d("8000")))
        #expect(try Self.agrees(fills[1], closePrice: d("1000")))
        let bankrupt = try #require(events.first { $0.type == "bankrupt" })
        guard case let .bankrupt(_, _, deficit, insurancePaid, recovered) = bankrupt.kind else { return }
        #expect(deficit == d("1000"))
        #expect(insurancePaid == .zero)
        #expect(recovered == d("1000.00000004"))  // Σ amounts: what the counterparties lost
        // The 4·10⁻⁸ rounding surplus goes to the fund; alice ends at exactly zero.
        #expect(harness.engine.insuranceFund(asset: "USDC") == WideAmount(raw: 4))
        #expect(harness.report("alice")?.equity == .zero)
        #expect(harness.report("bob")?.positions.first?.size == d("-1"))
        #expect(harness.report("carol")?.positions.first?.size == d("-10"))
        #expect(harness.engine.ledgerSum(asset: 0) == 0)
    }

    @Test("three legs, long and short, several counterparties per leg: each fill agrees and Σ amounts = adl_recovered")
    func threeLegsAcrossMarkets() throws {
        var harness = Harness()
        harness.run(Self.venue)
        harness.run("""
        {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000"}
        {"type":"fill","account":"alice","market":"ETH-PERP","size":"-10","price":"1000"}
        {"type":"fill","account":"alice","market":"SOL-PERP","size":"30","price":"100"}
        {"type":"fill","account":"bob","market":"BTC-PERP","size":"-0.1","price":"10000"}
        {"type":"fill","account":"carol","market":"BTC-PERP","size":"-3","price":"10000"}
        {"type":"fill","account":"bob","market":"ETH-PERP","size":"4","price":"1000"}
        {"type":"fill","account":"dave","market":"ETH-PERP","size":"6","price":"1000"}
        {"type":"fill","account":"dave","market":"SOL-PERP","size":"-50","price":"100"}
        {"type":"insurance_deposit","amount":"100"}
        """)
        // ETH to 1,150 costs alice 1,500 on her short; then BTC to 9,000 another 1,000: deeply bankrupt.
        harness.run(#"{"type":"mark","market":"ETH-PERP","price":"1050","ts":1700000010000}"#)
        let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"8200","ts":1700000020000}"#)
        let closes = events.compactMap { event -> (String, Fixed)? in
            guard case let .liquidationFill(account, market, _, price, _, _) = event.kind, account == "alice" else { return nil }
            return (market, price)
        }
        #expect(closes.count == 3)
        let closePrice = Dictionary(uniqueKeysWithValues: closes)
        let fills = Self.adlFills(events)
        #expect(Set(fills.map(\.market)) == ["BTC-PERP", "ETH-PERP", "SOL-PERP"])
        for fill in fills { #expect(try Self.agrees(fill, closePrice: try #require(closePrice[fill.market])), "\(fill)") }
        // Longs are ADL'd against a short leg (they sell below the close), shorts against a long leg.
        for fill in fills where fill.market == "ETH-PERP" { #expect(fill.price < d("1050") && fill.size.isNegative) }
        for fill in fills where fill.market != "ETH-PERP" { #expect(fill.price > closePrice[fill.market]! && fill.size.isPositive) }
        let bankrupt = try #require(events.first { $0.type == "bankrupt" })
        guard case let .bankrupt(_, _, deficit, insurancePaid, recovered) = bankrupt.kind else { return }
        #expect(insurancePaid == d("100"))
        var total = Fixed.zero
        for fill in fills { total = try total.adding(fill.amount) }
        #expect(total == recovered)
        #expect(recovered >= (try deficit.subtracting(insurancePaid)))
        #expect(harness.report("alice")?.equity == .zero)
        #expect(harness.engine.ledgerSum(asset: 0) == 0)
    }
}

/// ADL of option legs (issue 16): the same split and bankruptcy price, in premium terms.
@Suite("ADL of option legs")
struct OptionADLTests {
    static let expiry: Int64 = 1_700_000_000_000 + 30 * 86_400_000

    @Test("a bankrupt short put and its perpetual: both legs are deleveraged, option holders pay at the bankruptcy premium, amounts agree")
    func shortPutAndPerpetual() throws {
        var harness = Harness()
        harness.run("""
        {"type":"asset","asset":"USDC","price":"1","weight":"1"}
        {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"}
        {"type":"policy","mode":"hard"}
        {"type":"deposit","account":"alice","asset":"USDC","amount":"5000","ts":1700000000000}
        {"type":"deposit","account":"bob","asset":"USDC","amount":"100000"}
        {"type":"deposit","account":"carol","asset":"USDC","amount":"100000"}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"option","option":"BTC-P-10000","market":"BTC-PERP","kind":"put","strike":"10000","expiry":\(Self.expiry)}
        {"type":"option_vol","option":"BTC-P-10000","vol":"0.6"}
        {"type":"fill","account":"alice","market":"BTC-P-10000","size":"-2","price":"690"}
        {"type":"fill","account":"alice","market":"BTC-PERP","size":"0.5","price":"10000"}
        {"type":"fill","account":"bob","market":"BTC-P-10000","size":"3","price":"690"}
        {"type":"fill","account":"carol","market":"BTC-PERP","size":"-1","price":"10000"}
        """)
        #expect(harness.engine.insuranceFund(asset: "USDC") == .zero)
        let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"7000","ts":1700000010000}"#)
        let closes = events.compactMap { event -> (String, Fixed, Fixed)? in
            guard case let .liquidationFill(account, market, size, price, _, _) = event.kind, account == "alice" else { return nil }
            return (market, size, price)
        }
        let bankrupt = try #require(events.compactMap { event -> (Fixed, Fixed, Fixed)? in
            guard case let .bankrupt(_, _, deficit, paid, recovered) = event.kind else { return nil }
            return (deficit, paid, recovered)
        }.first)
        let fills = MultiLegADLTests.adlFills(events)
        let put = try #require(fills.first { $0.market == "BTC-P-10000" })
        let perp = try #require(fills.first { $0.market == "BTC-PERP" })
        let putClose = try #require(closes.first { $0.0 == "BTC-P-10000" }?.2)
        let perpClose = try #require(closes.first { $0.0 == "BTC-PERP" }?.2)
        // bob's long puts are sold back below the close premium; carol's short perpetual bought above the close.
        #expect(put.account == "bob" && put.size.isNegative && put.price < putClose)
        #expect(perp.account == "carol" && perp.size.isPositive && perp.price > perpClose)
        #expect(try MultiLegADLTests.agrees(put, closePrice: putClose))
        #expect(try MultiLegADLTests.agrees(perp, closePrice: perpClose))
        // Both legs concede the same relative price (deficit / Σ notional), up to the 10⁻⁸ rounding.
        let putConcession = (putClose.doubleValue - put.price.doubleValue) / putClose.doubleValue
        let perpConcession = (perp.price.doubleValue - perpClose.doubleValue) / perpClose.doubleValue
        #expect(Swift.abs(putConcession - perpConcession) < 1e-6)
        let recovered = try put.amount.adding(perp.amount)
        #expect(bankrupt.1 == .zero && bankrupt.2 == recovered && bankrupt.2 >= bankrupt.0)
        #expect(harness.engine.ledgerSum(asset: 0) == 0)
        let bobPuts = try d("3").adding(put.size)
        #expect(harness.report("bob")?.positions.first { $0.market == "BTC-P-10000" }?.size == bobPuts)
    }
}
