import LeewayCore
import Testing

@Suite("Soft-liquidation scenarios through the engine")
struct SoftLiquidationScenarioTests {
    static let aliceLong = """
    {"type":"deposit","account":"alice","asset":"USDC","amount":"1000","ts":1700000000000}
    {"type":"mark","market":"BTC-PERP","price":"10000"}
    {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000"}
    """

    @Test("the spec example: a margin call at 9,080 is cured by a deposit before the deadline")
    func specExampleCure() throws {
        var harness = Harness.standard()
        harness.run(Self.aliceLong)
        let call = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9080","ts":1700000060000}"#)
        #expect(call.types == ["warning", "margin_call"])
        #expect(call.last?.kind == .marginCall(account: "alice", equity: d("80"), maintenance: d("90.8"), deadlineMs: 1_700_000_660_000, graceMs: 600_000))
        let cure = harness.run(#"{"type":"deposit","account":"alice","asset":"USDC","amount":"500","ts":1700000120000}"#)
        #expect(cure.types == ["cured"])
        #expect(harness.report("alice")?.phase == .healthy)
        #expect(harness.report("alice")?.positions.first?.size == d("1"))
    }

    @Test("warning and its clearing happen at MM × (1 + warning_buffer)")
    func warningHysteresis() {
        var harness = Harness.standard()
        harness.run(Self.aliceLong)
        // MM at 9,100 is 91; equity 100 < 91 × 1.25 = 113.75 → warning, but ≥ MM: no call.
        #expect(harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9100"}"#).types == ["warning"])
        #expect(harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9105"}"#).isEmpty)
        // At 9,200 equity 200 ≥ 92 × 1.25: cleared.
        #expect(harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9200"}"#).types == ["warning_cleared"])
    }

    @Test("cure needs equity ≥ MM × (1 + cure_buffer), not just ≥ MM")
    func cureHysteresis() {
        var harness = Harness.standard()
        harness.run(Self.aliceLong)
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9080","ts":1700000060000}"#)
        // At 9,095 equity 95 ≥ MM 90.95 but < 90.95 × 1.1: still in the call.
        #expect(harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9095"}"#).isEmpty)
        #expect(harness.report("alice")?.phase == .marginCall)
        // At 9,120 equity 120 ≥ 91.2 × 1.1 = 100.32: cured.
        #expect(harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9120"}"#).types == ["cured"])
    }

    @Test("after the deadline the account is deleveraged in steps with a cooldown, each step at most step_fraction")
    func steppedDeleveraging() throws {
        var harness = Harness.standard(policy: #"{"type":"policy","grace_ms":60000,"step_fraction":"0.25","cooldown_ms":30000}"#)
        harness.run(Self.aliceLong)
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9060","ts":1700000010000}"#)
        #expect(harness.report("alice")?.phase == .marginCall)
        // Not yet at the deadline (1700000070000): nothing.
        #expect(harness.run(#"{"type":"time","ts":1700000069999}"#).isEmpty)
        let first = harness.run(#"{"type":"time","ts":1700000070000}"#)
        #expect(first.types == ["deleveraging_started", "liquidation_fill"])
        guard case let .liquidationFill(_, _, size, price, fee, reason) = try #require(first.last?.kind) else { return }
        #expect(reason == .step)
        #expect(price == d("9060"))
        #expect(size.isNegative && size.magnitude <= d("0.25"))
        #expect(fee == (try size.magnitude.multiplied(by: d("9060"), rounding: .up).multiplied(by: d("0.005"), rounding: .up)))
        // Within the cooldown nothing more happens, even if the price keeps falling a little.
        #expect(harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9055","ts":1700000080000}"#).isEmpty)
        let second = harness.run(#"{"type":"time","ts":1700000100000}"#)
        #expect(second.first?.type == "liquidation_fill")
        #expect(harness.report("alice").map { $0.positions.first?.size ?? .zero }.map { $0 < d("0.75") } == true)
    }

    @Test("a step closes only what restores equity ≥ MM × (1 + cure_buffer), counting its own fee, and cures")
    func stepClosesJustEnough() throws {
        var harness = Harness.standard(policy: #"{"type":"policy","grace_ms":0,"step_fraction":"0.5","cooldown_ms":30000}"#)
        harness.run(Self.aliceLong)
        let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9085","ts":1700000010000}"#)
        // Cured at MM × 1.1, the account is still under MM × 1.25, so it is back in `warning`.
        #expect(events.types == ["warning", "margin_call", "deleveraging_started", "liquidation_fill", "cured", "warning"])
        guard case let .liquidationFill(_, _, size, _, _, _) = try #require(events.first { $0.type == "liquidation_fill" }?.kind) else { return }
        // Equity 85 vs MM 90.85: closing q needs 85 − 45.425q ≥ 1.1 × 90.85 × (1 − q) → q ≥ 0.2598…;
        // the planner finds the smallest such fraction (to 10⁻⁸) and rounds sizes up.
        #expect(size.magnitude < d("0.5"))
        #expect(size.magnitude > d("0.259"))
        let report = try #require(harness.report("alice"))
        #expect(report.equity >= (try report.maintenanceMargin.multiplied(by: d("1.1"), rounding: .up)))
    }

    @Test("equity below MM × hard_fraction closes everything at once, grace or not")
    func hardBreach() {
        var harness = Harness.standard()
        harness.run(Self.aliceLong)
        // At 9,040 equity 40 < 90.4 × 0.5 = 45.2.
        let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9040","ts":1700000010000}"#)
        #expect(events.types == ["liquidation_fill", "liquidated"])
        if case let .liquidationFill(_, _, size, _, fee, reason)? = events.first?.kind {
            #expect(size == d("-1"))
            #expect(reason == .full)
            #expect(fee == d("40"))  // 0.5 % × 9,040 = 45.2, capped at the equity left (40)
        }
        #expect(harness.report("alice")?.phase == .liquidated)
        #expect(harness.report("alice")?.equity == .zero)
    }

    @Test("hard mode closes everything as soon as equity < MM, with no margin call")
    func hardMode() {
        var harness = Harness.standard(policy: #"{"type":"policy","mode":"hard"}"#)
        harness.run(Self.aliceLong)
        let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9080"}"#)
        #expect(events.types == ["warning", "liquidation_fill", "liquidated"] || events.types == ["liquidation_fill", "liquidated"])
        #expect(!events.types.contains("margin_call"))
    }

    @Test("during a call, risk-increasing fills and withdrawals are refused; risk-reducing fills are accepted")
    func restrictionsDuringCall() {
        var harness = Harness.standard()
        harness.run(Self.aliceLong)
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9080","ts":1700000060000}"#)
        let increase = harness.run(#"{"type":"fill","account":"alice","market":"BTC-PERP","size":"0.1","price":"9080"}"#)
        #expect(increase.map(\.kind) == [.rejected(command: .line(harness.events.count > 0 ? 8 : 0), code: .marginCallActive, message: "account \"alice\" is in margin_call; only risk-reducing fills are accepted until the call is cured")])
        let withdraw = harness.run(#"{"type":"withdraw","account":"alice","asset":"USDC","amount":"1"}"#)
        if case let .rejected(_, code, _)? = withdraw.first?.kind { #expect(code.rawValue == "margin_call_active") } else { Issue.record("withdrawal not refused") }
        let reduce = harness.run(#"{"type":"fill","account":"alice","market":"BTC-PERP","size":"-0.5","price":"9080"}"#)
        #expect(reduce.types == ["cured"])
    }

    @Test("a gap to bankruptcy: the insurance fund pays what it can, ADL recovers the rest from the most profitable short")
    func bankruptcyInsuranceAndADL() throws {
        var harness = Harness.standard()
        harness.run("""
        {"type":"insurance_deposit","amount":"50"}
        \(Self.aliceLong)
        {"type":"deposit","account":"bob","asset":"USDC","amount":"5000"}
        {"type":"fill","account":"bob","market":"BTC-PERP","size":"-1","price":"10000"}
        {"type":"deposit","account":"carol","asset":"USDC","amount":"5000"}
        {"type":"fill","account":"carol","market":"BTC-PERP","size":"-2","price":"10500"}
        """)
        // The mark gaps from 10,000 to 8,800: alice's equity is −200.
        let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"8800","ts":1700000010000}"#)
        #expect(events.types.prefix(2) == ["liquidation_fill", "liquidated"])
        #expect(events.types.contains("adl_fill"))
        let bankrupt = try #require(events.first { $0.type == "bankrupt" })
        guard case let .bankrupt(account, asset, deficit, insurancePaid, adlRecovered) = bankrupt.kind else { return }
        #expect(asset == "USDC")
        #expect(account == "alice")
        #expect(deficit == d("200"))  // no fee: the cap keeps the fee from deepening a deficit
        #expect(insurancePaid == d("50"))
        #expect(adlRecovered == d("150"))
        // Carol's short (+1,700 each on 2 at 10,500 entry, 2.3× score) outranks bob's (+1,200 on 1).
        let adl = try #require(events.first { $0.type == "adl_fill" })
        guard case let .adlFill(counterparty, _, size, price, amount) = adl.kind else { return }
        #expect(amount == d("150"))  // 0.75 × (9,000 − 8,800)
        #expect(counterparty == "carol")
        #expect(size == d("0.75"))  // 150 recovered at δ = 200 per BTC
        #expect(price == d("9000"))  // alice's bankruptcy price: 8,800 + 200/1
        #expect(harness.report("alice")?.phase == .bankrupt)
        #expect(harness.report("alice")?.equity == .zero)
        #expect(harness.engine.insuranceFund(asset: "USDC") == WideAmount.zero)
        #expect(harness.engine.ledgerSum(asset: 0) == 0)
    }

    @Test("two bankruptcies in one tick share one ADL queue: the second starts where the first left off")
    func twoBankruptciesShareTheADLQueue() throws {
        var harness = Harness.standard()
        harness.run("""
        \(Self.aliceLong)
        {"type":"deposit","account":"bob","asset":"USDC","amount":"5000"}
        {"type":"fill","account":"bob","market":"BTC-PERP","size":"-1","price":"10000"}
        {"type":"deposit","account":"carol","asset":"USDC","amount":"5000"}
        {"type":"fill","account":"carol","market":"BTC-PERP","size":"-1.5","price":"10500"}
        {"type":"deposit","account":"dave","asset":"USDC","amount":"1000"}
        {"type":"fill","account":"dave","market":"BTC-PERP","size":"1","price":"10000"}
        """)
        // No insurance fund: both longs end at equity −200 and ADL recovers all of it at δ = 200.
        let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"8800","ts":1700000010000}"#)
        let fills = events.compactMap { event -> (String, Fixed)? in
            guard case let .adlFill(account, _, size, _, _) = event.kind else { return nil }
            return (account, size)
        }
        #expect(fills.map(\.0) == ["carol", "carol", "bob"])
        #expect(fills.map(\.1) == [d("1"), d("0.5"), d("0.5")])
        let recovered = events.compactMap { event -> Fixed? in
            guard case let .bankrupt(_, _, _, _, adlRecovered) = event.kind else { return nil }
            return adlRecovered
        }
        #expect(recovered == [d("200"), d("200")])
        #expect(harness.report("carol")?.positions.isEmpty == true)
        #expect(harness.report("bob")?.positions.first?.size == d("-0.5"))
        #expect(harness.engine.ledgerSum(asset: 0) == 0)
    }

    @Test("a volatility-scaled grace period is reported in the margin call and lies in [min_ms, max_ms]")
    func volatilityScaledGrace() throws {
        var harness = Harness.standard(policy: #"{"type":"policy","grace":{"max_breach_probability":"0.01","min_ms":60000,"max_ms":3600000}}"#)
        harness.run(Self.aliceLong)
        for (minute, price) in ["9990", "10010", "9980", "10020", "9950"].enumerated() {
            harness.run(#"{"type":"mark","market":"BTC-PERP","price":"\#(price)","ts":\#(1_700_000_000_000 + Int64(minute + 1) * 60_000)}"#)
        }
        let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9085","ts":1700000400000}"#)
        let call = try #require(events.first { $0.type == "margin_call" })
        guard case let .marginCall(_, _, _, deadline, grace, _) = call.kind else { return }
        #expect((60_000...3_600_000).contains(grace))
        #expect(deadline == 1_700_000_400_000 + grace)
    }
}
