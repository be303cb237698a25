import LeewayCore
import Testing

/// Part 2 of the spec through the engine: the call and its grace above MM, steps in the zone at
/// the pre-liquidation fee, fast steps below MM, toxic close, dynamic margin, reserves and auto
/// top-up. Alice is long 1 BTC from 10,000 with 1,000 USDC: equity = mark − 9,000, MM = 1 % of the
/// mark, liquidation fee 0.5 %.
@Suite("Soft liquidation above the hard line (policy part 2)")
struct PreLiquidationZoneTests {
    /// Call at 1.5 × MM (cure 1.6, warning 1.75), 60 s grace, zone steps of 20 % every 60 s at a
    /// 0.1 % fee, below MM steps of 50 % every 5 s.
    static let zoned = #"{"type":"policy","call_level":"1.5","grace_ms":60000,"step_fraction":"0.2","cooldown_ms":60000,"pre_liquidation_fee":"0.001","liquidation_step_fraction":"0.5","liquidation_cooldown_ms":5000}"#

    static func zonedHarness(_ policy: String = zoned) -> Harness {
        var harness = Harness.standard(policy: policy)
        harness.run(SoftLiquidationScenarioTests.aliceLong)
        return harness
    }

    /// The zoned harness with 500 USDC in alice's reserve and an auto top-up of at most `maxAmount`.
    static func protectedHarness(maxAmount: String) -> Harness {
        var harness = zonedHarness()
        harness.run("""
        {"type":"deposit","account":"alice","asset":"USDC","amount":"500","to":"reserve"}
        {"type":"protect","account":"alice","auto_topup":{"asset":"USDC","max_amount":"\(maxAmount)"}}
        """)
        return harness
    }

    @Test("the margin call comes at MM × call_level, above MM, and names its call level")
    func callAboveMaintenance() throws {
        // At 9,120: equity 120, MM 91.2. Part 1 does nothing (120 ≥ 1.25 × MM = 114); the zone
        // calls (120 < 1.5 × 91.2 = 136.8).
        var part1 = Harness.standard()
        part1.run(SoftLiquidationScenarioTests.aliceLong)
        #expect(part1.run(#"{"type":"mark","market":"BTC-PERP","price":"9120","ts":1700000010000}"#).isEmpty)

        var zoned = Self.zonedHarness()
        let events = zoned.run(#"{"type":"mark","market":"BTC-PERP","price":"9120","ts":1700000010000}"#)
        #expect(events.types == ["warning", "margin_call"])
        #expect(events.last?.kind == .marginCall(account: "alice", equity: d("120"), maintenance: d("91.2"),
                                                 deadlineMs: 1_700_000_070_000, graceMs: 60_000, callLevel: d("1.5")))
        let report = try #require(zoned.report("alice"))
        #expect(report.distanceToMarginCall == d("-16.8"))  // 120 − 1.5 × 91.2
        #expect(report.depositToCure == d("25.92"))  // 1.6 × 91.2 − 120
    }

    @Test("cure needs MM × (call_level + cure_buffer)")
    func cureAtTheZoneCureLine() {
        var harness = Self.zonedHarness()
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9120","ts":1700000010000}"#)
        // 9,140: equity 140 < 1.6 × 91.4 = 146.24, still called; 9,150: 150 ≥ 146.4, cured.
        #expect(harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9140"}"#).isEmpty)
        // Cured into healthy, and still below the warning line 1.75 × MM: warned again at once.
        #expect(harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9150"}"#).types == ["cured", "warning"])
    }

    @Test("at the deadline above MM, a step restores the cure line and pays the pre-liquidation fee")
    func zoneStepAtThePreLiquidationFee() throws {
        var harness = Self.zonedHarness()
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9120","ts":1700000010000}"#)
        #expect(harness.run(#"{"type":"time","ts":1700000069999}"#).isEmpty)
        let step = harness.run(#"{"type":"time","ts":1700000070000}"#)
        #expect(step.types == ["deleveraging_started", "liquidation_fill", "cured", "warning"])
        guard case let .liquidationFill(_, _, size, price, fee, reason) = try #require(step.dropFirst().first?.kind) else { return }
        #expect(reason == .step)
        #expect(price == d("9120"))
        // The smallest f with 120 − f·9,120·0.001 ≥ 1.6 · (1 − f) · 91.2; f ≤ step_fraction 0.2.
        let closed = size.magnitude
        #expect(closed <= d("0.2"))
        #expect(fee == (try closed.multiplied(by: d("9120"), rounding: .up).multiplied(by: d("0.001"), rounding: .up)))
        let report = try #require(harness.report("alice"))
        #expect(report.equity >= (try report.maintenanceMargin.multiplied(by: d("1.6"), rounding: .up)))
        let lessByOneUnit = Fixed(raw: closed.raw - 1)
        let remainingMM = try Fixed(raw: d("1").raw - lessByOneUnit.raw).multiplied(by: d("91.2"), rounding: .up)
        let feeIfLess = try lessByOneUnit.multiplied(by: d("9120"), rounding: .up).multiplied(by: d("0.001"), rounding: .up)
        #expect((try d("120").subtracting(feeIfLess)) < (try remainingMM.multiplied(by: d("1.6"), rounding: .up)))  // minimal
    }

    @Test("below MM the grace ends at once: steps of liquidation_step_fraction at the liquidation fee, one every liquidation_cooldown_ms")
    func fastStepsBelowMaintenance() throws {
        var harness = Self.zonedHarness()
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9120","ts":1700000010000}"#)
        // 9,060: equity 60 < MM 90.6. No waiting for the 60 s deadline.
        let breach = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9060","ts":1700000011000}"#)
        #expect(breach.types == ["deleveraging_started", "liquidation_fill"])
        guard case let .liquidationFill(_, _, size, _, fee, reason) = try #require(breach.last?.kind) else { return }
        #expect(reason == .step)
        #expect(size == d("-0.5"))  // 50 %: even the largest step cannot restore 1.6 × MM from 60
        #expect(fee == d("22.65"))  // 0.5 × 9,060 × 0.005: the market's fee below MM
        // Equity 37.35 against MM 45.3: still below MM, the next step waits 5 s (not 60 s).
        #expect(harness.run(#"{"type":"time","ts":1700000015999}"#).isEmpty)
        let second = harness.run(#"{"type":"time","ts":1700000016000}"#)
        #expect(second.types.first == "liquidation_fill")
    }

    @Test("a fast step that lifts the account above MM hands it back to the zone pace and fee")
    func zonePaceAboveMaintenance() throws {
        var harness = Self.zonedHarness()
        // 9,080: equity 80 < MM 90.8: a 50 % step at 0.5 % leaves 57.3 against MM 45.4, in the zone.
        let breach = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9080","ts":1700000010000}"#)
        #expect(breach.types == ["warning", "margin_call", "deleveraging_started", "liquidation_fill"])
        let report = try #require(harness.report("alice"))
        #expect(report.equity == d("57.3"))
        #expect(report.maintenanceMargin == d("45.4"))
        #expect(harness.run(#"{"type":"time","ts":1700000015000}"#).isEmpty)  // not the 5 s pace
        let zoneStep = harness.run(#"{"type":"time","ts":1700000070000}"#)
        guard case let .liquidationFill(_, _, size, _, fee, .step)? = zoneStep.first?.kind else {
            Issue.record("expected a zone step, got \(zoneStep.types)")
            return
        }
        #expect(size.magnitude <= d("0.1"))  // at most step_fraction 0.2 of the 0.5 left
        #expect(fee == (try size.magnitude.multiplied(by: d("9080"), rounding: .up).multiplied(by: d("0.001"), rounding: .up)))
    }

    @Test("toxic_close: below MM, an account whose equity is within fee + expected slippage of nothing is closed in full")
    func toxicClose() throws {
        // Hard line at 0 so that only the toxic test can close in full. At 9,040 equity 40 ≤ 9,040 × 0.005 = 45.2.
        let base = #""grace_ms":60000,"hard_fraction":"0","liquidation_step_fraction":"0.25""#
        var toxic = Self.zonedHarness(#"{"type":"policy",\#(base),"toxic_close":true}"#)
        let closed = toxic.run(#"{"type":"mark","market":"BTC-PERP","price":"9040","ts":1700000010000}"#)
        #expect(closed.types.contains("liquidated"))
        #expect(closed.contains { if case .liquidationFill(_, _, d("-1"), _, _, .full) = $0.kind { return true } else { return false } })

        var stepped = Self.zonedHarness(#"{"type":"policy",\#(base)}"#)
        let step = stepped.run(#"{"type":"mark","market":"BTC-PERP","price":"9040","ts":1700000010000}"#)
        #expect(step.types == ["warning", "margin_call", "deleveraging_started", "liquidation_fill"])

        // 9,060: equity 60 > 45.3 but ≤ 9,060 × (0.005 + 0.002) = 63.42 once the market expects 0.2 % slippage.
        var slipping = Harness.standard(policy: #"{"type":"policy",\#(base),"toxic_close":true}"#)
        slipping.run(#"{"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005","expected_slippage":"0.002"}"#)
        slipping.run(SoftLiquidationScenarioTests.aliceLong)
        #expect(slipping.run(#"{"type":"mark","market":"BTC-PERP","price":"9060","ts":1700000010000}"#).types.contains("liquidated"))
    }

    @Test("auto top-up cures the call from the reserve, within max_amount, with one double entry")
    func autoTopup() throws {
        var harness = Self.protectedHarness(maxAmount: "300")
        #expect(harness.report("alice")?.equity == d("1000"))  // a reserve is not collateral
        let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9120","ts":1700000010000}"#)
        // Needed: 1.6 × 91.2 − 120 = 25.92, plus 10⁻⁸ for the collateral value's rounding.
        #expect(events.types == ["warning", "auto_topup"])
        #expect(events.last?.kind == .autoTopup(account: "alice", asset: "USDC", amount: d("25.92000001")))
        let report = try #require(harness.report("alice"))
        #expect(report.phase == .warning)
        #expect(report.reserves == [AssetAmount(asset: "USDC", amount: d("474.07999999"))])
        #expect(report.autoTopupRemaining == AssetAmount(asset: "USDC", amount: d("274.07999999")))
        #expect(harness.engine.ledgerSum(asset: 0) == 0)
    }

    @Test("auto top-up capped by max_amount moves what it may, then the call follows")
    func autoTopupCapped() throws {
        var harness = Self.protectedHarness(maxAmount: "10")
        let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9120","ts":1700000010000}"#)
        #expect(events.types == ["warning", "auto_topup", "margin_call"])
        #expect(events.dropFirst().first?.kind == .autoTopup(account: "alice", asset: "USDC", amount: d("10")))
        #expect(harness.report("alice")?.autoTopupRemaining?.amount == .zero)
        // A fresh protect restores the budget, and the call in progress is cured from it.
        let cured = harness.run(#"{"type":"protect","account":"alice","auto_topup":{"asset":"USDC","max_amount":"100"}}"#)
        #expect(cured.types == ["auto_topup", "cured", "warning"])
    }

    struct BadCommand: Sendable, CustomTestStringConvertible {
        var name: String
        var line: String
        var code: RejectionCode
        var testDescription: String { name }
    }

    static let badCommands: [BadCommand] = [
        BadCommand(name: "call_level below 1", line: #"{"type":"policy","call_level":"0.9"}"#, code: .invalidPolicy),
        BadCommand(name: "call_level above 100", line: #"{"type":"policy","call_level":"101"}"#, code: .invalidPolicy),
        BadCommand(name: "a zero liquidation step", line: #"{"type":"policy","liquidation_step_fraction":"0"}"#, code: .invalidPolicy),
        BadCommand(name: "a liquidation step above 1", line: #"{"type":"policy","liquidation_step_fraction":"1.5"}"#, code: .invalidPolicy),
        BadCommand(name: "a liquidation cooldown without steps", line: #"{"type":"policy","liquidation_cooldown_ms":1000}"#, code: .invalidPolicy),
        BadCommand(name: "a negative liquidation cooldown", line: #"{"type":"policy","liquidation_step_fraction":"0.5","liquidation_cooldown_ms":-1}"#, code: .invalidPolicy),
        BadCommand(name: "a pre-liquidation fee of 1", line: #"{"type":"policy","pre_liquidation_fee":"1"}"#, code: .invalidPolicy),
        BadCommand(name: "toxic_close as a string", line: #"{"type":"policy","toxic_close":"yes"}"#, code: .invalidField),
        BadCommand(name: "hard mode with a call level", line: #"{"type":"policy","mode":"hard","call_level":"1.5"}"#, code: .invalidPolicy),
        BadCommand(name: "hard mode with toxic close", line: #"{"type":"policy","mode":"hard","toxic_close":true}"#, code: .invalidPolicy),
        BadCommand(name: "dynamic margin with a zero reference", line: #"{"type":"policy","dynamic_margin":{"reference_volatility":"0","max_multiplier":"2"}}"#, code: .invalidPolicy),
        BadCommand(name: "dynamic margin with a multiplier below 1", line: #"{"type":"policy","dynamic_margin":{"reference_volatility":"0.04","max_multiplier":"0.5"}}"#, code: .invalidPolicy),
        BadCommand(name: "dynamic margin with an unknown field", line: #"{"type":"policy","dynamic_margin":{"reference_volatility":"0.04","max_multiplier":"2","floor":"1"}}"#, code: .unknownField),
        BadCommand(name: "call_level × max_multiplier above 100", line: #"{"type":"policy","call_level":"60","dynamic_margin":{"reference_volatility":"0.04","max_multiplier":"2"}}"#, code: .invalidPolicy),
        BadCommand(name: "expected_slippage of 1", line: #"{"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005","expected_slippage":"1"}"#, code: .invalidFee),
        BadCommand(name: "protect without a reserve", line: #"{"type":"protect","account":"alice","auto_topup":{"asset":"USDC","max_amount":"10"}}"#, code: .noReserve),
        BadCommand(name: "protect from an unknown asset", line: #"{"type":"protect","account":"alice","auto_topup":{"asset":"EUR","max_amount":"10"}}"#, code: .unknownAsset),
        BadCommand(name: "protect an unknown account", line: #"{"type":"protect","account":"zed","auto_topup":{"asset":"USDC","max_amount":"10"}}"#, code: .unknownAccount),
        BadCommand(name: "protect with a zero budget", line: #"{"type":"protect","account":"alice","auto_topup":{"asset":"USDC","max_amount":"0"}}"#, code: .notPositive),
        BadCommand(name: "a deposit to an unknown balance kind", line: #"{"type":"deposit","account":"alice","asset":"USDC","amount":"1","to":"savings"}"#, code: .invalidField),
        BadCommand(name: "a reserve withdrawal beyond the reserve", line: #"{"type":"withdraw","account":"alice","asset":"USDC","amount":"1","from":"reserve"}"#, code: .insufficientBalance),
    ]

    @Test("out-of-range or contradictory part-2 input is rejected with its code and changes nothing", arguments: badCommands)
    func badInput(_ bad: BadCommand) throws {
        var harness = Self.zonedHarness()
        let before = harness.engine.digest
        let events = harness.run(bad.line)
        guard case let .rejected(_, code, message)? = events.first?.kind else {
            Issue.record("expected a rejection, got \(events.types)")
            return
        }
        #expect(events.count == 1)
        #expect(code == bad.code, "\(message)")
        #expect(!message.isEmpty)
        #expect(harness.digestBeforeLastEvent == before)
    }

    @Test("a reserve can be withdrawn during a margin call; collateral cannot")
    func reserveWithdrawalDuringACall() {
        var harness = Self.zonedHarness()
        harness.run(#"{"type":"deposit","account":"alice","asset":"USDC","amount":"50","to":"reserve"}"#)
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9120","ts":1700000010000}"#)
        #expect(harness.report("alice")?.phase == .marginCall)
        #expect(harness.run(#"{"type":"withdraw","account":"alice","asset":"USDC","amount":"1"}"#).first?.kind.typeName == "rejected")
        #expect(harness.run(#"{"type":"withdraw","account":"alice","asset":"USDC","amount":"50","from":"reserve"}"#).isEmpty)
        #expect(harness.report("alice")?.reserves.isEmpty == true)
        #expect(harness.engine.ledgerSum(asset: 0) == 0)
    }

    @Test("dynamic margin: high volatility widens the call line and the IM of risk-increasing fills, never MM")
    func dynamicMargin() throws {
        // A reference volatility so small that any move puts m at its maximum of 2.
        var harness = Harness.standard(policy: #"{"type":"policy","call_level":"1.5","dynamic_margin":{"reference_volatility":"0.0001","max_multiplier":"2"}}"#)
        harness.run("""
        {"type":"deposit","account":"alice","asset":"USDC","amount":"1000","ts":1700000000000}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000"}
        {"type":"mark","market":"BTC-PERP","price":"10010","ts":1700000001000}
        {"type":"mark","market":"BTC-PERP","price":"10000","ts":1700000002000}
        """)
        // IM of 1 more BTC at m = 2: 2 × 2 % × 20,000 = 800 > equity 1,000 − … ; part 1 IM would be 400.
        let refused = harness.run(#"{"type":"fill","account":"alice","market":"BTC-PERP","size":"3","price":"10000"}"#)
        guard case let .rejected(_, code, message)? = refused.first?.kind else {
            Issue.record("expected insufficient_margin, got \(refused.types)")
            return
        }
        #expect(code == .insufficientMargin)
        #expect(message.contains("dynamic margin"))
        // The call line doubles to 3 × MM: at 9,250 equity 250 < 3 × 92.5 = 277.5 is called.
        let call = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9250","ts":1700000003000}"#)
        #expect(call.types.contains("margin_call"))
        guard case let .marginCall(_, _, maintenance, _, _, callLevel)? = call.first(where: { $0.type == "margin_call" })?.kind else { return }
        #expect(callLevel == d("3"))
        #expect(maintenance == d("92.5"))  // MM itself is never scaled
    }
}
