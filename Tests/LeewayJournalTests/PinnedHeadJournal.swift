import LeewayJournal

/// A journal whose `head` stays where it was when it was pinned while its records go on: what a
/// follower's start-up sees when the leader appends after the follower read the head.
final class PinnedHeadJournal: JournalStore {
    let base: any JournalStore
    let pinned: (seq: Int64, hash: [UInt8])

    init(_ base: any JournalStore, head: (seq: Int64, hash: [UInt8])) {
        self.base = base
        pinned = head
    }

    var location: String { base.location }
    func append(_ entries: [JournalEntry]) throws(JournalError) { try base.append(entries) }
    func head() throws(JournalError) -> (seq: Int64, hash: [UInt8]) { pinned }
    func records(after seq: Int64, limit: Int) throws(JournalError) -> [JournalRecord] { try base.records(after: seq, limit: limit) }
    func events(after: Int64, limit: Int, accounts: [String]?) throws(JournalError) -> [(seq: Int64, line: String)] {
        try base.events(after: after, limit: limit, accounts: accounts)
    }
    func saveSnapshot(_ snapshot: JournalSnapshot) throws(JournalError) { try base.saveSnapshot(snapshot) }
    func pruneSnapshots(keeping count: Int) throws(JournalError) -> Int { try base.pruneSnapshots(keeping: count) }
    func deleteSnapshot(seq: Int64) throws(JournalError) { try base.deleteSnapshot(seq: seq) }
    func snapshotIndex() throws(JournalError) -> [(seq: Int64, digest: String)] { try base.snapshotIndex() }
    func snapshot(seq: Int64) throws(JournalError) -> JournalSnapshot? { try base.snapshot(seq: seq) }
    func truncate(from seq: Int64) throws(JournalError) { try base.truncate(from: seq) }
}
