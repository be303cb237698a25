import LeewayCore
import Testing

@Suite("Cash moves and the cash slack")
struct CashSlackTests {
    @Test("a funding payment or withdrawal that crosses a threshold still warns and calls; a small one changes nothing")
    func cashMovesThatMatterAreEvaluated() {
        var harness = Harness.standard()
        harness.run(SoftLiquidationScenarioTests.aliceLong)
        harness.run(#"{"type":"deposit","account":"bob","asset":"USDC","amount":"5000"}"#)
        harness.run(#"{"type":"fill","account":"bob","market":"BTC-PERP","size":"-1","price":"10000"}"#)
        // A tiny funding payment is far inside alice's slack: no event.
        #expect(harness.run(#"{"type":"funding","market":"BTC-PERP","rate":"0.0001"}"#).isEmpty)
        // 9 % of notional (900 of her 999 equity): equity 99 < MM 100: warning and margin call.
        let events = harness.run(#"{"type":"funding","market":"BTC-PERP","rate":"0.09","ts":1700000001000}"#)
        #expect(events.types == ["warning", "margin_call"])
        // Bob received 1 + 900 (no threshold crossed); alice's deposit cures her call.
        #expect(harness.run(#"{"type":"deposit","account":"alice","asset":"USDC","amount":"1000"}"#).types == ["cured"])
        #expect(harness.report("bob")?.balances.first?.amount == d("5901"))
        #expect(harness.engine.ledgerSum(asset: 0) == 0)
    }
}
