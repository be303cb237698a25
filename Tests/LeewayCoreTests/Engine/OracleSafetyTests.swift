@testable import LeewayCore
import LeewayWire
import Testing

/// Oracle safety (`max_mark_age_ms`, `max_mark_move`, `confirm_ms` on `market`): no margin call or
/// forced close on a stale mark, and a lone spike never applied, never liquidating anyone.
@Suite("Oracle safety: stale marks pause liquidations, spikes wait for confirmation")
struct OracleSafetyTests {
    static let t0: Int64 = 1_700_000_000_000

    /// USDC, BTC-PERP (IMR 2 %, MMR 1 %) with the given oracle fields, a soft policy with a 10-minute
    /// grace, and alice long 1 BTC at 10,000 with 1,000 USDC (margin call below 9,080).
    static func venue(oracle: String = #","max_mark_age_ms":60000,"max_mark_move":"0.1","confirm_ms":120000"#) -> Harness {
        var harness = Harness()
        harness.run("""
        {"type":"asset","asset":"USDC","price":"1","weight":"1"}
        {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"\(oracle)}
        {"type":"policy","mode":"soft","grace_ms":600000}
        {"type":"deposit","account":"alice","asset":"USDC","amount":"1000","ts":\(t0)}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000"}
        """)
        return harness
    }

    static func mark(_ price: String, at ms: Int64, market: String = "BTC-PERP") -> String {
        #"{"type":"mark","market":"\#(market)","price":"\#(price)","ts":\#(ms)}"#
    }

    static func time(_ ms: Int64) -> String { #"{"type":"time","ts":\#(ms)}"# }

    /// The alert codes among `events`, with the market each names.
    static func alerts(_ events: [Event]) -> [AlertCode] {
        events.compactMap { event in
            guard case let .alert(_, _, code, _) = event.kind else { return nil }
            return code
        }
    }

    static let oracleCodes: Set<AlertCode> = [.markHeld, .markConfirmed, .markSpikeDiscarded, .liquidationsPaused, .liquidationsResumed]

    static let liquidationEvents: Set<String> = ["margin_call", "deleveraging_started", "liquidation_fill", "liquidated", "bankrupt"]

    @Test("a lone spike is held, reported, never applied and liquidates no one; the next normal mark discards it")
    func loneSpikeLiquidatesNoOne() throws {
        var harness = Self.venue()
        let spike = harness.run(Self.mark("5000", at: Self.t0 + 10_000))
        #expect(spike.types == ["alert"])
        #expect(Self.alerts(spike) == [.markHeld])
        guard case let .alert(account, market, _, message) = try #require(spike.first).kind else { return }
        #expect(account == nil)
        #expect(market == "BTC-PERP")
        #expect(message.contains("5000") && message.contains("max_mark_move"))
        #expect(harness.engine.state.markets[0].markPrice == d("10000"))
        #expect(harness.engine.state.markets[0].volatility.sampleCount == 0)
        #expect(harness.report("alice")?.phase == .healthy)

        let back = harness.run(Self.mark("10010", at: Self.t0 + 20_000))
        #expect(Self.alerts(back) == [.markSpikeDiscarded])
        #expect(harness.engine.state.markets[0].markPrice == d("10010"))
        #expect(harness.engine.state.markets[0].heldMark == nil)
        #expect(!harness.events.contains { Self.liquidationEvents.contains($0.type) })
    }

    @Test("a jump confirmed by a second mark within confirm_ms is applied and acted on")
    func confirmedJumpIsApplied() {
        var harness = Self.venue()
        #expect(Self.alerts(harness.run(Self.mark("8000", at: Self.t0 + 10_000))) == [.markHeld])
        #expect(harness.report("alice")?.phase == .healthy)
        let confirmed = harness.run(Self.mark("8050", at: Self.t0 + 50_000))
        #expect(confirmed.first.map { Self.alerts([$0]) } == [.markConfirmed])
        #expect(harness.engine.state.markets[0].markPrice == d("8050"))
        // Equity 1000 − 1950 < 0: below the hard line, closed and bankrupt at the confirmed price.
        #expect(confirmed.types.contains("liquidated"))
        #expect(confirmed.types.contains("bankrupt"))
    }

    @Test("a held mark that no mark confirms within confirm_ms is discarded when the clock passes the window")
    func heldMarkExpires() {
        var harness = Self.venue(oracle: #","max_mark_move":"0.1","confirm_ms":120000"#)
        harness.run(Self.mark("5000", at: Self.t0 + 10_000))
        #expect(harness.engine.nextTimerDueMs == Self.t0 + 10_000 + 120_001)
        #expect(Self.alerts(harness.run(Self.time(Self.t0 + 130_000))).isEmpty)  // at the window's end: still held
        let expired = harness.run(Self.time(Self.t0 + 130_001))
        #expect(Self.alerts(expired) == [.markSpikeDiscarded])
        #expect(harness.engine.state.markets[0].heldMark == nil)
        // The same price again is judged against the last accepted mark (10,000): held again.
        #expect(Self.alerts(harness.run(Self.mark("5000", at: Self.t0 + 131_000))) == [.markHeld])
        #expect(harness.report("alice")?.phase == .healthy)
    }

    @Test("a mark far from both the held mark and the last accepted one replaces the held mark")
    func disagreeingMarkReplacesHeld() {
        var harness = Self.venue()
        harness.run(Self.mark("5000", at: Self.t0 + 10_000))
        let other = harness.run(Self.mark("15000", at: Self.t0 + 20_000))
        #expect(Self.alerts(other) == [.markSpikeDiscarded, .markHeld])
        #expect(harness.engine.state.markets[0].heldMark == HeldMark(price: d("15000"), receivedMs: Self.t0 + 20_000))
        #expect(harness.engine.state.markets[0].markPrice == d("10000"))
    }

    @Test("moves are compared exactly: exactly max_mark_move is applied, one unit more is held")
    func moveBoundaryIsExact() {
        var atBound = Self.venue()
        #expect(Self.alerts(atBound.run(Self.mark("9000", at: Self.t0 + 1_000))).isEmpty)  // |9000 − 10000| = 0.1 × 10000
        #expect(atBound.engine.state.markets[0].markPrice == d("9000"))
        var beyond = Self.venue()
        #expect(Self.alerts(beyond.run(Self.mark("8999.99999999", at: Self.t0 + 1_000))) == [.markHeld])
        #expect(OracleGuard(maxMarkMove: d("0.1"), confirmMs: 1).isJump(from: d("10000"), to: d("11000.00000001")))
        #expect(!OracleGuard(maxMarkMove: d("0.1"), confirmMs: 1).isJump(from: d("10000"), to: d("11000")))
    }

    @Test("a stale mark pauses calls and forced closes; an expired deadline waits; a fresh mark resumes them")
    func staleMarkPausesLiquidations() {
        var harness = Self.venue()
        let call = harness.run(Self.mark("9080", at: Self.t0 + 60_000))
        #expect(call.types == ["warning", "margin_call"])
        let deadline = Self.t0 + 660_000
        #expect(harness.engine.nextTimerDueMs == Self.t0 + 120_001)  // the mark turns stale before the deadline
        let paused = harness.run(Self.time(Self.t0 + 120_001))
        #expect(Self.alerts(paused) == [.liquidationsPaused])
        #expect(harness.engine.state.markets[0].liquidationsPaused)
        // The deadline passes while the feed is silent: no deleveraging on the 10-minute-old mark.
        let atDeadline = harness.run(Self.time(deadline + 1))
        #expect(!atDeadline.contains { Self.liquidationEvents.contains($0.type) })
        #expect(harness.report("alice")?.phase == .marginCall)
        // A fresh mark: resumed, and the overdue account is acted on at once.
        let fresh = harness.run(Self.mark("9080", at: deadline + 5_000))
        #expect(Self.alerts(fresh) == [.liquidationsResumed])
        #expect(fresh.types.contains("deleveraging_started"))
        #expect(fresh.types.contains("liquidation_fill"))
    }

    @Test("during a pause a deposit still cures a call")
    func cureDuringPause() {
        var harness = Self.venue()
        harness.run(Self.mark("9080", at: Self.t0 + 60_000))
        harness.run(Self.time(Self.t0 + 200_000))
        #expect(harness.engine.state.markets[0].liquidationsPaused)
        let cure = harness.run(#"{"type":"deposit","account":"alice","asset":"USDC","amount":"500"}"#)
        #expect(cure.types == ["cured"])
    }

    @Test("an account holding a paused market gets no new call when another market's mark moves against it")
    func pausedMarketBlocksNewCallsFromOtherMarkets() {
        var harness = Harness()
        harness.run("""
        {"type":"asset","asset":"USDC","price":"1","weight":"1"}
        {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005","max_mark_age_ms":60000}
        {"type":"market","market":"ETH-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"}
        {"type":"policy","mode":"soft","grace_ms":600000}
        {"type":"deposit","account":"alice","asset":"USDC","amount":"1000","ts":\(Self.t0)}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"mark","market":"ETH-PERP","price":"1000"}
        {"type":"fill","account":"alice","market":"BTC-PERP","size":"0.01","price":"10000"}
        {"type":"fill","account":"alice","market":"ETH-PERP","size":"10","price":"1000"}
        """)
        #expect(Self.alerts(harness.run(Self.mark("1000", at: Self.t0 + 60_001, market: "ETH-PERP"))) == [.liquidationsPaused])
        // ETH falls 9.5 %: equity 50 < MM 90.5 + 1, a call — but alice also holds BTC, whose mark is stale.
        let fall = harness.run(Self.mark("905", at: Self.t0 + 61_000, market: "ETH-PERP"))
        #expect(!fall.contains { Self.liquidationEvents.contains($0.type) })
        #expect(fall.types.contains("warning"))  // warnings are not liquidations: they go on
        let fresh = harness.run(Self.mark("10000", at: Self.t0 + 62_000))
        #expect(Self.alerts(fresh) == [.liquidationsResumed])
        #expect(fresh.types.contains("margin_call"))
    }

    @Test("without oracle fields every mark is applied at once, however far and however late")
    func noGuardAppliesEverything() {
        var harness = Self.venue(oracle: "")
        let crash = harness.run(Self.mark("5000", at: Self.t0 + 10_000_000))
        #expect(Self.alerts(crash).allSatisfy { !Self.oracleCodes.contains($0) })
        #expect(crash.types.contains("liquidated"))
        #expect(harness.engine.nextTimerDueMs == nil)
    }

    @Test("redefining the market without max_mark_move discards a held mark, and without max_mark_age_ms ends a pause")
    func redefiningTheGuard() {
        var harness = Self.venue()
        harness.run(Self.mark("5000", at: Self.t0 + 10_000))
        let redefined = harness.run(#"{"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005","max_mark_age_ms":60000}"#)
        #expect(Self.alerts(redefined) == [.markSpikeDiscarded])
        #expect(Self.alerts(harness.run(Self.time(Self.t0 + 100_000))) == [.liquidationsPaused])
        let unguarded = harness.run(#"{"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"}"#)
        #expect(Self.alerts(unguarded) == [.liquidationsResumed])
        #expect(!harness.engine.state.markets[0].liquidationsPaused)
    }

    @Test("invalid oracle fields are refused with invalid_oracle_guard and change nothing", arguments: [
        (#","max_mark_age_ms":0"#, "max_mark_age_ms"),
        (#","max_mark_age_ms":-5"#, "max_mark_age_ms"),
        (#","max_mark_move":"0.1""#, "confirm_ms"),
        (#","confirm_ms":1000"#, "max_mark_move"),
        (#","max_mark_move":"0","confirm_ms":1000"#, "max_mark_move"),
        (#","max_mark_move":"-0.1","confirm_ms":1000"#, "max_mark_move"),
        (#","max_mark_move":"1000.00000001","confirm_ms":1000"#, "max_mark_move"),
        (#","max_mark_move":"0.1","confirm_ms":0"#, "confirm_ms"),
    ])
    func invalidFieldsAreRefused(fields: String, named: String) throws {
        var harness = Self.venue()
        let before = harness.engine.digest
        let events = harness.run(#"{"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"\#(fields)}"#)
        guard case let .rejected(_, code, message) = try #require(events.first).kind else {
            Issue.record("expected a rejection, got \(events.types)")
            return
        }
        #expect(code == .invalidOracleGuard)
        #expect(message.contains(named))
        #expect(harness.digestBeforeLastEvent == before)
    }

    @Test("the paused and held states survive a snapshot restore and give the same events afterwards")
    func stateSurvivesRestore() {
        var harness = Self.venue()
        harness.run(Self.mark("9080", at: Self.t0 + 60_000))
        harness.run(Self.time(Self.t0 + 200_000))
        harness.run(Self.mark("5000", at: Self.t0 + 210_000))
        var restored = Engine(state: harness.engine.state)
        #expect(restored.digest == harness.engine.digest)
        #expect(restored.nextTimerDueMs == harness.engine.nextTimerDueMs)
        let later = Self.mark("9080", at: Self.t0 + 700_000)
        let original = harness.run(later)
        let replayed = CommandStream.apply(line: Substring(later), lineNumber: 1, to: &restored)
        #expect(replayed == original)
        #expect(restored.digest == harness.engine.digest)
    }
}
