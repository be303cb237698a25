/// Why the journal cannot be used. Every case has a stable code and a sentence saying what to do.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database could not be opened, read or written.
    case storage(String)
    /// Record `seq` does not hash to the value stored for it, or does not follow its predecessor.
    case brokenChain(seq: Int64)
    /// Record `seq` holds a line that is not a valid command.
    case undecodableRecord(seq: Int64, detail: String)
    /// Replaying the journal does not reproduce a snapshot's digest.
    case digestMismatch(seq: Int64, expected: String, found: String)
    /// Start-up: replaying the journal (from the snapshot at `replayedFrom`, 0 for the first
    /// record) to record `seq` does not reproduce the digest of the snapshot there.
    case snapshotMismatch(seq: Int64, snapshotDigest: String, replayDigest: String, replayedFrom: Int64)
    /// The snapshot at `seq` was written by another schema version of the state (nil: before versions).
    case unsupportedSnapshot(seq: Int64, found: Int?, expected: Int)
    /// The snapshot at `seq` cannot be read.
    case undecodableSnapshot(seq: Int64, detail: String)
    /// The journal database was written by a newer (or unknown) version of its schema.
    case unsupportedJournal(found: Int, expected: Int)
    /// `--postgres` is not a usable PostgreSQL URL.
    case badAddress(String)
    /// The PostgreSQL server at `address` cannot be reached (or has no such database).
    case unreachable(address: String, detail: String)
    /// The PostgreSQL server at `address` refused the user or password.
    case credentialsRefused(address: String, detail: String)
    /// The database holds the journal of another deployment.
    case foreignJournal(found: String, expected: String)
    /// Another `leeway serve` holds the journal's leader lease.
    case leaderElsewhere(holder: String)
    /// An append carried leader epoch `epoch`, but epoch `current` leads the journal now: a newer
    /// leader took over and the database refused the append (nothing of it was written).
    case fenced(epoch: Int64, current: Int64)

    public var code: String {
        switch self {
        case .storage: return "journal_storage"
        case .brokenChain: return "journal_broken_chain"
        case .undecodableRecord: return "journal_undecodable_record"
        case .digestMismatch: return "journal_digest_mismatch"
        case .snapshotMismatch: return "journal_snapshot_mismatch"
        case .unsupportedSnapshot: return "journal_unsupported_snapshot"
        case .undecodableSnapshot: return "journal_undecodable_snapshot"
        case .unsupportedJournal: return "journal_unsupported_schema"
        case .badAddress: return "journal_bad_address"
        case .unreachable: return "journal_unreachable"
        case .credentialsRefused: return "journal_credentials_refused"
        case .foreignJournal: return "journal_foreign"
        case .leaderElsewhere: return "journal_leader_elsewhere"
        case .fenced: return "journal_fenced"
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
        case .snapshotMismatch(let seq, let snapshotDigest, let replayDigest, let base):
            let from = base == 0 ? "the first record" : "the snapshot at record \(base)"
            return "the snapshot at record \(seq) says state digest \(snapshotDigest), but replaying the journal from \(from) to record \(seq) gives \(replayDigest): the snapshot does not match the journal, so the server does not start on it. Run `leeway verify --data DIR` to check the whole journal; `leeway serve --rebuild-from-journal` replays the journal from its first record, deletes the snapshots that disagree with it and starts"
        case .unsupportedSnapshot(let seq, let found, let expected):
            return "the snapshot at record \(seq) has state schema version \(found.map(String.init) ?? "none (written before versions)"), this build reads version \(expected); it is skipped and the journal replayed instead"
        case .undecodableSnapshot(let seq, let detail):
            return "the snapshot at record \(seq) cannot be read (\(detail)); it is skipped and the journal replayed instead"
        case .unsupportedJournal(let found, let expected):
            return "the journal database has schema version \(found), but this build of leeway reads version \(expected); run the leeway release that wrote it, or export with it and replay into a new data directory"
        case .badAddress(let detail):
            return "the --postgres address cannot be used: \(detail)"
        case .unreachable(let address, let detail):
            return "cannot connect to PostgreSQL at \(address) (\(detail)); check that the server runs, that the host, port and database in --postgres are right, and that the database exists"
        case .credentialsRefused(let address, let detail):
            return "PostgreSQL at \(address) refused the credentials (\(detail)); check the user and password in --postgres"
        case .foreignJournal(let found, let expected):
            return "the database holds the journal of deployment '\(found)', not '\(expected)'; pass --deployment \(found) to use it, or point --postgres at another database"
        case .leaderElsewhere(let holder):
            return "another leeway serve leads this journal (\(holder)); stop it, or point --postgres at another database"
        case .fenced(let epoch, let current):
            return "the database refused an append from leader epoch \(epoch): epoch \(current) leads the journal now (another leeway serve took over); this server no longer acknowledges commands"
        }
    }
}
