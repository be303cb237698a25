import Foundation
import LeewayCore
import Testing

@Suite("The idempotency window")
struct IdempotencyWindowTests {
    static let deposit = #"{"type":"deposit","account":"a","asset":"USDC","amount":"1","id":"dep-1","ts":TS}"#

    static func balance(_ harness: Harness) -> Fixed? { harness.report("a")?.balances.first?.amount }

    @Test("an id is remembered inside the window and applied again as new once it has expired")
    func idsExpireByTime() {
        var harness = Harness.standard()
        harness.run(#"{"type":"idempotency","window_ms":60000,"max_ids":10}"#)
        harness.run(Self.deposit.replacingOccurrences(of: "TS", with: "1700000000000"))
        harness.run(Self.deposit.replacingOccurrences(of: "TS", with: "1700000060000"))  // 60 s later: still inside
        #expect(Self.balance(harness) == d("1"))
        harness.run(#"{"type":"time","ts":1700000060001}"#)
        #expect(harness.engine.originalEvents(ofCommandID: "dep-1") == nil)
        harness.run(Self.deposit.replacingOccurrences(of: "TS", with: "1700000070000"))
        #expect(Self.balance(harness) == d("2"))
        #expect(harness.engine.state.appliedCommandOrder.count == harness.engine.state.appliedCommandEvents.count)
    }

    @Test("at most max_ids ids are remembered: the oldest is forgotten first")
    func idsExpireByCount() {
        var harness = Harness.standard()
        harness.run(#"{"type":"idempotency","window_ms":86400000,"max_ids":3}"#)
        for index in 1...5 {
            harness.run(#"{"type":"deposit","account":"a","asset":"USDC","amount":"1","id":"d-\#(index)","ts":1700000000000}"#)
        }
        #expect(harness.engine.state.appliedCommandOrder.map(\.id) == ["d-3", "d-4", "d-5"])
        #expect(harness.engine.originalEvents(ofCommandID: "d-2") == nil)
        #expect(harness.engine.originalEvents(ofCommandID: "d-3") != nil)
    }

    @Test("a clock gap longer than the window forgets a bounded number of ids per command, and every expired id already counts as forgotten")
    func clockGapDrainsGradually() {
        var harness = Harness.standard()
        let idCount = Engine.idsForgottenPerCommand * 3
        harness.run(#"{"type":"idempotency","window_ms":60000,"max_ids":100000}"#)
        for index in 0..<idCount {
            harness.run(#"{"type":"deposit","account":"a","asset":"USDC","amount":"1","id":"d-\#(index)","ts":1700000000000}"#)
        }
        // Two minutes later: every id is outside the window.
        harness.run(#"{"type":"time","ts":1700000120000}"#)
        #expect(harness.engine.state.appliedCommandOrder.count == idCount - Engine.idsForgottenPerCommand)
        #expect(harness.engine.originalEvents(ofCommandID: "d-\(idCount - 1)") == nil)
        // A stored but expired id is applied as new, and its return forgets the whole backlog.
        harness.run(#"{"type":"deposit","account":"a","asset":"USDC","amount":"1","id":"d-\#(idCount - 1)","ts":1700000120001}"#)
        #expect(Self.balance(harness) == d("\(idCount + 1)"))
        #expect(harness.engine.state.appliedCommandOrder.map(\.id) == ["d-\(idCount - 1)"])
        #expect(harness.engine.state.appliedCommandEvents.count == 1)
        // Now it is remembered again: a second retry changes nothing.
        harness.run(#"{"type":"deposit","account":"a","asset":"USDC","amount":"1","id":"d-\#(idCount - 1)","ts":1700000120002}"#)
        #expect(Self.balance(harness) == d("\(idCount + 1)"))
    }

    @Test("a retry is judged as of its own ts, not the engine clock")
    func retryJudgedAsOfItsTimestamp() {
        var harness = Harness.standard()
        harness.run(#"{"type":"idempotency","window_ms":60000,"max_ids":10}"#)
        harness.run(Self.deposit.replacingOccurrences(of: "TS", with: "1700000000000"))
        #expect(harness.engine.originalEvents(ofCommandID: "dep-1", asOfMs: 1700000060000) != nil)
        #expect(harness.engine.originalEvents(ofCommandID: "dep-1", asOfMs: 1700000060001) == nil)
        // What a server's check says is what `apply` does with the same command.
        harness.run(Self.deposit.replacingOccurrences(of: "TS", with: "1700000060001"))
        #expect(Self.balance(harness) == d("2"))
    }

    @Test("bad windows are refused and change nothing", arguments: [
        #"{"type":"idempotency","window_ms":999,"max_ids":10}"#,
        #"{"type":"idempotency","window_ms":60000,"max_ids":0}"#,
        #"{"type":"idempotency","window_ms":60000,"max_ids":100000001}"#,
    ])
    func badWindows(line: String) throws {
        var harness = Harness.standard()
        let before = (harness.engine.state.idempotencyWindowMs, harness.engine.state.idempotencyMaxIDs)
        let events = harness.run(line)
        guard case let .rejected(_, code, _)? = events.first?.kind else { Issue.record("not refused"); return }
        #expect(code == .invalidIdempotency)
        #expect((harness.engine.state.idempotencyWindowMs, harness.engine.state.idempotencyMaxIDs) == before)
    }
}
