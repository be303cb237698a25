import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The journal in PostgreSQL (`leeway serve --postgres URL`), for a deployment that outlives one
/// machine: the same records, events and snapshots as `SQLiteJournal`, with the same semantics
/// (`JournalStore`), in the tables `PostgresSchema` describes.
///
/// `append` writes a batch in one transaction and returns once PostgreSQL answered its COMMIT
/// (with `synchronous_commit` on, the server's default, that is after its WAL flush): group
/// commit, one round of durable writes per batch. Records are inserted from arrays (`unnest`), one
/// statement for the records and one for the events, however large the batch.
///
/// A journal opened to `lead` holds the leader lease (see `PostgresSchema`) and stamps every record
/// with its epoch, and NOTIFYs `PostgresSchema.appendChannel` in each append's transaction (so the
/// notification is delivered only once the append is committed); a `standby` follows the journal
/// (`listenForAppends`) until `tryToLead` finds the lease free. One opened to `read` (`leeway
/// verify`, `leeway export`) cannot append. Appends,
/// reads and snapshots each have their own connection, so a snapshot being written (tens of MB)
/// never holds up the next batch, and a transaction never interleaves with another query.
public final class PostgresJournal: JournalStore {
    public let address: PostgresAddress
    public let deployment: String
    /// The leader epoch this journal's appends carry; nil while it does not lead.
    public var epoch: Int64? { leadEpoch.withLock { $0 } }
    private let leadEpoch = Mutex<Int64?>(nil)
    private let holder: String?
    private let logger: Logger
    let writer: PostgresSession
    let reader: PostgresSession
    let snapshots: PostgresSession
    /// The session that takes and renews the leader lease (and holds its advisory lock).
    let lease: PostgresSession?
    /// A standby's session that LISTENs for the leader's appends (`listenForAppends`).
    let listener: PostgresSession?
    /// Whether `lease` holds the advisory lock (taken once; advisory locks stack).
    private let holdsAdvisoryLock = Mutex(false)

    public var location: String { address.description }

    /// The version of the tables' layout (`PostgresSchema`).
    public static var schemaVersion: Int { PostgresSchema.version }

    /// What the journal is opened for.
    public enum Access: Sendable, Equatable {
        /// Read only (verify, export): a database without a journal is refused.
        case read
        /// Serve: create the journal if the database has none, take the leader lease (refused while
        /// another server holds it) and a new epoch; `holder` says who took it, for the refusals.
        case lead(holder: String)
        /// Serve as a standby: create or check the journal, follow it (`listenForAppends`), and
        /// only take the lease when `tryToLead` finds it free (its leader died or stopped renewing it).
        case standby(holder: String)
    }

    /// Connects, creates or checks the journal's tables, and takes the lease when leading. Refuses
    /// a database holding another deployment's journal (`foreignJournal`), a schema from another
    /// version (`unsupportedJournal`), and a lease held by another process (`leaderElsewhere`).
    public init(address: PostgresAddress, deployment: String, access: Access,
                logger: Logger = Logger(label: "leeway.journal.postgres")) throws(JournalError) {
        self.address = address
        self.deployment = deployment
        self.logger = logger
        writer = try PostgresSession(address: address, name: "append", logger: logger)
        reader = try PostgresSession(address: address, name: "read", logger: logger)
        snapshots = try PostgresSession(address: address, name: "snapshots", logger: logger)
        try Self.prepareTables(on: writer, deployment: deployment, creating: access != .read, address: address)
        switch access {
        case .read:
            lease = nil
            listener = nil
            holder = nil
        case .lead(let holder):
            lease = try PostgresSession(address: address, name: "lease", logger: logger)
            listener = nil
            self.holder = holder
        case .standby(let holder):
            lease = try PostgresSession(address: address, name: "lease", logger: logger)
            listener = try PostgresSession(address: address, name: "listen", logger: logger)
            self.holder = holder
        }
        if case .lead = access, try !tryToLead() {
            throw .leaderElsewhere(holder: try leaseHolder())
        }
    }

    /// Who holds the lease, its epoch and since when (for messages).
    public func leaseHolder() throws(JournalError) -> String {
        let session = lease ?? reader
        let row = try session.query("SELECT holder || ', epoch ' || epoch || ', since ' || since FROM leeway.lease", "read the leader lease")
        return try Self.decode(row.first, as: String.self, "read the leader lease") ?? "unknown"
    }

    /// Takes the lease with a new epoch if it is free: the advisory lock was granted (the last
    /// leader's session is gone) or the lease expired (its leader stopped renewing it). True when
    /// this journal leads now (also when it already did); false while another server leads.
    public func tryToLead() throws(JournalError) -> Bool {
        guard let lease, let holder else { return false }
        if epoch != nil { return true }
        if !holdsAdvisoryLock.withLock({ $0 }) {
            let taken = try lease.query("SELECT pg_try_advisory_lock(\(PostgresSchema.leaseLock))", "take the leader lease")
            if try Self.decode(taken.first, as: Bool.self, "take the leader lease") == true { holdsAdvisoryLock.withLock { $0 = true } }
        }
        let locked = holdsAdvisoryLock.withLock { $0 }
        let milliseconds = PostgresSchema.leaseMilliseconds
        let raised = try lease.query("""
            UPDATE leeway.lease SET epoch = epoch + 1, holder = \(holder), since = now(), expires = now() + \(milliseconds) * interval '1 millisecond'
            WHERE id = 1 AND (\(locked) OR expires < now()) RETURNING epoch
            """, "take a new leader epoch")
        guard let epoch = try Self.decode(raised.first, as: Int64.self, "take a new leader epoch") else { return false }
        leadEpoch.withLock { $0 = epoch }
        logger.info("leading the journal", metadata: ["postgres": "\(address)", "deployment": "\(deployment)", "epoch": "\(epoch)"])
        return true
    }

    /// Calls `onAppend` once for every append a leader commits (a NOTIFY on
    /// `PostgresSchema.appendChannel`, delivered after the commit), until the calling task is
    /// cancelled; throws when this journal was not opened as a standby or the connection is lost.
    /// A wake-up only: the records are read with `records(after:)`, so a missed notification
    /// costs nothing but the wait for a follower's next poll.
    public func listenForAppends(_ onAppend: @escaping @Sendable () async -> Void) async throws(JournalError) {
        let what = "listen for the leader's appends"
        guard let listener else { throw .storage("cannot \(what): the journal was not opened as a standby") }
        do {
            try await listener.connection.listen(on: PostgresSchema.appendChannel) { notifications in
                for try await _ in notifications { await onAppend() }
            }
        } catch is CancellationError {
            return
        } catch {
            throw PostgresSession.failure(error, what)
        }
    }

    /// How often the leader must call `renewLease`.
    public static var renewEvery: Duration { .milliseconds(PostgresSchema.renewEveryMilliseconds) }

    /// Extends the lease; throws `fenced` when another server took it (this one must stop).
    public func renewLease() throws(JournalError) {
        guard let lease, let epoch else { throw .storage("cannot renew the leader lease: this server does not lead") }
        let milliseconds = PostgresSchema.leaseMilliseconds
        let renewed = try lease.query("""
            UPDATE leeway.lease SET expires = now() + \(milliseconds) * interval '1 millisecond' WHERE id = 1 AND epoch = \(epoch) RETURNING epoch
            """, "renew the leader lease", timeout: .milliseconds(Int64(milliseconds)))
        guard renewed.isEmpty else { return }
        let current = try lease.query("SELECT epoch FROM leeway.lease WHERE id = 1", "read the leader lease")
        throw .fenced(epoch: epoch, current: try Self.decode(current.first, as: Int64.self, "read the leader lease") ?? 0)
    }

    /// Creates the tables in a database without them (when `creating`), or checks the schema
    /// version and the deployment of those there; under an advisory lock, so two servers starting
    /// together on an empty database do not both create them.
    static func prepareTables(on session: PostgresSession, deployment: String, creating: Bool, address: PostgresAddress) throws(JournalError) {
        try session.transaction("prepare the journal's tables") { () throws(JournalError) in
            _ = try session.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.setupLock))", "prepare the journal's tables")
            let exists = try session.query("SELECT to_regclass('leeway.meta') IS NOT NULL", "look for a journal")
            if try decode(exists.first, as: Bool.self, "look for a journal") != true {
                guard creating else {
                    throw .storage("no Leeway journal in \(address) (the schema leeway has no meta table); `leeway serve --postgres` creates one")
                }
                for statement in PostgresSchema.create {
                    _ = try session.query(PostgresQuery(unsafeSQL: statement), "create the journal's tables")
                }
                let version = String(PostgresSchema.version)
                _ = try session.query("INSERT INTO leeway.meta VALUES ('schema_version', \(version)), ('deployment', \(deployment))",
                                      "create the journal's tables")
                return
            }
            let rows = try session.query("SELECT key, value FROM leeway.meta", "read the journal's schema version")
            var meta: [String: String] = [:]
            for row in rows {
                do {
                    let (key, value) = try row.decode((String, String).self)
                    meta[key] = value
                } catch {
                    throw .storage("cannot read the journal's meta table: \(PostgresSession.describe(error))")
                }
            }
            let found = meta["schema_version"].flatMap { Int($0) } ?? 0
            guard found == PostgresSchema.version else { throw .unsupportedJournal(found: found, expected: PostgresSchema.version) }
            let owner = meta["deployment"] ?? ""
            guard owner == deployment else { throw .foreignJournal(found: owner, expected: deployment) }
        }
    }

    /// The first column of `row` as `type` (nil: no row).
    static func decode<Value: PostgresDecodable>(_ row: PostgresRow?, as type: Value.Type, _ what: String) throws(JournalError) -> Value? {
        guard let row else { return nil }
        do { return try row.decode(Value.self) } catch {
            throw .storage("cannot \(what): \(PostgresSession.describe(error))")
        }
    }

    /// Decodes every row of `result` with `transform`, as a `JournalError` naming `what`.
    static func rows<Value>(_ result: PostgresQueryResult, _ what: String, _ transform: (PostgresRow) throws -> Value) throws(JournalError) -> [Value] {
        do { return try result.map(transform) } catch {
            throw .storage("cannot \(what): \(PostgresSession.describe(error))")
        }
    }

    public func append(_ entries: [JournalEntry]) throws(JournalError) {
        guard !entries.isEmpty else { return }
        guard let epoch else { throw .storage("cannot append to the journal: it was opened to read only") }
        var seqs: [Int64] = [], lines: [String] = [], hashes: [ByteBuffer] = []
        var eventSeqs: [Int64] = [], eventRecords: [Int64] = [], hasAccount: [Bool] = [], accounts: [String] = [], eventLines: [String] = []
        seqs.reserveCapacity(entries.count)
        lines.reserveCapacity(entries.count)
        hashes.reserveCapacity(entries.count)
        for entry in entries {
            seqs.append(entry.record.seq)
            lines.append(entry.record.line)
            hashes.append(ByteBuffer(bytes: entry.record.hash))
            for event in entry.events {
                eventSeqs.append(event.seq)
                eventRecords.append(entry.record.seq)
                // PostgresNIO binds no arrays with NULLs: a flag says which accounts are absent.
                hasAccount.append(event.account != nil)
                accounts.append(event.account ?? "")
                eventLines.append(event.line)
            }
        }
        let what = "append to the journal"
        try writer.transaction(what) { () throws(JournalError) in
            // The epoch first: once another leader has appended, this batch's seqs already exist,
            // and the primary key would refuse them before the fencing trigger could say why.
            try requireLeadingEpoch(epoch, what, notifying: seqs[seqs.count - 1])
            _ = try writer.query("""
                INSERT INTO leeway.records (seq, epoch, line, hash)
                SELECT seq, \(epoch), line, hash FROM unnest(\(seqs)::int8[], \(lines)::text[], \(hashes)::bytea[]) AS t(seq, line, hash)
                """, what)
            guard !eventSeqs.isEmpty else { return }
            _ = try writer.query("""
                INSERT INTO leeway.events (seq, record, account, line)
                SELECT seq, record, CASE WHEN has_account THEN account END, line
                FROM unnest(\(eventSeqs)::int8[], \(eventRecords)::int8[], \(hasAccount)::bool[], \(accounts)::text[], \(eventLines)::text[])
                    AS t(seq, record, has_account, account, line)
                """, what)
        }
    }

    public func head() throws(JournalError) -> (seq: Int64, hash: [UInt8]) {
        let what = "read the journal"
        let result = try reader.query("SELECT seq, hash FROM leeway.records ORDER BY seq DESC LIMIT 1", what)
        let heads = try Self.rows(result, what) { row in
            let (seq, hash) = try row.decode((Int64, ByteBuffer).self)
            return (seq: seq, hash: Array(hash.readableBytesView))
        }
        return heads.first ?? (0, JournalRecord.genesisHash)
    }

    public func records(after seq: Int64, limit: Int) throws(JournalError) -> [JournalRecord] {
        let what = "read the journal"
        let result = try reader.query("SELECT seq, line, hash FROM leeway.records WHERE seq > \(seq) ORDER BY seq LIMIT \(limit)", what)
        return try Self.rows(result, what) { row in
            let (seq, line, hash) = try row.decode((Int64, String, ByteBuffer).self)
            return JournalRecord(seq: seq, line: line, hash: Array(hash.readableBytesView))
        }
    }

    public func events(after: Int64, limit: Int, accounts: [String]?) throws(JournalError) -> [(seq: Int64, line: String)] {
        let what = "read events"
        let result: PostgresQueryResult
        if let accounts {
            guard !accounts.isEmpty else { return [] }
            result = try reader.query("""
                SELECT seq, line FROM leeway.events WHERE seq > \(after) AND account = ANY(\(accounts)::text[]) ORDER BY seq LIMIT \(limit)
                """, what)
        } else {
            result = try reader.query("SELECT seq, line FROM leeway.events WHERE seq > \(after) ORDER BY seq LIMIT \(limit)", what)
        }
        return try Self.rows(result, what) { row in
            let (seq, line) = try row.decode((Int64, String).self)
            return (seq: seq, line: line)
        }
    }

    public func saveSnapshot(_ snapshot: JournalSnapshot) throws(JournalError) {
        let state = ByteBuffer(bytes: snapshot.state)
        _ = try snapshots.query("""
            INSERT INTO leeway.snapshots (seq, state, digest) VALUES (\(snapshot.seq), \(state), \(snapshot.digest))
            ON CONFLICT (seq) DO UPDATE SET state = excluded.state, digest = excluded.digest
            """, "save a snapshot")
    }

    @discardableResult
    public func pruneSnapshots(keeping count: Int) throws(JournalError) -> Int {
        let kept = Swift.max(count, 1)
        let result = try snapshots.query("""
            DELETE FROM leeway.snapshots WHERE seq NOT IN (SELECT seq FROM leeway.snapshots ORDER BY seq DESC LIMIT \(kept))
            """, "prune snapshots")
        return result.metadata.rows ?? 0
    }

    public func deleteSnapshot(seq: Int64) throws(JournalError) {
        _ = try snapshots.query("DELETE FROM leeway.snapshots WHERE seq = \(seq)", "delete a snapshot")
    }

    public func snapshotIndex() throws(JournalError) -> [(seq: Int64, digest: String)] {
        let what = "read snapshots"
        let result = try snapshots.query("SELECT seq, digest FROM leeway.snapshots ORDER BY seq", what)
        return try Self.rows(result, what) { row in
            let (seq, digest) = try row.decode((Int64, String).self)
            return (seq: seq, digest: digest)
        }
    }

    public func snapshot(seq: Int64) throws(JournalError) -> JournalSnapshot? {
        let what = "read a snapshot"
        let result = try snapshots.query("SELECT seq, state, digest FROM leeway.snapshots WHERE seq = \(seq)", what)
        return try Self.rows(result, what) { row in
            let (seq, state, digest) = try row.decode((Int64, Data, String).self)
            return JournalSnapshot(seq: seq, state: state, digest: digest)
        }.first
    }

    /// Inside a write transaction: throws `fenced` unless `epoch` leads the journal, holding the
    /// lease row `FOR SHARE` until the transaction ends (so a takeover waits for it, and a
    /// transaction that passed this check cannot interleave with one). With `notifying`, the same
    /// statement queues a NOTIFY of that head seq on `PostgresSchema.appendChannel`, which
    /// PostgreSQL delivers to the followers only if the transaction commits (no extra round trip).
    func requireLeadingEpoch(_ epoch: Int64, _ what: String, notifying head: Int64? = nil) throws(JournalError) {
        let leading: PostgresQueryResult
        if let head {
            leading = try writer.query("""
                SELECT epoch, pg_notify(\(PostgresSchema.appendChannel), \(String(head))) FROM leeway.lease WHERE id = 1 FOR SHARE
                """, what)
        } else {
            leading = try writer.query("SELECT epoch FROM leeway.lease WHERE id = 1 FOR SHARE", what)
        }
        let current = try Self.decode(leading.first, as: Int64.self, what) ?? 0
        guard current == epoch else { throw .fenced(epoch: epoch, current: current) }
    }

    public func truncate(from seq: Int64) throws(JournalError) {
        let what = "truncate the journal"
        guard let epoch else { throw .storage("cannot truncate the journal: it was opened to read only") }
        try writer.transaction(what) { () throws(JournalError) in
            // Only the leading epoch may remove records (the trigger fences inserts, this deletes).
            try requireLeadingEpoch(epoch, what)
            _ = try writer.query("DELETE FROM leeway.records WHERE seq >= \(seq)", what)
            _ = try writer.query("DELETE FROM leeway.events WHERE record >= \(seq)", what)
        }
        _ = try snapshots.query("DELETE FROM leeway.snapshots WHERE seq >= \(seq)", what)
    }
}
