/// Where a journal is kept: what `EngineHost`, `Recovery`, `leeway verify` and `leeway export`
/// need from it, whichever database holds it (`SQLiteJournal` for one machine, `PostgresJournal`
/// for a deployment shared by several). Every backend keeps the same semantics:
///
/// - `append` writes a batch of records and their events in one durable transaction (group
///   commit): when it returns, the batch is committed; when it throws, none of it is.
/// - Records are read back exactly as written, in seq order, so the hash chain
///   (`JournalRecord.chainHash`) detects a record altered, removed or written by someone else.
/// - Snapshots are stored apart from the records, so writing one never holds up an append.
///
/// The methods are synchronous: the engine's owner journals a batch before it answers anything,
/// and nothing may read the engine between applying a batch and committing it.
public protocol JournalStore: AnyObject, Sendable {
    /// Where the journal is, for messages (a path, or a PostgreSQL address without its password).
    var location: String { get }

    /// Writes `entries` in one durable transaction.
    func append(_ entries: [JournalEntry]) throws(JournalError)

    /// The last record's seq and hash (0 and the genesis hash for an empty journal).
    func head() throws(JournalError) -> (seq: Int64, hash: [UInt8])

    /// Up to `limit` records after `seq`, in order.
    func records(after seq: Int64, limit: Int) throws(JournalError) -> [JournalRecord]

    /// Up to `limit` stored events after event seq `after`; with `accounts`, only events about them.
    func events(after: Int64, limit: Int, accounts: [String]?) throws(JournalError) -> [(seq: Int64, line: String)]

    func saveSnapshot(_ snapshot: JournalSnapshot) throws(JournalError)

    /// Deletes all but the newest `count` snapshots; returns how many it deleted.
    @discardableResult
    func pruneSnapshots(keeping count: Int) throws(JournalError) -> Int

    /// Deletes the snapshot at `seq` (one the journal does not reproduce).
    func deleteSnapshot(seq: Int64) throws(JournalError)

    /// Every snapshot's seq and digest, oldest first (without the state blobs).
    func snapshotIndex() throws(JournalError) -> [(seq: Int64, digest: String)]

    func snapshot(seq: Int64) throws(JournalError) -> JournalSnapshot?

    /// Removes record `seq` (the torn tail) and every later one, with their events and any
    /// snapshot taken at or after it.
    func truncate(from seq: Int64) throws(JournalError)
}

extension JournalStore {
    /// Up to 10,000 records after `seq`.
    public func records(after seq: Int64) throws(JournalError) -> [JournalRecord] {
        try records(after: seq, limit: 10_000)
    }

    /// Up to `limit` stored events after `after`, about any account.
    public func events(after: Int64, limit: Int) throws(JournalError) -> [(seq: Int64, line: String)] {
        try events(after: after, limit: limit, accounts: nil)
    }

    /// Checks the hash chain from the first record, or from the record after `anchor`, taking
    /// the hash stored for record `anchor` as given (start-up checks only what it replays).
    /// Returns the seq of the first bad record, or nil when every record links to its predecessor.
    public func firstBrokenLink(after anchor: Int64 = 0) throws(JournalError) -> Int64? {
        var previous = JournalRecord.genesisHash
        if anchor > 0 {
            guard let record = try records(after: anchor - 1, limit: 1).first, record.seq == anchor else { return anchor }
            previous = record.hash
        }
        var expectedSeq = anchor + 1
        var after = anchor
        while true {
            let batch = try records(after: after, limit: 20_000)
            if batch.isEmpty { return nil }
            for record in batch {
                guard record.seq == expectedSeq,
                      record.hash == JournalRecord.chainHash(previous: previous, seq: record.seq, line: record.line) else {
                    return expectedSeq
                }
                previous = record.hash
                expectedSeq += 1
            }
            after = batch[batch.count - 1].seq
        }
    }
}
