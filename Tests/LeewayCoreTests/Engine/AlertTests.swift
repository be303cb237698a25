@testable import LeewayCore
import Testing

/// Nothing the engine fails to do passes silently: each case raises an `alert` with a stable
/// code, leaves the account filed for a retry where a retry can help, and changes nothing else.
@Suite("Alerts: failures the engine reports instead of skipping")
struct AlertTests {
    static let bigVenue = """
    {"type":"asset","asset":"USDC","price":"1","weight":"1"}
    {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.01","mmr":"0.005"}],"liquidation_fee":"0.005"}
    {"type":"market","market":"ETH-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.01","mmr":"0.005"}],"liquidation_fee":"0.005"}
    {"type":"deposit","account":"alice","asset":"USDC","amount":"2000000000","ts":1700000000000}
    {"type":"mark","market":"BTC-PERP","price":"10000"}
    {"type":"mark","market":"ETH-PERP","price":"10000"}
    {"type":"fill","account":"alice","market":"BTC-PERP","size":"-5000000","price":"10000"}
    {"type":"fill","account":"alice","market":"ETH-PERP","size":"-4000000","price":"10000"}
    """

    static func alerts(_ events: [Event]) -> [(account: String?, code: AlertCode)] {
        events.compactMap { event in
            guard case let .alert(account, _, code, _) = event.kind else { return nil }
            return (account, code)
        }
    }

    @Test("an account whose total notional leaves the range raises risk_overflow once, is retried, and recovers")
    func riskOverflowIsReportedAndRetried() {
        var harness = Harness()
        harness.run(Self.bigVenue)
        // Short 75 bn + 40 bn of notional: each position fits, their sum does not.
        let overflow = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"15000"}"#)
        #expect(Self.alerts(overflow).map(\.code) == [.riskOverflow])
        #expect(Self.alerts(overflow).first?.account == "alice")
        #expect(harness.engine.state.pendingRetries[0] == AlertCode.riskOverflow.rawValue)
        // Still stuck: retried at the next command, not reported again.
        #expect(Self.alerts(harness.run(#"{"type":"time","ts":1700000001000}"#)).isEmpty)
        #expect(harness.engine.state.pendingRetries[0] != nil)
        // Back in range: the retry succeeds and the account leaves the retry list.
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"10000","ts":1700000002000}"#)
        #expect(harness.engine.state.pendingRetries.isEmpty)
    }

    @Test("a zero-cooldown cascade that needs more than the action limit raises action_limit_reached and continues later")
    func actionLimitIsReported() throws {
        var harness = Harness.standard(policy: #"{"type":"policy","grace_ms":0,"step_fraction":"0.00000001","cooldown_ms":0}"#)
        harness.run("""
        {"type":"deposit","account":"alice","asset":"USDC","amount":"1000","ts":1700000000000}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000"}
        """)
        let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"9080","ts":1700000001000}"#)
        #expect(Self.alerts(events).map(\.code) == [.actionLimitReached])
        let steps = events.filter { $0.type == "liquidation_fill" }.count
        #expect(steps > 900)
        #expect(harness.report("alice")?.phase == .deleveraging)
        // The next command resumes the account where it stopped.
        let next = harness.run(#"{"type":"time","ts":1700000002000}"#)
        #expect(next.contains { $0.type == "liquidation_fill" })
    }

    @Test("a deficit no fund or counterparty can cover raises bad_debt and stays as the account's negative balance")
    func badDebtIsReported() throws {
        var harness = Harness.standard()
        harness.run("""
        {"type":"deposit","account":"alice","asset":"USDC","amount":"1000","ts":1700000000000}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000"}
        """)
        let events = harness.run(#"{"type":"mark","market":"BTC-PERP","price":"8800","ts":1700000010000}"#)
        #expect(events.types == ["liquidation_fill", "liquidated", "bankrupt", "alert"])
        #expect(Self.alerts(events).map(\.code) == [.badDebt])
        #expect(harness.report("alice")?.equity == d("-200"))
        #expect(harness.engine.state.pendingRetries.isEmpty)  // nothing a retry could change
        #expect(harness.engine.ledgerSum(asset: 0) == 0)
    }

    @Test("a commit that would grow a position in a forced close is refused whole and changes nothing")
    func invalidForcedCloseChangesNothing() throws {
        var harness = Harness.standard()
        harness.run(SoftLiquidationScenarioTests.aliceLong)
        let before = harness.engine.digest
        var transition = Transition(account: 0, failureCode: .forcedCloseFailed)  // as planClose makes it
        transition.ledger.move(d("5"), of: 0, from: .trader(0), to: .insuranceFund)
        transition.positions = [.init(account: 0, position: Position(market: 0, size: d("2"), openNotional: d("20000")))]
        #expect(throws: EngineFault.self) { try harness.engine.commit(transition) }
        do { try harness.engine.commit(transition) } catch { #expect(error.code == .forcedCloseFailed) }
        #expect(harness.engine.digest == before)
    }

    @Test("a lifecycle outcome that is illegal from the current state is refused whole and changes nothing")
    func illegalTransitionChangesNothing() throws {
        var harness = Harness.standard()
        harness.run(SoftLiquidationScenarioTests.aliceLong)
        let before = harness.engine.digest
        var transition = Transition(account: 0, outcome: .stepped(nextStepMs: 5, urgentStepMs: 5))  // healthy accounts do not step
        transition.ledger.move(d("5"), of: 0, from: .trader(0), to: .insuranceFund)
        do { try harness.engine.commit(transition); Issue.record("the commit should have thrown") } catch {
            #expect(error.code == .illegalTransition)
        }
        #expect(harness.engine.digest == before)
        #expect(harness.report("alice")?.phase == .healthy)
    }
}
