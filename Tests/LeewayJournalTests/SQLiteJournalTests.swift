import Foundation
import GRDB
import LeewayCore
import LeewayJournal
import Testing

/// What only the SQLite backend has: its two database files.
@Suite("SQLite journal: its files")
struct SQLiteJournalTests {
    @Test("snapshots live in their own database: a snapshot being written never holds the lock the journal's appends need")
    func snapshotWritesDoNotBlockAppends() throws {
        let directory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try SQLiteJournal(directory: directory)
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
            let journal = try SQLiteJournal(directory: directory)
            try appendLines(setupLines, to: journal, engine: &live)
        }
        let state = SnapshotCodec.encode(live.state)
        try DatabaseQueue(path: directory + "/journal.sqlite").write { db in
            try db.execute(sql: "INSERT INTO snapshots (seq, state, digest) VALUES (6, ?, ?)", arguments: [state, live.digest.description])
        }
        let journal = try SQLiteJournal(directory: directory)
        #expect(try journal.snapshotIndex().map(\.seq) == [6])
        #expect(try DatabaseQueue(path: journal.path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM snapshots") } == 0)
        #expect(try Recovery.recover(journal).checkedSnapshots == [6])
    }
}
