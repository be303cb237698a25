import LeewayCore
import Testing

@Suite("Bad input is rejected with a stable code and changes nothing")
struct RejectionTests {
    struct BadLine: Sendable, CustomTestStringConvertible {
        var line: String
        var code: String
        var testDescription: String { "\(code): \(line)" }
    }

    @Test("each bad line produces one rejected event with its code", arguments: [
        BadLine(line: #"{"type":"deposit","account":"a","asset":"USDC","amount":"10""#, code: "malformed_json"),
        BadLine(line: #"[1,2]"#, code: "not_an_object"),
        BadLine(line: #"{"account":"a"}"#, code: "missing_type"),
        BadLine(line: #"{"type":"teleport"}"#, code: "unknown_type"),
        BadLine(line: #"{"type":"deposit","account":"a","asset":"USDC"}"#, code: "missing_field"),
        BadLine(line: #"{"type":"deposit","account":"a","asset":"USDC","amount":"10","colour":"red"}"#, code: "unknown_field"),
        BadLine(line: #"{"type":"deposit","account":"a","asset":"USDC","amount":NaN}"#, code: "malformed_json"),
        BadLine(line: #"{"type":"deposit","account":"a","asset":"USDC","amount":"NaN"}"#, code: "invalid_decimal"),
        BadLine(line: #"{"type":"deposit","account":"a","asset":"USDC","amount":"Infinity"}"#, code: "invalid_decimal"),
        BadLine(line: #"{"type":"deposit","account":"a","asset":"USDC","amount":""}"#, code: "invalid_decimal"),
        BadLine(line: #"{"type":"deposit","account":"a","asset":"USDC","amount":10.5}"#, code: "invalid_decimal"),
        BadLine(line: #"{"type":"deposit","account":"a","asset":"USDC","amount":"1e400"}"#, code: "out_of_range"),
        BadLine(line: #"{"type":"deposit","account":"a","asset":"USDC","amount":"-5"}"#, code: "not_positive"),
        BadLine(line: #"{"type":"deposit","account":"a","asset":"USDC","amount":"0.000000001"}"#, code: "too_precise"),
        BadLine(line: #"{"type":"deposit","account":"a","asset":"DOGE","amount":"1"}"#, code: "unknown_asset"),
        BadLine(line: #"{"type":"withdraw","account":"nobody","asset":"USDC","amount":"1"}"#, code: "unknown_account"),
        BadLine(line: #"{"type":"withdraw","account":"a","asset":"USDC","amount":"5000"}"#, code: "insufficient_balance"),
        BadLine(line: #"{"type":"fill","account":"a","market":"ETH-PERP","size":"1","price":"1"}"#, code: "unknown_market"),
        BadLine(line: #"{"type":"fill","account":"a","market":"BTC-PERP","size":"0","price":"10000"}"#, code: "zero_size"),
        BadLine(line: #"{"type":"fill","account":"a","market":"BTC-PERP","size":"10","price":"10000"}"#, code: "insufficient_margin"),
        BadLine(line: #"{"type":"mark","market":"BTC-PERP","price":"-1"}"#, code: "not_positive"),
        BadLine(line: #"{"type":"mark","market":"BTC-PERP","price":"1","ts":1}"#, code: "clock_regression"),
        BadLine(line: #"{"type":"time"}"#, code: "missing_field"),
        BadLine(line: #"{"type":"asset","asset":"X","price":"1","weight":"1.5"}"#, code: "invalid_weight"),
        BadLine(line: #"{"type":"market","market":"M","settle":"USDC","tiers":[{"floor":"5","imr":"0.1","mmr":"0.05"}],"liquidation_fee":"0"}"#, code: "invalid_tiers"),
        BadLine(line: #"{"type":"policy","step_fraction":"0"}"#, code: "invalid_policy"),
        BadLine(line: #"{"type":"policy","grace_ms":1000,"grace":{"max_breach_probability":"0.01","min_ms":1,"max_ms":2}}"#, code: "invalid_policy"),
        BadLine(line: #"{"type":"policy","mode":"gentle"}"#, code: "invalid_field"),
        BadLine(line: #"{"type":"funding","market":"BTC-PERP","rate":"2"}"#, code: "invalid_rate"),
        BadLine(line: #"{"type":"deposit","account":"\#(String(repeating: "x", count: 129))","asset":"USDC","amount":"1"}"#, code: "invalid_id"),
        BadLine(line: #"{"type":"deposit","account":"tab\there","asset":"USDC","amount":"1"}"#, code: "invalid_id"),
        BadLine(line: #"{"type":"deposit","account":"nul\u0000","asset":"USDC","amount":"1"}"#, code: "invalid_id"),
        BadLine(line: #"{"type":"asset","asset":"bell\u0007","price":"1","weight":"1"}"#, code: "invalid_id"),
        BadLine(line: #"{"type":"market","market":"M\u009b","settle":"USDC","tiers":[{"floor":"0","imr":"0.1","mmr":"0.05"}],"liquidation_fee":"0"}"#, code: "invalid_id"),
        BadLine(line: #"{"type":"time","ts":1700000000001,"id":"\#(String(repeating: "é", count: 65))"}"#, code: "invalid_field"),
    ])
    func rejected(_ bad: BadLine) throws {
        var harness = Harness.standard()
        harness.run("""
        {"type":"deposit","account":"a","asset":"USDC","amount":"1000","ts":1700000000000}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        """)
        let before = harness.engine.digest
        let clock = harness.engine.clockMs
        let events = harness.run(bad.line)
        #expect(events.count == 1)
        guard case let .rejected(command, code, message)? = events.first?.kind else {
            Issue.record("expected a rejection, got \(events.types)")
            return
        }
        #expect(code.rawValue == bad.code)
        #expect(command == .line(6))
        #expect(!message.isEmpty)
        #expect(harness.engine.clockMs == clock)
        #expect(harness.digestBeforeLastEvent == before)
    }

    @Test("a rejected command carrying an id is named by its id")
    func rejectionNamesID() {
        var harness = Harness.standard()
        let events = harness.run(#"{"type":"deposit","id":"req-7","account":"a","asset":"USDC","amount":"-1"}"#)
        #expect(events.first?.kind == .rejected(command: .id("req-7"), code: .notPositive, message: "amount must be greater than zero"))
    }

    @Test("a command whose id was already applied is not applied again; the original events come back")
    func idempotentIDs() throws {
        var harness = Harness.standard()
        harness.run(#"{"type":"deposit","account":"a","asset":"USDC","amount":"1000","ts":1700000000000}"#)
        harness.run(#"{"type":"mark","market":"BTC-PERP","price":"10000"}"#)
        harness.run(#"{"type":"fill","id":"f1","account":"a","market":"BTC-PERP","size":"5","price":"10000"}"#)
        let first = harness.run(#"{"type":"mark","id":"m1","market":"BTC-PERP","price":"9850"}"#)
        #expect(first.types == ["warning", "margin_call"])
        let digest = harness.engine.digest
        let again = harness.run(#"{"type":"mark","id":"m1","market":"BTC-PERP","price":"9850"}"#)
        #expect(again == first)
        let fillAgain = harness.run(#"{"type":"fill","id":"f1","account":"a","market":"BTC-PERP","size":"5","price":"10000"}"#)
        #expect(fillAgain.isEmpty)
        #expect(harness.engine.digest == digest)
        #expect(harness.report("a")?.positions.first?.size == d("5"))
    }

    @Test("blank lines and # comments are skipped without events")
    func commentsSkipped() {
        var harness = Harness.standard()
        #expect(harness.run("\n# a comment\n   \n").isEmpty)
    }
}
