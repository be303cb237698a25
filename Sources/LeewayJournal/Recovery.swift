import Foundation
import LeewayCore
import LeewayWire

/// Rebuilding the engine from the journal, and checking a journal end to end. Both replay records
/// through the same `Engine.apply` the live server uses.
public enum Recovery {
    /// The engine rebuilt on start-up, with what start-up had to say.
    public struct Outcome: Sendable {
        public var engine: Engine
        public var head: (seq: Int64, hash: [UInt8])
        /// The snapshot the replay started from (0: replayed from the first record).
        public var snapshotSeq: Int64
        /// Snapshots after it whose digests the replay reproduced (the newest among them).
        public var checkedSnapshots: [Int64]
        /// Snapshots deleted because the replay did not reproduce them (only when rebuilding).
        public var removedSnapshots: [Int64]
        public var replayedRecords: Int
        public var warnings: [String]
    }

    /// A journal record as the command it holds; its line number is its seq, as in an export.
    public static func envelope(of record: JournalRecord) throws(JournalError) -> CommandEnvelope {
        switch CommandDecoder.decodeLine(Substring(record.line), lineNumber: Int(record.seq)) {
        case .command(let envelope): return envelope
        case .invalid(let error, _): throw .undecodableRecord(seq: record.seq, detail: error.message)
        case .skip: throw .undecodableRecord(seq: record.seq, detail: "the line is empty")
        }
    }

    /// Start-up: rebuilds the engine so that the newest snapshot is checked against the journal,
    /// not trusted, and checks the hash chain of the records it replays (a bad *last* record is a
    /// torn write and is truncated with a warning; anything else stops start-up).
    ///
    /// The replay starts from the snapshot *before* the newest (the newest older one that decodes
    /// and reproduces its own digest; none: the first record) and runs to the head; when it passes
    /// a newer snapshot's record, its digest must equal the snapshot's. So the newest snapshot is
    /// never loaded, only checked, and start-up costs one snapshot decode plus at most one
    /// snapshot interval more replay than loading the newest would. A snapshot the replay does
    /// not reproduce stops start-up (`snapshotMismatch`, naming both digests) unless
    /// `rebuildingSnapshots` is set: then the whole journal is replayed from the first record,
    /// every snapshot is checked, and those that disagree are deleted (each named in a warning).
    ///
    /// The hash chain is checked from the replay's base on: the records start-up replays. The
    /// records before it are covered by the base snapshot here and checked by `verify`.
    ///
    /// The replay stops at the head read when it starts, so the outcome's `engine` is exactly the
    /// state at `head` even while another server appends (a follower's start-up).
    public static func recover(_ journal: any JournalStore, rebuildingSnapshots: Bool = false) throws(JournalError) -> Outcome {
        var warnings: [String] = []
        var head = try journal.head()
        var index = try journal.snapshotIndex().filter { $0.seq <= head.seq }
        var engine = Engine()
        var snapshotSeq: Int64 = 0
        // The base: the newest snapshot but one that is readable and self-consistent.
        for entry in index.dropLast().reversed() where !rebuildingSnapshots {
            guard let snapshot = try journal.snapshot(seq: entry.seq) else { continue }
            let state: EngineState
            do throws(JournalError) { state = try SnapshotCodec.decode(snapshot.state, seq: entry.seq) } catch {
                warnings.append(error.description)
                continue
            }
            let restored = Engine(state: state)
            guard restored.digest.description == snapshot.digest else {
                warnings.append("the snapshot at record \(entry.seq) does not reproduce its own digest (damaged); starting from an older one")
                continue
            }
            engine = restored
            snapshotSeq = entry.seq
            break
        }
        if let broken = try journal.firstBrokenLink(after: snapshotSeq) {
            guard broken == head.seq, broken > snapshotSeq else { throw .brokenChain(seq: broken) }
            try journal.truncate(from: broken)  // also drops any snapshot taken at or after it
            warnings.append("journal record \(broken) was torn (a crash during its write); it was never acknowledged and has been removed")
            head = try journal.head()
            index = index.filter { $0.seq <= head.seq }
        }
        var pending = index.filter { $0.seq > snapshotSeq }[...]
        var checked: [Int64] = [], removed: [Int64] = []
        func check(at seq: Int64) throws(JournalError) {
            while let next = pending.first, next.seq <= seq {
                pending = pending.dropFirst()
                let digest = engine.digest.description
                if digest == next.digest {
                    checked.append(next.seq)
                } else if rebuildingSnapshots {
                    try journal.deleteSnapshot(seq: next.seq)
                    removed.append(next.seq)
                    warnings.append("deleted the snapshot at record \(next.seq): it says state digest \(next.digest), the journal replayed to that record gives \(digest)")
                } else {
                    throw .snapshotMismatch(seq: next.seq, snapshotDigest: next.digest, replayDigest: digest, replayedFrom: snapshotSeq)
                }
            }
        }
        try check(at: snapshotSeq)
        var replayed = 0
        var after = snapshotSeq
        // To the head read above and no further: a follower recovers while the leader appends, and
        // it goes on from `head` (what it replayed past it would be applied twice).
        while after < head.seq {
            let batch = try journal.records(after: after, limit: Int(Swift.min(10_000, head.seq - after)))
            if batch.isEmpty { break }
            for record in batch {
                _ = engine.apply(try envelope(of: record))
                replayed += 1
                if let next = pending.first, next.seq == record.seq { try check(at: record.seq) }
            }
            after = batch[batch.count - 1].seq
        }
        return Outcome(engine: engine, head: head, snapshotSeq: snapshotSeq, checkedSnapshots: checked, removedSnapshots: removed,
                       replayedRecords: replayed, warnings: warnings)
    }

    /// What `leeway verify` found.
    public struct Verification: Sendable {
        public var records: Int64
        public var snapshotsChecked: Int
        public var digest: String
    }

    /// `leeway verify`: a full replay from an empty engine that checks the hash chain record by
    /// record as it reads them (one pass over the journal) and must reproduce every snapshot's
    /// digest at its record.
    public static func verify(_ journal: any JournalStore) throws(JournalError) -> Verification {
        let snapshots = try journal.snapshotIndex()
        var pending = snapshots[...]
        var engine = Engine()
        var count: Int64 = 0
        var checked = 0
        func checkSnapshots(upTo seq: Int64, engine: Engine) throws(JournalError) {
            while let next = pending.first, next.seq <= seq {
                pending = pending.dropFirst()
                let digest = engine.digest.description
                guard digest == next.digest else { throw .digestMismatch(seq: next.seq, expected: next.digest, found: digest) }
                checked += 1
            }
        }
        try checkSnapshots(upTo: 0, engine: engine)
        var after: Int64 = 0
        var previousHash = JournalRecord.genesisHash
        while true {
            let batch = try journal.records(after: after, limit: 10_000)
            if batch.isEmpty { break }
            for record in batch {
                guard record.seq == count + 1,
                      record.hash == JournalRecord.chainHash(previous: previousHash, seq: record.seq, line: record.line) else {
                    throw .brokenChain(seq: count + 1)
                }
                previousHash = record.hash
                _ = engine.apply(try envelope(of: record))
                count = record.seq
                try checkSnapshots(upTo: record.seq, engine: engine)
            }
            after = batch[batch.count - 1].seq
        }
        return Verification(records: count, snapshotsChecked: checked, digest: engine.digest.description)
    }
}
