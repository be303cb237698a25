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
        /// The snapshot the engine started from (0: replayed from the first record).
        public var snapshotSeq: Int64
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

    /// Start-up: checks the hash chain (a bad *last* record is a torn write and is truncated with a
    /// warning; anything else stops start-up), loads the newest snapshot whose state reproduces its
    /// digest, replays the records after it, and checks the result against the snapshot chain.
    public static func recover(_ journal: Journal) throws(JournalError) -> Outcome {
        var warnings: [String] = []
        var head = try journal.head()
        if let broken = try journal.firstBrokenLink() {
            guard broken == head.seq else { throw .brokenChain(seq: broken) }
            try journal.truncate(from: broken)
            warnings.append("journal record \(broken) was torn (a crash during its write); it was never acknowledged and has been removed")
            head = try journal.head()
        }
        var engine = Engine()
        var snapshotSeq: Int64 = 0
        for entry in try journal.snapshotIndex().reversed() where entry.seq <= head.seq {
            guard let snapshot = try journal.snapshot(seq: entry.seq) else { continue }
            let state: EngineState
            do throws(JournalError) { state = try SnapshotCodec.decode(snapshot.state, seq: entry.seq) } catch {
                warnings.append(error.description)
                continue
            }
            let restored = Engine(state: state)
            guard restored.digest.description == snapshot.digest else {
                warnings.append("snapshot at record \(entry.seq) does not match its digest; trying an older one")
                continue
            }
            engine = restored
            snapshotSeq = entry.seq
            break
        }
        var replayed = 0
        var after = snapshotSeq
        while true {
            let batch = try journal.records(after: after, limit: 10_000)
            if batch.isEmpty { break }
            for record in batch {
                _ = engine.apply(try envelope(of: record))
                replayed += 1
            }
            after = batch[batch.count - 1].seq
        }
        return Outcome(engine: engine, head: head, snapshotSeq: snapshotSeq, replayedRecords: replayed, warnings: warnings)
    }

    /// What `leeway verify` found.
    public struct Verification: Sendable {
        public var records: Int64
        public var snapshotsChecked: Int
        public var digest: String
    }

    /// `leeway verify`: the whole hash chain, then a full replay from an empty engine that must
    /// reproduce every snapshot's digest at its record.
    public static func verify(_ journal: Journal) throws(JournalError) -> Verification {
        if let broken = try journal.firstBrokenLink() { throw .brokenChain(seq: broken) }
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
        while true {
            let batch = try journal.records(after: after, limit: 10_000)
            if batch.isEmpty { break }
            for record in batch {
                _ = engine.apply(try envelope(of: record))
                count = record.seq
                try checkSnapshots(upTo: record.seq, engine: engine)
            }
            after = batch[batch.count - 1].seq
        }
        return Verification(records: count, snapshotsChecked: checked, digest: engine.digest.description)
    }
}
