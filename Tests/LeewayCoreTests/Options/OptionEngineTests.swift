import LeewayCore
import Testing

/// Options in the engine (part 3 of the spec): definition and refusals, futures-style valuation,
/// standard margin, cash settlement at expiry, and the soft-liquidation lifecycle on option legs.
@Suite("Options in the engine")
struct OptionEngineTests {
    static let start: Int64 = 1_700_000_000_000
    static let day: Int64 = 86_400_000
    static let expiry = start + 30 * day

    /// USDC, BTC-PERP at 10,000, a 30-day 11,000 call at 60 % vol, a 9,000 put without a vol yet;
    /// alice (10,000 USDC) and bob (5,000 USDC).
    static func venue(contractSize: String = "1") -> Harness {
        var harness = Harness.standard()
        harness.run("""
        {"type":"deposit","account":"alice","asset":"USDC","amount":"10000","ts":\(start)}
        {"type":"deposit","account":"bob","asset":"USDC","amount":"5000"}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"option","option":"BTC-C-11000","market":"BTC-PERP","kind":"call","strike":"11000","expiry":\(expiry),"contract_size":"\(contractSize)"}
        {"type":"option_vol","option":"BTC-C-11000","vol":"0.6"}
        {"type":"option","option":"BTC-P-9000","market":"BTC-PERP","kind":"put","strike":"9000","expiry":\(expiry),"contract_size":"1"}
        """)
        return harness
    }

    /// The call's value per contract at `mark` and `nowMs`, rounded as a long (down) or a short (up).
    static func callValue(mark: Double, atMs nowMs: Int64, contractSize: Double = 1, rounding: RoundingRule) throws -> Fixed {
        let years = Double(expiry - nowMs) / Black76.millisecondsPerYear
        return try Fixed(Black76.price(.call, forward: mark, strike: 11_000, volatility: 0.6, years: years) * contractSize, rounding: rounding)
    }

    /// Alice buys and bob sells 2 of the call at 300.
    static let tradeTwoCalls = """
    {"type":"fill","account":"alice","market":"BTC-C-11000","size":"2","price":"300"}
    {"type":"fill","account":"bob","market":"BTC-C-11000","size":"-2","price":"300"}
    """

    @Test("each bad option input is rejected with its code and changes nothing", arguments: [
        BadLine(line: #"{"type":"option","option":"X","market":"ETH-PERP","kind":"call","strike":"1","expiry":1800000000000}"#, code: "unknown_market"),
        BadLine(line: #"{"type":"option","option":"X","market":"BTC-C-11000","kind":"call","strike":"1","expiry":1800000000000}"#, code: "not_a_perpetual"),
        BadLine(line: #"{"type":"option","option":"X","market":"BTC-PERP","kind":"call","strike":"0","expiry":1800000000000}"#, code: "invalid_strike"),
        BadLine(line: #"{"type":"option","option":"X","market":"BTC-PERP","kind":"put","strike":"-5","expiry":1800000000000}"#, code: "invalid_strike"),
        BadLine(line: #"{"type":"option","option":"X","market":"BTC-PERP","kind":"call","strike":"1","expiry":1800000000000,"contract_size":"0"}"#, code: "invalid_contract_size"),
        BadLine(line: #"{"type":"option","option":"X","market":"BTC-PERP","kind":"call","strike":"1","expiry":1800000000000,"contract_size":"-1"}"#, code: "invalid_contract_size"),
        BadLine(line: #"{"type":"option","option":"X","market":"BTC-PERP","kind":"call","strike":"1","expiry":1699999999999}"#, code: "expiry_in_past"),
        BadLine(line: #"{"type":"option","option":"X","market":"BTC-PERP","kind":"call","strike":"1","expiry":1700000000000}"#, code: "expiry_in_past"),
        BadLine(line: #"{"type":"option","option":"X","market":"BTC-PERP","kind":"straddle","strike":"1","expiry":1800000000000}"#, code: "invalid_field"),
        BadLine(line: #"{"type":"option","option":"BTC-PERP","market":"BTC-PERP","kind":"call","strike":"1","expiry":1800000000000}"#, code: "option_exists"),
        BadLine(line: #"{"type":"option","option":"BTC-C-11000","market":"BTC-PERP","kind":"call","strike":"12000","expiry":1800000000000}"#, code: "option_exists"),
        BadLine(line: #"{"type":"option_vol","option":"BTC-C-11000","vol":"0"}"#, code: "invalid_volatility"),
        BadLine(line: #"{"type":"option_vol","option":"BTC-C-11000","vol":"-0.2"}"#, code: "invalid_volatility"),
        BadLine(line: #"{"type":"option_vol","option":"BTC-C-11000","vol":"10.00000001"}"#, code: "invalid_volatility"),
        BadLine(line: #"{"type":"option_vol","option":"NOPE","vol":"0.5"}"#, code: "unknown_option"),
        BadLine(line: #"{"type":"option_vol","option":"BTC-PERP","vol":"0.5"}"#, code: "unknown_option"),
        BadLine(line: #"{"type":"mark","market":"BTC-C-11000","price":"100"}"#, code: "not_a_perpetual"),
        BadLine(line: #"{"type":"funding","market":"BTC-C-11000","rate":"0.001"}"#, code: "not_a_perpetual"),
        BadLine(line: #"{"type":"market","market":"BTC-C-11000","settle":"USDC","tiers":[{"floor":"0","imr":"0.1","mmr":"0.05"}],"liquidation_fee":"0"}"#, code: "not_a_perpetual"),
        BadLine(line: #"{"type":"fill","account":"alice","market":"BTC-P-9000","size":"1","price":"100"}"#, code: "no_option_value"),
        BadLine(line: #"{"type":"fill","account":"alice","market":"BTC-C-11000","size":"0","price":"100"}"#, code: "zero_size"),
        BadLine(line: #"{"type":"fill","account":"bob","market":"BTC-C-11000","size":"-100","price":"300"}"#, code: "insufficient_margin"),
    ])
    func rejected(_ bad: BadLine) {
        var harness = Self.venue()
        harness.expectRejectedWithoutChange(bad)
    }

    @Test("the same option command again is a no-op")
    func repeatedDefinition() {
        var harness = Self.venue()
        let before = harness.engine.digest
        let events = harness.run(#"{"type":"option","option":"BTC-C-11000","market":"BTC-PERP","kind":"call","strike":"11000","expiry":\#(Self.expiry),"contract_size":"1"}"#)
        #expect(events.isEmpty)
        #expect(harness.engine.digest == before)
    }

    @Test("a position carries its entry premium and is valued at Black-76, each side rounded against its holder",
          arguments: ["1", "0.1"])
    func futuresStyleValuation(contractSize: String) throws {
        var harness = Self.venue(contractSize: contractSize)
        let size = d(contractSize).doubleValue
        harness.run(Self.tradeTwoCalls)
        // No premium changed hands.
        let alice = try #require(harness.report("alice")), bob = try #require(harness.report("bob"))
        #expect(alice.balances.first?.amount == d("10000"))
        #expect(bob.balances.first?.amount == d("5000"))
        let down = try Self.callValue(mark: 10_000, atMs: Self.start, contractSize: size, rounding: .down)
        let up = try Self.callValue(mark: 10_000, atMs: Self.start, contractSize: size, rounding: .up)
        #expect(up.raw - down.raw == 1)
        let entry = try d("300").multiplied(by: d(contractSize), rounding: .up)
        let long = try #require(alice.positions.first), short = try #require(bob.positions.first)
        #expect(long.markPrice == down && short.markPrice == up)
        // uPnL = size × contract_size × (value − entry premium).
        #expect(long.unrealizedPnL == Fixed(raw: 2 * (down.raw - entry.raw)))
        #expect(short.unrealizedPnL == Fixed(raw: -2 * (up.raw - entry.raw)))
        #expect(alice.equity == Fixed(raw: d("10000").raw + 2 * (down.raw - entry.raw)))
        // The mark of the underlying revalues the option.
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"10500","ts":\#(Self.start + Self.day)}"#)
        let moved = try Self.callValue(mark: 10_500, atMs: Self.start + Self.day, contractSize: size, rounding: .down)
        #expect(harness.report("alice")?.positions.first?.markPrice == moved)
        #expect(moved > down)
    }

    @Test("standard margin: a long option needs none, a short one Deribit's rates of the underlying plus its value")
    func standardMargin() throws {
        var harness = Self.venue()
        harness.run(Self.tradeTwoCalls)
        let alice = try #require(harness.report("alice")), bob = try #require(harness.report("bob"))
        #expect(alice.initialMargin == .zero && alice.maintenanceMargin == .zero)
        let value = try Self.callValue(mark: 10_000, atMs: Self.start, rounding: .up)
        // F = 10,000, K = 11,000: OTM = 1,000; IM/unit = max(max(1,500 − 1,000, 1,000) + V, 750 + V) = 1,000 + V.
        #expect(bob.initialMargin == Fixed(raw: 2 * (d("1000").raw + value.raw)))
        #expect(bob.maintenanceMargin == Fixed(raw: 2 * (d("750").raw + value.raw)))
        #expect(bob.positions.first?.notional == d("20000"))
    }

    @Test("standard margin formulas, case by case", arguments: [
        // kind, F, K, size, V → IM, MM
        (Black76.Kind.call, "10000", "11000", "-1", "50", "1050", "800"),   // OTM 1,000: max(500, 1,000) + 50
        (Black76.Kind.call, "10000", "10200", "-1", "50", "1350", "800"),   // OTM 200: 1,300 + 50
        (Black76.Kind.call, "10000", "9000", "-3", "1100", "7800", "5550"), // ITM: 1,500 + 1,100, × 3
        (Black76.Kind.put, "10000", "9000", "-1", "40", "1040", "790"),     // OTM 1,000
        (Black76.Kind.put, "10000", "9000", "2", "40", "0", "0"),           // long
    ] as [(Black76.Kind, String, String, String, String, String, String)])
    func standardMarginCases(kind: Black76.Kind, forward: String, strike: String, size: String, value: String,
                             initial: String, maintenance: String) throws {
        let terms = OptionTerms(underlying: 0, kind: kind, strike: d(strike), expiryMs: 1, contractSize: .one)
        let requirement = try StandardOptionMargin.requirements(terms: terms, size: d(size), forward: d(forward), valuePerContract: d(value))
        #expect(requirement.initial == d(initial))
        #expect(requirement.maintenance == d(maintenance))
    }

    @Test("at the first command with ts ≥ expiry every position settles in cash at intrinsic, and fills are refused")
    func settlementAtExpiry() throws {
        var harness = Self.venue()
        harness.run(Self.tradeTwoCalls)
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"12000","ts":\#(Self.expiry - 1)}"#)
        #expect(harness.report("alice")?.positions.count == 1)
        let events = harness.run(#"{"type":"deposit","account":"bob","asset":"USDC","amount":"1","ts":\#(Self.expiry)}"#)
        let settled = events.compactMap { event -> (String, Fixed, Fixed, Fixed)? in
            guard case let .optionSettled(account, option, size, price, pnl) = event.kind, option == "BTC-C-11000" else { return nil }
            return (account, size, price, pnl)
        }
        #expect(settled.map(\.0) == ["alice", "bob"])
        #expect(settled.map(\.1) == [d("2"), d("-2")])
        #expect(settled.allSatisfy { $0.2 == d("1000") })
        #expect(settled.map(\.3) == [d("1400"), d("-1400")])  // 2 × (1,000 − 300)
        #expect(events.last?.type != "rejected")
        let alice = try #require(harness.report("alice")), bob = try #require(harness.report("bob"))
        #expect(alice.positions.isEmpty && bob.positions.isEmpty)
        #expect(alice.balances.first?.amount == d("11400"))
        #expect(bob.balances.first?.amount == d("3601"))
        let refused = harness.run(#"{"type":"fill","account":"alice","market":"BTC-C-11000","size":"1","price":"10"}"#)
        guard case let .rejected(_, code, _)? = refused.first?.kind else {
            Issue.record("expected a rejection, got \(refused.types)")
            return
        }
        #expect(code == .optionExpired)
        #expect(harness.run(#"{"type":"option_vol","option":"BTC-C-11000","vol":"0.5"}"#).first.map { $0.kind.typeName } == "rejected")
        // Nothing settles twice.
        #expect(harness.run(#"{"type":"time","ts":\#(Self.expiry + 1)}"#).isEmpty)
    }

    @Test("an out-of-the-money option settles at zero, and a put pays K − mark", arguments: [
        ("BTC-C-11000", "10500", "0", "-600", "600"),  // call OTM: long loses its premium 2 × 300
        ("BTC-P-9000", "8500", "500", "400", "-400"),  // put ITM: 2 × (500 − 300)
    ])
    func settlementPrices(option: String, mark: String, intrinsic: String, longPnL: String, shortPnL: String) {
        var harness = Self.venue()
        harness.run("""
        {"type":"option_vol","option":"BTC-P-9000","vol":"0.6"}
        {"type":"fill","account":"alice","market":"\(option)","size":"2","price":"300"}
        {"type":"fill","account":"bob","market":"\(option)","size":"-2","price":"300"}
        {"type":"mark","market":"BTC-PERP","price":"\(mark)","ts":\(Self.expiry - 1)}
        """)
        let events = harness.run(#"{"type":"time","ts":\#(Self.expiry + 5)}"#)
        let settled = events.compactMap { event -> (Fixed, Fixed)? in
            guard case let .optionSettled(_, _, _, price, pnl) = event.kind else { return nil }
            return (price, pnl)
        }
        #expect(settled.map(\.0) == [d(intrinsic), d(intrinsic)])
        #expect(settled.map(\.1) == [d(longPnL), d(shortPnL)])
    }

    @Test("a short call is called in a rally and deleveraged on its option leg at the value rounded up")
    func shortOptionLifecycle() throws {
        var harness = Self.venue()
        let sold = harness.run(#"{"type":"fill","account":"bob","market":"BTC-C-11000","size":"-3","price":"300"}"#)
        #expect(!sold.types.contains("rejected"))
        let calm = try #require(harness.report("bob"))
        #expect(calm.equity > calm.maintenanceMargin)
        let rally = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"11200","ts":\#(Self.start + 1000)}"#)
        #expect(rally.types.contains("margin_call"))
        let called = try #require(harness.report("bob"))
        #expect(called.phase == .marginCall)
        #expect(called.equity < called.maintenanceMargin)
        let steps = harness.run(#"{"type":"time","ts":\#(Self.start + 1000 + 600_001)}"#)
        #expect(steps.types.contains("deleveraging_started"))
        let fills = steps.compactMap { event -> (String, Fixed, Fixed)? in
            guard case let .liquidationFill(_, market, size, price, _, _) = event.kind else { return nil }
            return (market, size, price)
        }
        let fill = try #require(fills.first)
        #expect(fill.0 == "BTC-C-11000")
        #expect(fill.1.isPositive && fill.1 <= d("3"))  // buys back part of the short
        let value = try Self.callValue(mark: 11_200, atMs: Self.start + 1000, rounding: .up)
        #expect(fill.2 == value)
    }

    @Test("the ledger stays balanced through option fills, revaluation and settlement")
    func ledgerBalances() throws {
        var harness = Self.venue()
        harness.run("""
        {"type":"fill","account":"alice","market":"BTC-C-11000","size":"3","price":"250.5"}
        {"type":"fill","account":"bob","market":"BTC-C-11000","size":"-3","price":"250.5"}
        {"type":"fill","account":"alice","market":"BTC-C-11000","size":"-1","price":"400"}
        {"type":"fill","account":"bob","market":"BTC-C-11000","size":"1","price":"400"}
        {"type":"mark","market":"BTC-PERP","price":"11700","ts":\(Self.expiry - 1)}
        {"type":"time","ts":\(Self.expiry)}
        """)
        // Alice: +3 @ 250.5, −1 @ 400 realizes 149.5; settlement of 2 at 700 realizes 2 × (700 − 250.5) = 899.
        #expect(harness.report("alice")?.balances.first?.amount == d("11048.5"))
        #expect(harness.report("bob")?.balances.first?.amount == d("3951.5"))
        #expect(harness.engine.ledgerSum(asset: 0) == 0)
    }
}
