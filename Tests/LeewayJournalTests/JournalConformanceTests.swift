import Foundation
import LeewayCore
import LeewayJournal
import LeewayWire
import PostgresTestSupport
import Testing

/// One behaviour every `JournalStore` backend must have, checked on a fresh journal.
struct JournalBehaviour: Sendable, CustomTestStringConvertible {
    var name: String
    var check: @Sendable (JournalFixture) async throws -> Void
    var testDescription: String { name }

    /// Runs the check on a fresh journal of `backend`, removed afterwards.
    func run(on backend: JournalFixture.Backend) async throws {
        let fixture = try await JournalFixture.make(backend)
        do {
            try await check(fixture)
        } catch {
            await fixture.remove()
            throw error
        }
        await fixture.remove()
    }
}

/// The journal conformance suite: the same behaviours on every backend (SQLite below, PostgreSQL
/// in `PostgresJournalConformanceTests`).
enum JournalConformance {
    static let behaviours: [JournalBehaviour] = [
        JournalBehaviour(name: "records chain by hash and recovery replays them to the live engine's digest") { fixture in
            let journal = try fixture.open()
            var live = Engine()
            try appendLines(setupLines, to: journal, engine: &live)
            #expect(try journal.head().seq == 6)
            #expect(try journal.firstBrokenLink() == nil)
            let recovered = try Recovery.recover(journal)
            #expect(recovered.engine.digest == live.digest)
            #expect(recovered.replayedRecords == 6)
            #expect(recovered.warnings.isEmpty)
            // Events were stored with their accounts, in seq order, and read back in pages.
            let aliceEvents = try journal.events(after: 0, limit: 100, accounts: ["alice"])
            #expect(aliceEvents.map(\.line).contains { $0.contains("margin_call") })
            #expect(try journal.events(after: 0, limit: 100, accounts: ["bob"]).isEmpty)
            #expect(try journal.events(after: 0, limit: 100, accounts: []).isEmpty)
            let all = try journal.events(after: 0, limit: 100)
            #expect(!all.isEmpty && all.map(\.seq) == Array(1...Int64(live.state.nextSeq - 1)))
            #expect(try journal.events(after: 0, limit: 1).map(\.seq) == [1])
            #expect(try journal.events(after: 1, limit: 100).map(\.seq) == Array(all.map(\.seq).dropFirst()))
        },
        JournalBehaviour(name: "recovery replays to the head it read, not the records appended while it replays (a follower's start-up)") { fixture in
            let journal = try fixture.open()
            var atHead = Engine()
            try appendLines(Array(setupLines.prefix(3)), to: journal, engine: &atHead)
            let head = try journal.head()
            var later = atHead
            try appendLines(Array(setupLines.dropFirst(3)), to: journal, engine: &later)
            let recovered = try Recovery.recover(PinnedHeadJournal(journal, head: head))
            #expect(recovered.head.seq == 3 && recovered.replayedRecords == 3)
            #expect(recovered.engine.digest == atHead.digest && atHead.digest != later.digest)
        },
        JournalBehaviour(name: "records read back exactly as written, in pages, and an empty batch writes nothing") { fixture in
            let journal = try fixture.open()
            var live = Engine()
            try journal.append([])
            #expect(try journal.head().seq == 0 && journal.head().hash == JournalRecord.genesisHash)
            try appendLines(setupLines, to: journal, engine: &live)
            let first = try journal.records(after: 0, limit: 4)
            let rest = try journal.records(after: 4, limit: 100)
            #expect(first.map(\.seq) == [1, 2, 3, 4] && rest.map(\.seq) == [5, 6])
            #expect((first + rest).map(\.line) == setupLines)
            #expect(try journal.head().hash == rest.last?.hash)
            #expect(try journal.records(after: 6, limit: 10).isEmpty)
        },
        JournalBehaviour(name: "an append that cannot be written leaves nothing of its batch") { fixture in
            let journal = try fixture.open()
            var live = Engine()
            try appendLines(Array(setupLines.prefix(2)), to: journal, engine: &live)
            // Record 3 is new, record 2 already exists: the batch fails as a whole.
            let head = try journal.head()
            let fresh = JournalRecord(seq: 3, line: setupLines[2], hash: JournalRecord.chainHash(previous: head.hash, seq: 3, line: setupLines[2]))
            let duplicate = JournalRecord(seq: 2, line: setupLines[1], hash: head.hash)
            #expect(throws: JournalError.self) {
                try journal.append([JournalEntry(record: fresh, events: []), JournalEntry(record: duplicate, events: [])])
            }
            #expect(try journal.head().seq == 2)
            #expect(try journal.records(after: 0, limit: 10).count == 2)
        },
        JournalBehaviour(name: "recovery from the snapshot before the newest, checking the newest, equals a full replay") { fixture in
            let journal = try fixture.open()
            var live = Engine()
            try appendLines(Array(setupLines.prefix(2)), to: journal, engine: &live)
            try journal.saveSnapshot(JournalSnapshot(seq: 2, state: SnapshotCodec.encode(live.state), digest: live.digest.description))
            try appendLines(Array(setupLines[2..<4]), to: journal, engine: &live)
            try journal.saveSnapshot(JournalSnapshot(seq: 4, state: SnapshotCodec.encode(live.state), digest: live.digest.description))
            try appendLines(Array(setupLines.suffix(2)), to: journal, engine: &live)
            let recovered = try Recovery.recover(journal)
            #expect(recovered.snapshotSeq == 2)
            #expect(recovered.checkedSnapshots == [4])
            #expect(recovered.replayedRecords == 4)
            #expect(recovered.engine.digest == live.digest)
            let verification = try Recovery.verify(journal)
            #expect(verification.records == 6)
            #expect(verification.snapshotsChecked == 2)
            #expect(verification.digest == live.digest.description)
        },
        JournalBehaviour(name: "verify checks snapshots on consecutive records and one at the head (whose digest is the final one), and a mismatch names the older") { fixture in
            let journal = try fixture.open()
            var live = Engine()
            try appendLines(Array(setupLines.prefix(5)), to: journal, engine: &live)
            let atFive = live
            try journal.saveSnapshot(JournalSnapshot(seq: 5, state: SnapshotCodec.encode(atFive.state), digest: atFive.digest.description))
            try appendLines(Array(setupLines.suffix(1)), to: journal, engine: &live)
            try journal.saveSnapshot(JournalSnapshot(seq: 6, state: SnapshotCodec.encode(live.state), digest: live.digest.description))
            let verification = try Recovery.verify(journal)
            #expect(verification.records == 6)
            #expect(verification.snapshotsChecked == 2)
            #expect(verification.digest == live.digest.description)
            // Both digests are in flight when the replay ends; the older is compared first.
            try journal.saveSnapshot(JournalSnapshot(seq: 5, state: SnapshotCodec.encode(atFive.state), digest: live.digest.description))
            #expect(throws: JournalError.digestMismatch(seq: 5, expected: live.digest.description, found: atFive.digest.description)) {
                try Recovery.verify(journal)
            }
        },
        JournalBehaviour(name: "snapshots are stored whole, replaced at the same seq, and pruned to the newest") { fixture in
            let journal = try fixture.open()
            var live = Engine()
            try appendLines(setupLines, to: journal, engine: &live)
            let state = SnapshotCodec.encode(live.state)
            for seq: Int64 in [2, 4, 6] {
                try journal.saveSnapshot(JournalSnapshot(seq: seq, state: Data("old".utf8), digest: "old"))
                try journal.saveSnapshot(JournalSnapshot(seq: seq, state: state, digest: "d\(seq)"))
            }
            #expect(try journal.snapshotIndex().map(\.seq) == [2, 4, 6])
            #expect(try journal.snapshot(seq: 4) == JournalSnapshot(seq: 4, state: state, digest: "d4"))
            #expect(try journal.snapshot(seq: 5) == nil)
            #expect(try journal.pruneSnapshots(keeping: 2) == 1)
            #expect(try journal.snapshotIndex().map(\.digest) == ["d4", "d6"])
            try journal.deleteSnapshot(seq: 6)
            #expect(try journal.snapshotIndex().map(\.seq) == [4])
        },
        JournalBehaviour(name: "a torn last record is truncated with a warning; the rest is recovered") { fixture in
            let journal = try fixture.open()
            var live = Engine()
            try appendLines(setupLines, to: journal, engine: &live)
            try journal.saveSnapshot(JournalSnapshot(seq: 6, state: SnapshotCodec.encode(live.state), digest: live.digest.description))
            var expected = Engine()
            var expectedEvents: [Int64] = []
            for line in setupLines.prefix(5) {
                expectedEvents += expected.apply(try Recovery.envelope(of: JournalRecord(seq: 0, line: line, hash: []))).map(\.seq)
            }
            #expect(try journal.events(after: 0, limit: 100).count > expectedEvents.count)
            try await fixture.execute("UPDATE {records} SET line = substr(line, 1, 20) WHERE seq = 6")
            let recovered = try Recovery.recover(journal)
            #expect(recovered.head.seq == 5)
            #expect(recovered.warnings.count == 1)
            #expect(recovered.engine.digest == expected.digest)
            #expect(try journal.head().seq == 5)
            #expect(try journal.snapshotIndex().isEmpty)
            #expect(try journal.events(after: 0, limit: 100).map(\.seq) == expectedEvents)
        },
        JournalBehaviour(name: "an altered record in the middle stops recovery and verification with a clear error") { fixture in
            let journal = try fixture.open()
            var live = Engine()
            try appendLines(setupLines, to: journal, engine: &live)
            try await fixture.execute(#"UPDATE {records} SET line = replace(line, '"1000"', '"9000"') WHERE seq = 3"#)
            #expect(throws: JournalError.brokenChain(seq: 3)) { try Recovery.recover(journal) }
            #expect(throws: JournalError.brokenChain(seq: 3)) { try Recovery.verify(journal) }
            #expect(JournalError.brokenChain(seq: 3).description.contains("record 3"))
        },
        JournalBehaviour(name: "a record from another journal (a foreign hash) is refused as a broken chain") { fixture in
            let journal = try fixture.open()
            var live = Engine()
            try appendLines(setupLines, to: journal, engine: &live)
            try await fixture.execute("DELETE FROM {records} WHERE seq = 4")
            let foreign = JournalRecord(seq: 4, line: setupLines[3], hash: JournalRecord.chainHash(previous: JournalRecord.genesisHash, seq: 4, line: setupLines[3]))
            try journal.append([JournalEntry(record: foreign, events: [])])
            #expect(throws: JournalError.brokenChain(seq: 4)) { try Recovery.verify(journal) }
            #expect(throws: JournalError.brokenChain(seq: 4)) { try Recovery.recover(journal) }
        },
        JournalBehaviour(name: "a journal database of an unknown schema version is refused with a message naming both versions") { fixture in
            do { _ = try fixture.open() }
            try await fixture.execute("UPDATE {meta} SET value = '7' WHERE key = 'schema_version'")
            #expect(throws: JournalError.unsupportedJournal(found: 7, expected: fixture.schemaVersion)) { try fixture.open() }
            do throws(JournalError) { _ = try fixture.open() } catch { #expect(error.description.contains("schema version 7")) }
        },
        JournalBehaviour(name: "a snapshot that does not match the journal fails verification and stops recovery; rebuilding deletes it") { fixture in
            let journal = try fixture.open()
            var live = Engine()
            try appendLines(Array(setupLines.prefix(3)), to: journal, engine: &live)
            var other = Engine()
            _ = other.apply(try Recovery.envelope(of: JournalRecord(seq: 1, line: setupLines[0], hash: [])))
            try journal.saveSnapshot(JournalSnapshot(seq: 3, state: SnapshotCodec.encode(other.state), digest: other.digest.description))
            #expect(throws: JournalError.self) { try Recovery.verify(journal) }
            #expect(throws: JournalError.snapshotMismatch(seq: 3, snapshotDigest: other.digest.description,
                                                          replayDigest: live.digest.description, replayedFrom: 0)) { try Recovery.recover(journal) }
            let rebuilt = try Recovery.recover(journal, rebuildingSnapshots: true)
            #expect(rebuilt.removedSnapshots == [3])
            #expect(rebuilt.engine.digest == live.digest)
            #expect(rebuilt.warnings.contains { $0.contains("record 3") && $0.contains(other.digest.description) })
            #expect(try journal.snapshotIndex().isEmpty)
        },
        JournalBehaviour(name: "a damaged older snapshot is skipped as the replay's base, with a warning; the newest is still checked") { fixture in
            let journal = try fixture.open()
            var live = Engine()
            try appendLines(Array(setupLines.prefix(3)), to: journal, engine: &live)
            try journal.saveSnapshot(JournalSnapshot(seq: 3, state: Data("not json".utf8), digest: live.digest.description))
            try appendLines(Array(setupLines.suffix(3)), to: journal, engine: &live)
            try journal.saveSnapshot(JournalSnapshot(seq: 6, state: SnapshotCodec.encode(live.state), digest: live.digest.description))
            let recovered = try Recovery.recover(journal)
            #expect(recovered.snapshotSeq == 0)
            #expect(recovered.checkedSnapshots == [3, 6])
            #expect(recovered.engine.digest == live.digest)
            #expect(recovered.warnings.count == 1)
        },
        JournalBehaviour(name: "an older snapshot that reads but does not reproduce its own digest is skipped as the base; start-up replays from an older one") { fixture in
            let journal = try fixture.open()
            var live = Engine()
            try appendLines(Array(setupLines.prefix(3)), to: journal, engine: &live)
            var altered = live.state
            altered.clockMs += 1  // readable, but not the state its digest names
            try journal.saveSnapshot(JournalSnapshot(seq: 3, state: SnapshotCodec.encode(altered), digest: live.digest.description))
            try appendLines(Array(setupLines.suffix(3)), to: journal, engine: &live)
            try journal.saveSnapshot(JournalSnapshot(seq: 6, state: SnapshotCodec.encode(live.state), digest: live.digest.description))
            let recovered = try Recovery.recover(journal)
            #expect(recovered.snapshotSeq == 0)
            #expect(recovered.checkedSnapshots == [3, 6])
            #expect(recovered.engine.digest == live.digest)
            #expect(recovered.warnings == ["the snapshot at record 3 does not reproduce its own digest (damaged); starting from an older one"])
        },
        JournalBehaviour(name: "start-up checks the hash chain from the replay's base on; leeway verify checks all of it") { fixture in
            let journal = try fixture.open()
            var live = Engine()
            for (index, line) in setupLines.enumerated() {
                try appendLines([line], to: journal, engine: &live)
                if index == 2 || index == 4 {
                    try journal.saveSnapshot(JournalSnapshot(seq: Int64(index + 1), state: SnapshotCodec.encode(live.state), digest: live.digest.description))
                }
            }
            // Record 2 is before the base (the snapshot at 3); record 4 is replayed.
            try await fixture.execute(#"UPDATE {records} SET line = replace(line, '"0.005"', '"0.5"') WHERE seq = 2"#)
            let recovered = try Recovery.recover(journal)
            #expect(recovered.snapshotSeq == 3)
            #expect(recovered.engine.digest == live.digest)
            #expect(throws: JournalError.brokenChain(seq: 2)) { try Recovery.verify(journal) }
            try await fixture.execute(#"UPDATE {records} SET line = replace(line, '"10000"', '"10001"') WHERE seq = 4"#)
            #expect(throws: JournalError.brokenChain(seq: 4)) { try Recovery.recover(journal) }
        },
    ]
}

@Suite("Journal conformance: SQLite")
struct SQLiteJournalConformanceTests {
    @Test("SQLite journal", arguments: JournalConformance.behaviours)
    func behaves(_ behaviour: JournalBehaviour) async throws {
        try await behaviour.run(on: .sqlite)
    }
}

@Suite("Journal conformance: PostgreSQL", .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
struct PostgresJournalConformanceTests {
    @Test("PostgreSQL journal", arguments: JournalConformance.behaviours)
    func behaves(_ behaviour: JournalBehaviour) async throws {
        try await behaviour.run(on: .postgres)
    }
}
