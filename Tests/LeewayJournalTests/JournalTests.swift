import Foundation
import GRDB
import LeewayCore
import LeewayJournal
import LeewayWire
import Testing

/// A fresh journal directory per test.
func temporaryDataDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("leeway-journal-\(UUID().uuidString)").path
}

/// Appends `lines` as records (with their events) the way the server does.
func appendLines(_ lines: [String], to journal: Journal, engine: inout Engine) throws {
    var head = try journal.head()
    var entries: [Journal.Entry] = []
    for line in lines {
        let seq = head.seq + 1
        let record = JournalRecord(seq: seq, line: line, hash: JournalRecord.chainHash(previous: head.hash, seq: seq, line: line))
        let events = engine.apply(try Recovery.envelope(of: record))
        entries.append(Journal.Entry(record: record, events: events.map { ($0.seq, $0.kind.account, EventEncoder.encode($0)) }))
        head = (seq, record.hash)
    }
    try journal.append(entries)
}

let setupLines = [
    #"{"type":"asset","asset":"USDC","price":"1","weight":"1","ts":1700000000000}"#,
    #"{"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005","ts":1700000000000}"#,
    #"{"type":"deposit","account":"alice","asset":"USDC","amount":"1000","ts":1700000000000}"#,
    #"{"type":"mark","market":"BTC-PERP","price":"10000","ts":1700000000000}"#,
    #"{"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000","ts":1700000000000}"#,
    #"{"type":"mark","market":"BTC-PERP","price":"9080","ts":1700000060000}"#,
]

@Suite("Journal: hash chain, snapshots, recovery")
struct JournalTests {
    @Test("records chain by hash and recovery replays them to the live engine's digest")
    func recoverByReplay() throws {
        let directory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Journal(directory: directory)
        var live = Engine()
        try appendLines(setupLines, to: journal, engine: &live)
        #expect(try journal.head().seq == 6)
        #expect(try journal.firstBrokenLink() == nil)
        let recovered = try Recovery.recover(journal)
        #expect(recovered.engine.digest == live.digest)
        #expect(recovered.replayedRecords == 6)
        #expect(recovered.warnings.isEmpty)
        // Events were stored with their accounts.
        let aliceEvents = try journal.events(after: 0, limit: 100, accounts: ["alice"])
        #expect(aliceEvents.map(\.line).contains { $0.contains("margin_call") })
        #expect(try journal.events(after: 0, limit: 100, accounts: ["bob"]).isEmpty)
    }

    @Test("recovery from the snapshot before the newest, checking the newest, equals a full replay")
    func recoverFromSnapshot() throws {
        let directory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Journal(directory: directory)
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
    }

    @Test("a torn last record is truncated with a warning; the rest is recovered")
    func tornTail() throws {
        let directory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Journal(directory: directory)
        var live = Engine()
        try appendLines(Array(setupLines.prefix(5)), to: journal, engine: &live)
        var expected = Engine()
        for line in setupLines.prefix(4) {
            _ = expected.apply(try Recovery.envelope(of: JournalRecord(seq: 0, line: line, hash: [])))
        }
        try DatabaseQueue(path: journal.path).write { db in
            try db.execute(sql: "UPDATE records SET line = substr(line, 1, 20) WHERE seq = 5")
        }
        let recovered = try Recovery.recover(journal)
        #expect(recovered.head.seq == 4)
        #expect(recovered.warnings.count == 1)
        #expect(recovered.engine.digest == expected.digest)
        #expect(try journal.head().seq == 4)
    }

    @Test("an altered record in the middle stops recovery and verification with a clear error")
    func tamperedMiddle() throws {
        let directory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Journal(directory: directory)
        var live = Engine()
        try appendLines(setupLines, to: journal, engine: &live)
        try DatabaseQueue(path: journal.path).write { db in
            try db.execute(sql: #"UPDATE records SET line = replace(line, '"1000"', '"9000"') WHERE seq = 3"#)
        }
        #expect(throws: JournalError.brokenChain(seq: 3)) { try Recovery.recover(journal) }
        #expect(throws: JournalError.brokenChain(seq: 3)) { try Recovery.verify(journal) }
        #expect(JournalError.brokenChain(seq: 3).description.contains("record 3"))
    }

    @Test("a journal database of an unknown schema version is refused with a message naming both versions")
    func unknownJournalSchemaIsRefused() throws {
        let directory = temporaryDataDirectory()
        do { _ = try Journal(directory: directory) }
        let database = try DatabaseQueue(path: directory + "/journal.sqlite")
        try database.write { db in try db.execute(sql: "UPDATE meta SET value = 7 WHERE key = 'schema_version'") }
        #expect(throws: JournalError.unsupportedJournal(found: 7, expected: Journal.schemaVersion)) { try Journal(directory: directory) }
        do { _ = try Journal(directory: directory) } catch { #expect(error.description.contains("schema version 7")) }
    }

    @Test("a snapshot that does not match the journal fails verification and stops recovery; rebuilding deletes it")
    func forgedSnapshot() throws {
        let directory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Journal(directory: directory)
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
    }

    @Test("a damaged older snapshot is skipped as the replay's base, with a warning; the newest is still checked")
    func damagedBaseSnapshot() throws {
        let directory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Journal(directory: directory)
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
    }

    @Test("start-up checks the hash chain from the replay's base on; leeway verify checks all of it")
    func chainCheckedFromBase() throws {
        let directory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Journal(directory: directory)
        var live = Engine()
        for (index, line) in setupLines.enumerated() {
            try appendLines([line], to: journal, engine: &live)
            if index == 2 || index == 4 {
                try journal.saveSnapshot(JournalSnapshot(seq: Int64(index + 1), state: SnapshotCodec.encode(live.state), digest: live.digest.description))
            }
        }
        // Record 2 is before the base (the snapshot at 3); record 4 is replayed.
        try DatabaseQueue(path: journal.path).write { db in
            try db.execute(sql: #"UPDATE records SET line = replace(line, '"0.005"', '"0.5"') WHERE seq = 2"#)
        }
        let recovered = try Recovery.recover(journal)
        #expect(recovered.snapshotSeq == 3)
        #expect(recovered.engine.digest == live.digest)
        #expect(throws: JournalError.brokenChain(seq: 2)) { try Recovery.verify(journal) }
        try DatabaseQueue(path: journal.path).write { db in
            try db.execute(sql: #"UPDATE records SET line = replace(line, '"10000"', '"10001"') WHERE seq = 4"#)
        }
        #expect(throws: JournalError.brokenChain(seq: 4)) { try Recovery.recover(journal) }
    }

    @Test("snapshots live in their own database: a snapshot being written never holds the lock the journal's appends need")
    func snapshotWritesDoNotBlockAppends() throws {
        let directory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Journal(directory: directory)
        var live = Engine()
        try appendLines(Array(setupLines.prefix(2)), to: journal, engine: &live)
        #expect(journal.snapshotsPath != journal.path)
        // Hold the snapshot database's write lock, as a long snapshot write does; appends go on.
        let snapshots = try DatabaseQueue(path: journal.snapshotsPath)
        try snapshots.inTransaction(.exclusive) { db in
            try db.execute(sql: "INSERT INTO snapshots (seq, state, digest) VALUES (2, x'00', 'x')")
            try appendLines(Array(setupLines.suffix(4)), to: journal, engine: &live)
            return .rollback
        }
        #expect(try journal.head().seq == 6)
    }

    @Test("snapshots written into journal.sqlite by an older build move to snapshots.sqlite when the journal is opened")
    func oldSnapshotsMove() throws {
        let directory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var live = Engine()
        do {
            let journal = try Journal(directory: directory)
            try appendLines(setupLines, to: journal, engine: &live)
        }
        let state = SnapshotCodec.encode(live.state)
        try DatabaseQueue(path: directory + "/journal.sqlite").write { db in
            try db.execute(sql: "INSERT INTO snapshots (seq, state, digest) VALUES (6, ?, ?)", arguments: [state, live.digest.description])
        }
        let journal = try Journal(directory: directory)
        #expect(try journal.snapshotIndex().map(\.seq) == [6])
        #expect(try DatabaseQueue(path: journal.path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM snapshots") } == 0)
        #expect(try Recovery.recover(journal).checkedSnapshots == [6])
    }
}
