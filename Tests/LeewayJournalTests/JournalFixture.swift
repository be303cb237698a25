import Foundation
import GRDB
import LeewayCore
import LeewayJournal
import LeewayWire
import PostgresTestSupport

/// A fresh, empty journal on one backend, with SQL on its tables underneath the journal (to damage
/// them as a crash or an intruder would). `open` opens it as `leeway serve` does.
final class JournalFixture: Sendable {
    enum Backend: String, Sendable, CaseIterable {
        case sqlite, postgres
    }

    let backend: Backend
    let directory: String
    let database: PostgresTestDatabase?

    private init(backend: Backend, directory: String, database: PostgresTestDatabase?) {
        self.backend = backend
        self.directory = directory
        self.database = database
    }

    static func make(_ backend: Backend) async throws -> JournalFixture {
        switch backend {
        case .sqlite: return JournalFixture(backend: backend, directory: temporaryDataDirectory(), database: nil)
        case .postgres: return JournalFixture(backend: backend, directory: "", database: try await PostgresTestDatabase.create())
        }
    }

    /// Opens the journal (creating it the first time); on PostgreSQL it takes the leader lease,
    /// released when the journal is.
    func open() throws(JournalError) -> any JournalStore {
        if let database {
            return try PostgresJournal(address: database.address, deployment: "tests", access: .lead(holder: "the journal tests"))
        }
        return try SQLiteJournal(directory: directory)
    }

    /// The schema version the backend writes.
    var schemaVersion: Int { backend == .sqlite ? SQLiteJournal.schemaVersion : PostgresJournal.schemaVersion }

    /// Runs `sql` on the journal's database, below the journal; `{records}`, `{meta}` and
    /// `{snapshots}` name the backend's tables.
    func execute(_ sql: String) async throws {
        if let database {
            try await database.execute(sql.replacingOccurrences(of: "{", with: "leeway.").replacingOccurrences(of: "}", with: ""))
            return
        }
        let tables = sql.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
        let path = directory + (sql.contains("{snapshots}") ? "/snapshots.sqlite" : "/journal.sqlite")
        try await DatabaseQueue(path: path).write { db in try db.execute(sql: tables) }
    }

    func remove() async {
        if let database { await database.drop() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A fresh journal directory per test.
func temporaryDataDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("leeway-journal-\(UUID().uuidString)").path
}

/// Appends `lines` as records (with their events) the way the server does.
func appendLines(_ lines: [String], to journal: any JournalStore, engine: inout Engine) throws {
    var head = try journal.head()
    var entries: [JournalEntry] = []
    for line in lines {
        let seq = head.seq + 1
        let record = JournalRecord(seq: seq, line: line, hash: JournalRecord.chainHash(previous: head.hash, seq: seq, line: line))
        let events = engine.apply(try Recovery.envelope(of: record))
        entries.append(JournalEntry(record: record, events: events.map { ($0.seq, $0.kind.account, EventEncoder.encode($0)) }))
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
