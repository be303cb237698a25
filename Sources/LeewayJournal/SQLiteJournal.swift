import Foundation
import GRDB

/// The durable, append-only journal of `leeway serve` on one machine (the default `JournalStore`):
/// input command records (hash-chained) and the events they produced in `journal.sqlite`, engine snapshots in `snapshots.sqlite` beside it (both
/// SQLite in WAL mode). Snapshots have their own database so that writing one (tens of MB at a
/// million accounts) never holds SQLite's write lock that the next batch of records needs.
///
/// A batch of records and their events is written in one transaction with `synchronous = FULL`,
/// so when `append` returns the batch is on disk (group commit: one fsync per batch, not per
/// command). SQLite makes each transaction all-or-nothing; the hash chain additionally detects
/// records altered or removed behind SQLite's back.
public final class SQLiteJournal: JournalStore {
    let pool: DatabasePool
    let snapshotPool: DatabasePool
    public let path: String
    public let snapshotsPath: String
    public var location: String { path }

    /// Opens (creating if needed) `journal.sqlite` in `directory`.
    public init(directory: String) throws(JournalError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .storage("cannot create the data directory \(directory): \(error.localizedDescription)")
        }
        path = (directory as NSString).appendingPathComponent("journal.sqlite")
        snapshotsPath = (directory as NSString).appendingPathComponent("snapshots.sqlite")
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try pool.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS records (seq INTEGER PRIMARY KEY, line TEXT NOT NULL, hash BLOB NOT NULL);
                    CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, record INTEGER NOT NULL, account TEXT, line TEXT NOT NULL);
                    CREATE INDEX IF NOT EXISTS events_by_account ON events(account, seq);
                    CREATE INDEX IF NOT EXISTS events_by_record ON events(record);
                    CREATE TABLE IF NOT EXISTS snapshots (seq INTEGER PRIMARY KEY, state BLOB NOT NULL, digest TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                    """)
                // A database from before the meta table has the same record format: version 1.
                try db.execute(sql: "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", arguments: [Self.schemaVersion])
            }
        } catch {
            throw .storage("cannot open \(path): \(error)")
        }
        let found: Int
        do { found = try pool.read { db in try Int.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'") ?? 0 } } catch {
            throw .storage("cannot read the schema version of \(path): \(error)")
        }
        guard found == Self.schemaVersion else { throw .unsupportedJournal(found: found, expected: Self.schemaVersion) }
        do {
            snapshotPool = try DatabasePool(path: snapshotsPath, configuration: configuration)
            try snapshotPool.write { db in
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS snapshots (seq INTEGER PRIMARY KEY, state BLOB NOT NULL, digest TEXT NOT NULL)")
            }
            // Snapshots written before they had their own database move there, once.
            let old = try pool.read { db in try Row.fetchAll(db, sql: "SELECT seq, state, digest FROM snapshots ORDER BY seq") }
            if !old.isEmpty {
                try snapshotPool.write { db in
                    for row in old {
                        let state: Data = row["state"], seq: Int64 = row["seq"], digest: String = row["digest"]
                        try db.execute(sql: "INSERT OR REPLACE INTO snapshots (seq, state, digest) VALUES (?, ?, ?)", arguments: [seq, state, digest])
                    }
                }
                try pool.write { db in try db.execute(sql: "DELETE FROM snapshots") }
            }
        } catch {
            throw .storage("cannot open \(snapshotsPath): \(error)")
        }
    }

    /// The version of the database layout (records, events, snapshots, meta). Snapshots inside
    /// carry their own state schema version (`EngineState.schemaVersion`).
    public static let schemaVersion = 1

    /// Writes `entries` in one durable transaction.
    public func append(_ entries: [JournalEntry]) throws(JournalError) {
        guard !entries.isEmpty else { return }
        do {
            try pool.write { db in
                let record = try db.makeStatement(sql: "INSERT INTO records (seq, line, hash) VALUES (?, ?, ?)")
                let event = try db.makeStatement(sql: "INSERT INTO events (seq, record, account, line) VALUES (?, ?, ?, ?)")
                for entry in entries {
                    try record.execute(arguments: [entry.record.seq, entry.record.line, Data(entry.record.hash)])
                    for produced in entry.events {
                        try event.execute(arguments: [produced.seq, entry.record.seq, produced.account, produced.line])
                    }
                }
            }
        } catch {
            throw .storage("cannot append to the journal: \(error)")
        }
    }

    /// The last record's seq and hash (0 and the genesis hash for an empty journal).
    public func head() throws(JournalError) -> (seq: Int64, hash: [UInt8]) {
        do {
            return try pool.read { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1") else {
                    return (0, JournalRecord.genesisHash)
                }
                let hash: Data = row["hash"]
                return (row["seq"], [UInt8](hash))
            }
        } catch {
            throw .storage("cannot read the journal: \(error)")
        }
    }

    /// Up to `limit` records after `seq`, in order.
    public func records(after seq: Int64, limit: Int) throws(JournalError) -> [JournalRecord] {
        do {
            return try pool.read { db in
                // Columns by position through a cursor: no per-row dictionary of names (this read
                // feeds recovery and `leeway verify`, a million rows at a time).
                var records: [JournalRecord] = []
                records.reserveCapacity(limit)
                let rows = try Row.fetchCursor(db, sql: "SELECT seq, line, hash FROM records WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [seq, limit])
                while let row = try rows.next() {
                    let hash: Data = row[2]
                    records.append(JournalRecord(seq: row[0], line: row[1], hash: [UInt8](hash)))
                }
                return records
            }
        } catch {
            throw .storage("cannot read the journal: \(error)")
        }
    }

    /// Up to `limit` stored events after event seq `after`; with `accounts`, only events about them.
    public func events(after: Int64, limit: Int, accounts: [String]?) throws(JournalError) -> [(seq: Int64, line: String)] {
        do {
            return try pool.read { db in
                let rows: [Row]
                if let accounts {
                    guard !accounts.isEmpty else { return [] }
                    let marks = accounts.map { _ in "?" }.joined(separator: ",")
                    rows = try Row.fetchAll(db, sql: "SELECT seq, line FROM events WHERE seq > ? AND account IN (\(marks)) ORDER BY seq LIMIT ?",
                                            arguments: StatementArguments([after] as [any DatabaseValueConvertible] + accounts + [limit]))
                } else {
                    rows = try Row.fetchAll(db, sql: "SELECT seq, line FROM events WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [after, limit])
                }
                return rows.map { (seq: $0["seq"], line: $0["line"]) }
            }
        } catch {
            throw .storage("cannot read events: \(error)")
        }
    }

    public func saveSnapshot(_ snapshot: JournalSnapshot) throws(JournalError) {
        do {
            try snapshotPool.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO snapshots (seq, state, digest) VALUES (?, ?, ?)",
                               arguments: [snapshot.seq, snapshot.state, snapshot.digest])
            }
        } catch {
            throw .storage("cannot save a snapshot: \(error)")
        }
    }

    /// Deletes all but the newest `count` snapshots; returns how many it deleted.
    @discardableResult
    public func pruneSnapshots(keeping count: Int) throws(JournalError) -> Int {
        do {
            return try snapshotPool.write { db in
                try db.execute(sql: "DELETE FROM snapshots WHERE seq NOT IN (SELECT seq FROM snapshots ORDER BY seq DESC LIMIT ?)",
                               arguments: [Swift.max(count, 1)])
                return db.changesCount
            }
        } catch {
            throw .storage("cannot prune snapshots: \(error)")
        }
    }

    /// Deletes the snapshot at `seq` (one the journal does not reproduce).
    public func deleteSnapshot(seq: Int64) throws(JournalError) {
        do {
            try snapshotPool.write { db in try db.execute(sql: "DELETE FROM snapshots WHERE seq = ?", arguments: [seq]) }
        } catch {
            throw .storage("cannot delete a snapshot: \(error)")
        }
    }

    /// Every snapshot's seq and digest, oldest first (without the state blobs).
    public func snapshotIndex() throws(JournalError) -> [(seq: Int64, digest: String)] {
        do {
            return try snapshotPool.read { db in
                try Row.fetchAll(db, sql: "SELECT seq, digest FROM snapshots ORDER BY seq").map { (seq: $0["seq"], digest: $0["digest"]) }
            }
        } catch {
            throw .storage("cannot read snapshots: \(error)")
        }
    }

    public func snapshot(seq: Int64) throws(JournalError) -> JournalSnapshot? {
        do {
            return try snapshotPool.read { db in
                try Row.fetchOne(db, sql: "SELECT seq, state, digest FROM snapshots WHERE seq = ?", arguments: [seq]).map {
                    JournalSnapshot(seq: $0["seq"], state: $0["state"], digest: $0["digest"])
                }
            }
        } catch {
            throw .storage("cannot read a snapshot: \(error)")
        }
    }

    /// Removes record `seq` and every later one, with their events and any snapshot at or after it.
    public func truncate(from seq: Int64) throws(JournalError) {
        do {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM records WHERE seq >= ?", arguments: [seq])
                try db.execute(sql: "DELETE FROM events WHERE record >= ?", arguments: [seq])
            }
            try snapshotPool.write { db in try db.execute(sql: "DELETE FROM snapshots WHERE seq >= ?", arguments: [seq]) }
        } catch {
            throw .storage("cannot truncate the journal: \(error)")
        }
    }
}
