import Foundation
import HTTPTypes
import HummingbirdTesting
import LeewayCore
import LeewayJournal
import LeewayServer
import Testing

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
        // Restart is cheap: the replay starts at the snapshot before the newest and checks the
        // newest on the way, instead of trusting it.
        #expect(recovered.snapshotSeq == snapshots[1].seq)
        #expect(recovered.checkedSnapshots == [52])
        #expect(recovered.replayedRecords == Int(52 - snapshots[1].seq))
        #expect(recovered.engine.digest.description == liveDigest)
    }

    @Test("start-up refuses a snapshot the journal does not reproduce, naming it and both digests; rebuilding deletes it and serves the journal's state")
    func mismatchedSnapshotIsRefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-forged-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fixture = try ServerFixture(directory: directory)
        try await fixture.app().test(.router) { client in
            // Ten records (a snapshot at 10), then two more (the shutdown snapshot at 12).
            let lines = ServerFixture.scenario.split(separator: "\n")
            for part in [lines.prefix(10), lines.suffix(2)] {
                let posted = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: part.joined(separator: "\n"))
                #expect(posted.status == 200)
                await fixture.host.waitForSnapshot()
            }
        }
        await fixture.host.shutdown()
        #expect(try fixture.host.journal.snapshotIndex().map(\.seq) == [10, 12])
        // A snapshot holding state that was never journaled (as a server that applied a deposit
        // and then failed to journal it once wrote): consistent with its own digest, not with the journal.
        let journal = fixture.host.journal
        let head = try journal.head().seq
        var forged = try Recovery.recover(journal).engine
        let journaledDigest = forged.digest.description
        _ = forged.apply(try Recovery.envelope(of: JournalRecord(
            seq: head, line: #"{"type":"deposit","account":"bob","asset":"USDC","amount":"777","ts":1700000060000}"#, hash: [])))
        try journal.saveSnapshot(JournalSnapshot(seq: head, state: SnapshotCodec.encode(forged.state), digest: forged.digest.description))

        #expect(throws: JournalError.snapshotMismatch(seq: head, snapshotDigest: forged.digest.description,
                                                      replayDigest: journaledDigest, replayedFrom: 10)) {
            _ = try ServerFixture(directory: directory)
        }
        let message = JournalError.snapshotMismatch(seq: head, snapshotDigest: "a", replayDigest: "b", replayedFrom: 10).description
        #expect(message.contains("snapshot at record \(head) says state digest a") && message.contains("gives b") && message.contains("--rebuild-from-journal"))

        let rebuilt = try ServerFixture(directory: directory, rebuildingSnapshots: true)
        #expect(try rebuilt.host.journal.snapshotIndex().allSatisfy { $0.seq != head })
        try await rebuilt.app().test(.router) { client in
            let bob = try await client.call(.get, "/v1/accounts/bob", key: ServerFixture.adminKey)
            #expect(bob.body.contains(#""USDC":"5000""#), "\(bob.body)")
            let status = try await client.call(.get, "/v1/status", key: ServerFixture.adminKey)
            #expect(status.body.contains(journaledDigest))
        }
    }
}
