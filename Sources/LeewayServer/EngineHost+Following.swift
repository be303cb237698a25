import LeewayCore
import LeewayJournal
import Logging

/// A follower: a host that applies the records another server committed to the journal, in order,
/// through the same `Engine.apply` as recovery and the leader, checking the hash chain record by
/// record; it serves reads of what it applied and refuses commands (421) until `lead`.
extension EngineHost {
    /// Records applied per `followJournal` call: the owner answers reads between chunks, so a long
    /// catch-up never holds them up for more than one chunk's apply.
    public static var followChunk: Int { 2_000 }

    /// Refuses a command unless this host leads: a follower answers 421 `read_only_follower`, with
    /// the leader's name when its lease says it; nothing is queued or applied.
    public func refuseUnlessLeading() throws(ServerError) {
        guard case .following(let leader) = role else { return }
        let to = leader.map { "the leader: \($0)" } ?? "the server that leads it (none has said so yet)"
        throw ServerError(status: 421, code: "read_only_follower",
                          message: "this server follows the journal and serves reads only (applied up to record \(head.seq)); nothing was applied: send commands to \(to)")
    }

    /// The leader named by the lease (a follower's 421 says it).
    public func follow(leader: String?) {
        guard case .following = role else { return }
        role = .following(leader: leader)
    }

    /// One step of following: applies up to `followChunk` records committed after the last one
    /// applied. True when more may be waiting (the chunk was full). A failure to read the journal,
    /// or a record that breaks the hash chain, stops nothing but this step: `/healthz` answers 503
    /// with the reason until a later step succeeds (reads go on serving what was applied, at the
    /// seq the header states).
    public func followJournal() -> Bool {
        guard case .following = role else { return false }
        do {
            let applied = try applyCommitted(limit: Self.followChunk)
            if let failure, failure.code == Self.followFailureCode {
                self.failure = nil
                logger.notice("following the journal again", metadata: ["applied": "\(head.seq)", "was": "\(failure.message)"])
            }
            return applied == Self.followChunk
        } catch {
            if failure == nil { logger.error("cannot follow the journal", metadata: ["applied": "\(head.seq)", "error": "\(error)"]) }
            failure = ServerError(status: 503, code: Self.followFailureCode,
                                  message: "this follower cannot apply the journal past record \(head.seq) (\(error)); its reads stop there")
            return false
        }
    }

    static var followFailureCode: String { "journal_unavailable" }

    /// Becomes the leader, continuing from the state already applied: this server holds the lease
    /// with a new epoch (no other server can append now), so it applies every record committed
    /// before the takeover and then takes commands. No recovery: a follower that kept up has only
    /// the last few batches to apply. `renewing` runs before each chunk of `followChunk` records
    /// (the caller renews its lease there, so a long catch-up cannot let it expire and hand the
    /// journal to another server). Throws when those records cannot be read or break the chain
    /// (the server must not lead on a state the journal does not reproduce), or when `renewing` does.
    public func lead(renewing: @Sendable () throws(JournalError) -> Void = {}) throws(JournalError) -> (continuedFrom: Int64, caughtUp: Int) {
        let from = head.seq
        var caughtUp = 0
        while true {
            try renewing()
            let applied = try applyCommitted(limit: Self.followChunk)
            caughtUp += applied
            if applied < Self.followChunk { break }
        }
        role = .leading
        failure = nil
        lastSnapshotSeq = Swift.max(lastSnapshotSeq, try journal.snapshotIndex().last?.seq ?? 0)
        return (from, caughtUp)
    }

    /// Applies up to `limit` committed records after `head`, checking each one's seq and chain hash
    /// against the last applied; publishes their events to the streams and counts them (and the
    /// apply's time in `leeway_apply_seconds`, as the leader does). What was
    /// applied before a bad record stays applied (and published); the bad one throws.
    func applyCommitted(limit: Int) throws(JournalError) -> Int {
        let records = try journal.records(after: head.seq, limit: limit)
        let applyStart = ContinuousClock.now
        var entries: [JournalEntry] = []
        var types: [String] = []
        var outcomes: [CommandOutcome] = []
        var previous = head
        defer {
            head = previous
            if !records.isEmpty { metrics.recordApply(ContinuousClock.now - applyStart) }
            countApplied(types: types, outcomes: [outcomes])
            publish(entries)
        }
        for record in records {
            guard record.seq == previous.seq + 1,
                  record.hash == JournalRecord.chainHash(previous: previous.hash, seq: record.seq, line: record.line) else {
                throw .brokenChain(seq: previous.seq + 1)
            }
            let envelope = try Recovery.envelope(of: record)
            let events = engine.apply(envelope)
            types.append(envelope.command.typeName)
            outcomes.append(CommandOutcome(record: record.seq, events: events))
            entries.append(Self.entry(record, events: events))
            previous = (record.seq, record.hash)
        }
        return records.count
    }
}
