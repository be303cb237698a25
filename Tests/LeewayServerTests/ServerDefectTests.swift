import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import LeewayCore
import LeewayJournal
import LeewayServer
import Testing

/// Defects found by load and failure testing (issue 11), each with the test that caught it.
@Suite("leeway serve: retries, journal failures, input grammar")
struct ServerDefectTests {
    static let setup = ServerFixture.scenario.split(separator: "\n").dropLast().joined(separator: "\n")
    static let callingMark = #"{"type":"mark","market":"BTC-PERP","price":"9080","ts":1700000060000,"id":"mark-1"}"#

    static func eventSeqs(_ journal: any JournalStore) throws -> [Int64] {
        try journal.events(after: 0, limit: 100_000).map(\.seq)
    }

    @Test("a retry is judged as of its own ts: one sent after the window is applied and journaled as a new command")
    func retryAfterTheWindowIsNew() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-retry-late-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fixture = try ServerFixture(directory: directory)
        try await fixture.app().test(.router) { client in
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: Self.setup).status == 200)
            let window = #"{"type":"idempotency","window_ms":60000,"max_ids":10,"ts":1700000100000}"#
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: window).status == 200)
            let deposit = #"{"type":"deposit","account":"dan","asset":"USDC","amount":"1","id":"dep-late","ts":TS}"#
            let first = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey,
                                              body: deposit.replacingOccurrences(of: "TS", with: "1700000100000"))
            #expect(first.status == 200 && !first.body.contains("retried"))
            // Within the window (by its ts): the original outcome, not journaled.
            let inside = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey,
                                               body: deposit.replacingOccurrences(of: "TS", with: "1700000160000"))
            #expect(inside.body.contains(#""record":null,"retried":true"#), "\(inside.body)")
            // 60,001 ms after it, although the engine's clock has not moved past the window yet.
            let records = try fixture.host.journal.head().seq
            let late = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey,
                                             body: deposit.replacingOccurrences(of: "TS", with: "1700000160001"))
            #expect(late.status == 200 && !late.body.contains("retried"), "\(late.body)")
            #expect(try fixture.host.journal.head().seq == records + 1)
        }
    }

    @Test("a retried id whose command produced events returns the original outcome and journals nothing twice, before and after a restart")
    func retriedIDWithEvents() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-retry-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fixture = try ServerFixture(directory: directory)
        let first: String = try await fixture.app().test(.router) { client in
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: Self.setup).status == 200)
            let first = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: Self.callingMark)
            #expect(first.status == 200)
            #expect(first.body.contains("margin_call"))
            let records = try fixture.host.journal.head().seq
            let again = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: Self.callingMark)
            #expect(again.status == 200)
            #expect(eventsPart(again.body) == eventsPart(first.body))
            #expect(again.body.contains(#""record":null,"retried":true"#))
            #expect(try fixture.host.journal.head().seq == records)  // the retry was not journaled
            // The server still takes commands.
            let next = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey,
                                             body: #"{"type":"deposit","account":"dan","asset":"USDC","amount":"1"}"#)
            #expect(next.status == 200)
            return first.body
        }
        await fixture.host.shutdown()
        let restarted = try ServerFixture(directory: directory)
        try await restarted.app().test(.router) { client in
            let third = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: Self.callingMark)
            #expect(third.status == 200)
            #expect(eventsPart(third.body) == eventsPart(first))
            #expect(try await client.call(.get, "/healthz").status == 200)
        }
        let seqs = try Self.eventSeqs(restarted.host.journal)
        #expect(seqs == Array(1...Int64(seqs.count)), "events are journaled once each, in order")
    }

    @Test("after a journal failure nothing unjournaled is readable, healthz answers 503 with the reason, and no snapshot is written")
    func journalFailureLeavesOnlyJournaledState() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: Self.setup).status == 200)
            // A snapshot the setup started is written in the background: let it land first.
            await fixture.host.waitForSnapshot()
            let snapshotsBefore = try fixture.host.journal.snapshotIndex().count
            // Break the journal under the server: its next append fails.
            let database = try DatabaseQueue(path: fixture.directory + "/journal.sqlite")
            try await database.write { db in try db.execute(sql: "DROP TABLE events") }
            // A deposit and a mark that calls alice, in one request: both are applied in memory
            // before the append (of the mark's events) fails; neither may be visible afterwards.
            let request = #"{"type":"deposit","account":"bob","asset":"USDC","amount":"500"}"# + "\n" + Self.callingMark
            let refused = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: request)
            #expect(refused.status == 503)
            let alice = try await client.call(.get, "/v1/accounts/alice", key: ServerFixture.adminKey)
            #expect(alice.body.contains(#""phase":"healthy""#), "\(alice.body)")
            #expect(alice.body.contains(#""mark_price":"10000""#), "\(alice.body)")
            let bob = try await client.call(.get, "/v1/accounts/bob", key: ServerFixture.adminKey)
            #expect(bob.body.contains(#""USDC":"5000""#), "\(bob.body)")
            let health = try await client.call(.get, "/healthz")
            #expect(health.status == 503)
            #expect(health.body.contains("journal_unavailable"))
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey,
                                          body: #"{"type":"deposit","account":"dan","asset":"USDC","amount":"1"}"#).status == 503)
            await fixture.host.shutdown()
            #expect(try fixture.host.journal.snapshotIndex().count == snapshotsBefore)
        }
    }

    @Test("POST /v1/commands skips blank and # comment lines in JSON Lines, as leeway replay does")
    func commentLinesAreAccepted() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let body = "# the scenario's setup\n" + Self.setup.split(separator: "\n").map { "\($0)\n   # an indented comment" }.joined(separator: "\n")
            let posted = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: body)
            #expect(posted.status == 200, "\(posted.body)")
            #expect(try await client.call(.get, "/v1/accounts/carol", key: ServerFixture.adminKey).status == 200)
        }
    }
}
