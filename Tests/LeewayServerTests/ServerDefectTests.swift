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

    static func eventSeqs(_ journal: Journal) throws -> [Int64] {
        try journal.events(after: 0, limit: 100_000).map(\.seq)
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

@Suite("leeway serve: snapshots")
struct ServerSnapshotTests {
    @Test("snapshots are written off the engine, the newest few are kept, and recovery from them equals the live state")
    func snapshotsArePrunedAndRecoverable() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-snap-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fixture = try ServerFixture(directory: directory)  // a snapshot every 5 records, 3 kept
        let liveDigest: String = try await fixture.app().test(.router) { client in
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario).status == 200)
            for index in 0..<40 {
                let body = #"{"type":"deposit","account":"d\#(index)","asset":"USDC","amount":"1"}"#
                #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: body).status == 200)
                await fixture.host.waitForSnapshot()
            }
            let status = try await client.call(.get, "/v1/status", key: ServerFixture.adminKey).body
            return String(status.split(separator: "\"").drop { $0 != "digest" }.dropFirst(2).first ?? "")
        }
        await fixture.host.shutdown()
        let snapshots = try fixture.host.journal.snapshotIndex()
        #expect(snapshots.count == 3)
        #expect(snapshots.last?.seq == 52)
        let recovered = try Recovery.recover(fixture.host.journal)
        #expect(recovered.snapshotSeq == 52)
        #expect(recovered.engine.digest.description == liveDigest)
    }
}

@Suite("leeway serve: HTTP hygiene")
struct ServerHygieneTests {
    @Test("unknown routes and methods get the JSON error format", arguments: [("get", "/v1/nope", 404), ("post", "/healthz", 405)])
    func unknownRoutes(method: String, path: String, status: Int) async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let response = try await client.call(method == "post" ? .post : .get, path, key: ServerFixture.adminKey, body: method == "post" ? "{}" : nil)
            #expect([404, 405].contains(response.status))
            #expect(response.body.hasPrefix(#"{"error":{"code":""#), "\(response.status) \(response.body)")
        }
    }
}

@Suite("leeway serve: results name both positions")
struct ServerResultTests {
    @Test("each result gives the command's position in the request and its journal record, which a rejection refers to")
    func resultsNamePositionAndRecord() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerDefectTests.setup).status == 200)
            let body = #"{"type":"deposit","account":"alice","asset":"USDC","amount":"1"}"# + "\n"
                + #"{"type":"withdraw","account":"nobody","asset":"USDC","amount":"1"}"#
            let response = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: body)
            #expect(response.status == 200)
            #expect(response.body.contains(#"{"position":1,"record":12,"events":[]}"#), "\(response.body)")
            #expect(response.body.contains(#"{"position":2,"record":13,"events":[{"seq":"#), "\(response.body)")
            #expect(response.body.contains(#""type":"rejected","command":13,"code":"unknown_account""#), "\(response.body)")
        }
    }
}
