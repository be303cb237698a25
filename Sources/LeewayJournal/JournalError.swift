/// Why the journal cannot be used. Every case has a stable code and a sentence saying what to do.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite could not open or write the database.
    case storage(String)
    /// Record `seq` does not hash to the value stored for it, or does not follow its predecessor.
    case brokenChain(seq: Int64)
    /// Record `seq` holds a line that is not a valid command.
    case undecodableRecord(seq: Int64, detail: String)
    /// Replaying the journal does not reproduce a snapshot's digest.
    case digestMismatch(seq: Int64, expected: String, found: String)

    public var code: String {
        switch self {
        case .storage: return "journal_storage"
        case .brokenChain: return "journal_broken_chain"
        case .undecodableRecord: return "journal_undecodable_record"
        case .digestMismatch: return "journal_digest_mismatch"
        }
    }

    public var description: String {
        switch self {
        case .storage(let detail):
            return "the journal database cannot be used: \(detail)"
        case .brokenChain(let seq):
            return "journal record \(seq) does not match the hash chain: the journal was altered or damaged; restore it from a backup (refusing to start on a partial state)"
        case .undecodableRecord(let seq, let detail):
            return "journal record \(seq) is not a valid command (\(detail)); restore the journal from a backup"
        case .digestMismatch(let seq, let expected, let found):
            return "replaying the journal to record \(seq) gives state digest \(found), but the snapshot there says \(expected): the journal or the snapshot was altered"
        }
    }
}
