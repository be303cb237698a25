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
    /// The digests that check snapshots are computed on another thread while the replay goes on
    /// (so a million-account start-up pays for them about once, not once per snapshot); what a
    /// comparison decides is the same as if it were made at the snapshot's record.
    ///
    /// The replay stops at the head read when it starts, so the outcome's `engine` is exactly the
    /// state at `head` even while another server appends (a follower's start-up).
    public static func recover(_ journal: any JournalStore, rebuildingSnapshots: Bool = false) throws(JournalError) -> Outcome {
        var warnings: [String] = []
        var damaged: Set<Int64> = []
        while true {
            if let outcome = try attempt(journal, rebuildingSnapshots: rebuildingSnapshots, skipping: &damaged, warnings: &warnings) {
                return outcome
            }
        }
    }

    /// One start-up from the newest usable base. The digests that check snapshots (the base's
    /// own, and each newer one the replay passes) are computed on another thread while the replay
    /// goes on, and compared at the end; nil when the base turned out not to reproduce its own
    /// digest: it is added to `damaged` and start-up tries again from an older one.
    private static func attempt(_ journal: any JournalStore, rebuildingSnapshots: Bool, skipping damaged: inout Set<Int64>,
                                warnings: inout [String]) throws(JournalError) -> Outcome? {
        var head = try journal.head()
        var index = try journal.snapshotIndex().filter { $0.seq <= head.seq }
        var engine = Engine()
        var snapshotSeq: Int64 = 0
        var baseCheck: (digest: String, computed: BackgroundDigest)?
        // The base: the newest snapshot but one that is readable and self-consistent.
        for entry in index.dropLast().reversed() where !rebuildingSnapshots && !damaged.contains(entry.seq) {
            guard let snapshot = try journal.snapshot(seq: entry.seq) else { continue }
            let state: EngineState
            do throws(JournalError) { state = try SnapshotCodec.decode(snapshot.state, seq: entry.seq) } catch {
                warnings.append(error.description)
                continue
            }
            // Hashed on the other core while this one rebuilds the indexes and replays.
            baseCheck = (snapshot.digest, BackgroundDigest(of: state))
            engine = Engine(state: state)
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
        // Snapshots the replay reached, with the digest of the state there (being computed).
        var reached: [(seq: Int64, digest: String, computed: BackgroundDigest)] = []
        var checked: [Int64] = [], removed: [Int64] = []
        /// Compares what was reached so far, oldest first: at most one digest is in flight besides the base's.
        func compareReached() throws(JournalError) {
            for snapshot in reached {
                let digest = snapshot.computed.value.description
                if digest == snapshot.digest {
                    checked.append(snapshot.seq)
                } else if rebuildingSnapshots {
                    try journal.deleteSnapshot(seq: snapshot.seq)
                    removed.append(snapshot.seq)
                    warnings.append("deleted the snapshot at record \(snapshot.seq): it says state digest \(snapshot.digest), the journal replayed to that record gives \(digest)")
                } else {
                    throw .snapshotMismatch(seq: snapshot.seq, snapshotDigest: snapshot.digest, replayDigest: digest, replayedFrom: snapshotSeq)
                }
            }
            reached.removeAll()
        }
        /// False when the base is damaged (so nothing replayed from it can be judged).
        func baseIsSound() -> Bool {
            guard let (digest, computed) = baseCheck else { return true }
            guard computed.value.description == digest else { return false }
            baseCheck = nil
            return true
        }
        func reach(_ seq: Int64, state: EngineState) throws(JournalError) {
            while let next = pending.first, next.seq <= seq {
                pending = pending.dropFirst()
                if !reached.isEmpty {
                    guard baseIsSound() else { return }
                    try compareReached()
                }
                reached.append((next.seq, next.digest, BackgroundDigest(of: state)))
            }
        }
        try reach(snapshotSeq, state: engine.state)
        // To the head read above and no further: a follower recovers while the leader appends, and
        // it goes on from `head` (what it replayed past it would be applied twice). The chain was
        // checked above; the records are read and decoded a batch ahead on the other core.
        let reader = RecordPrefetcher(journal: journal, after: snapshotSeq, through: head.seq)
        defer { reader.stop() }
        let replayed = try reader.apply(to: &engine, reaching: { pending.first?.seq == $0 }) { seq, state throws(JournalError) in
            try reach(seq, state: state)
        }.count
        guard baseIsSound() else {
            warnings.append("the snapshot at record \(snapshotSeq) does not reproduce its own digest (damaged); starting from an older one")
            damaged.insert(snapshotSeq)
            return nil
        }
        try compareReached()
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
    /// Each snapshot's digest is computed on another thread while the replay goes on, and the
    /// records are read, chain-checked and decoded on another as well (`RecordPrefetcher`).
    public static func verify(_ journal: any JournalStore) throws(JournalError) -> Verification {
        let snapshots = try journal.snapshotIndex()
        var pending = snapshots[...]
        var engine = Engine()
        var checked = 0
        // The snapshots reached last (at most two), their digests being computed on other threads
        // meanwhile. Two, not one: the last snapshots of a journal are often close together (the
        // one a clean stop writes at the head), and waiting for one digest before starting the
        // next left a core idle at the end of a million-account replay.
        var inFlight: [(seq: Int64, digest: String, computed: BackgroundDigest)] = []
        /// Compares the oldest in flight (so a mismatch names the first snapshot that differs).
        func compareOldest() throws(JournalError) {
            let (seq, expected, computed) = inFlight.removeFirst()
            let digest = computed.value.description
            guard digest == expected else { throw .digestMismatch(seq: seq, expected: expected, found: digest) }
            checked += 1
        }
        func checkSnapshots(upTo seq: Int64, state: EngineState) throws(JournalError) {
            while let next = pending.first, next.seq <= seq {
                pending = pending.dropFirst()
                if inFlight.count == 2 { try compareOldest() }
                inFlight.append((next.seq, next.digest, BackgroundDigest(of: state)))
            }
        }
        try checkSnapshots(upTo: 0, state: engine.state)
        // Read, chain-checked and decoded a batch ahead on another thread.
        let reader = RecordPrefetcher(journal: journal, after: 0, chainFrom: JournalRecord.genesisHash)
        defer { reader.stop() }
        let count = try reader.apply(to: &engine, reaching: { seq in pending.first.map { $0.seq <= seq } ?? false }) { seq, state throws(JournalError) in
            try checkSnapshots(upTo: seq, state: state)
        }.lastSeq ?? 0
        // A snapshot at the head (a server that stopped cleanly wrote one) has the final state:
        // its digest, computed already, is the final digest (a million-account digest is not
        // computed twice).
        let final = inFlight.last.flatMap { $0.seq == count ? $0.computed.value.description : nil } ?? engine.digest.description
        while !inFlight.isEmpty { try compareOldest() }
        return Verification(records: count, snapshotsChecked: checked, digest: final)
    }
}
