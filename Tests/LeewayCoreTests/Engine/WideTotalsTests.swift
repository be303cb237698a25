import LeewayCore
import Testing

/// The venue's own ledger accounts are totals over many traders: they must not overflow before
/// a single trader's balance does, and an overflow must blame the right account.
@Suite("Wide ledger totals")
struct WideTotalsTests {
    @Test("deposits and insurance far beyond one balance's range are accepted: only each balance is bounded")
    func totalsExceedOneBalance() throws {
        var harness = Harness.standard()
        for account in ["a", "b", "c"] {
            let events = harness.run(#"{"type":"deposit","account":"\#(account)","asset":"USDC","amount":"90000000000"}"#)
            #expect(events.isEmpty)
        }
        harness.run(#"{"type":"insurance_deposit","amount":"90000000000"}"#)
        harness.run(#"{"type":"insurance_deposit","amount":"90000000000"}"#)
        #expect(harness.engine.insuranceFund(asset: "USDC")?.description == "180000000000")
        #expect(harness.engine.state.outsideWorld[0].description == "-450000000000")
        #expect(harness.engine.ledgerSum(asset: 0) == 0)
    }

    @Test("a deposit that overflows one trader's balance is refused naming that account, and changes nothing")
    func overflowNamesTheTrader() throws {
        var harness = Harness.standard()
        harness.run(#"{"type":"deposit","account":"alice","asset":"USDC","amount":"90000000000"}"#)
        let before = (harness.report("alice"), harness.engine.state.outsideWorld)
        let events = harness.run(#"{"type":"deposit","account":"alice","asset":"USDC","amount":"5000000000"}"#)
        guard case let .rejected(_, code, message) = try #require(events.first?.kind) else { Issue.record("not rejected"); return }
        #expect(code.rawValue == "arithmetic_overflow")
        #expect(message.contains(#"account "alice"'s USDC balance"#))
        #expect(harness.report("alice") == before.0)
        #expect(harness.engine.state.outsideWorld == before.1)
    }

    @Test("a funding receipt that would overflow one holder's balance is refused naming that holder, and changes nothing")
    func fundingOverflowNamesTheHolder() throws {
        var harness = Harness.standard()
        harness.run("""
        {"type":"mark","market":"BTC-PERP","price":"100","ts":1700000000000}
        {"type":"deposit","account":"long","asset":"USDC","amount":"1000000000"}
        {"type":"deposit","account":"short","asset":"USDC","amount":"92000000000"}
        {"type":"fill","account":"long","market":"BTC-PERP","size":"5000000","price":"100"}
        {"type":"fill","account":"short","market":"BTC-PERP","size":"-5000000","price":"100"}
        """)
        // At 50 % the short receives 5,000,000 × 100 × 0.5 = 250M: past Fixed's 92,233,720,368.
        let digest = harness.engine.digest
        let events = harness.run(#"{"type":"funding","market":"BTC-PERP","rate":"0.5"}"#)
        guard case let .rejected(_, code, message) = try #require(events.first?.kind) else { Issue.record("not rejected"); return }
        #expect(code.rawValue == "arithmetic_overflow")
        #expect(message.contains(#"account "short"'s USDC balance"#))
        #expect(harness.digestBeforeLastEvent == digest)
        // At 0.01 % the long pays 50,000 and the short receives it: the clearing account nets to
        // zero and the ledger still sums to zero.
        let paid = harness.run(#"{"type":"funding","market":"BTC-PERP","rate":"0.0001"}"#)
        #expect(!paid.contains { $0.kind.typeName == "rejected" })
        #expect(harness.report("long")?.balances.first?.amount.description == "999950000")
        #expect(harness.report("short")?.balances.first?.amount.description == "92000050000")
        #expect(harness.engine.state.clearing[0].description == "0")
        #expect(harness.engine.ledgerSum(asset: 0) == 0)
    }

    @Test("wide amounts print and parse their exact decimal text")
    func wideAmountText() {
        for text in ["0", "-1", "0.00000001", "170141183460469231731687303715.88410572", "-123456789012345678901.5"] {
            #expect(WideAmount(parsing: text)?.description == text)
        }
        for bad in ["", "-", "1.", ".5", "1.000000001", "1e5", "+1", "x"] { #expect(WideAmount(parsing: bad) == nil) }
    }
}
