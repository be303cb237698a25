import Dispatch
import Foundation
import LeewayCore
import Synchronization

/// Reads journal records, checks their hash chain when asked, and decodes them into commands on
/// another thread, up to `capacity` batches ahead of the replay that applies them.
///
/// A replay (`leeway verify`, start-up) spent about half its time reading rows, hashing the chain
/// and decoding JSON lines, and half in `Engine.apply`; with the first half on the second core the
/// two overlap. The order of application is unchanged (one consumer, batches in seq order), so a
/// replay reaches the same state and digest as reading in line would; a record that breaks the
/// chain or does not decode ends its batch with that error, after the records before it, so the
/// consumer applies exactly what an in-line replay would have applied before it failed.
///
/// The consumer must call `stop()` when it ends early (it threw): that releases the reader thread.
final class RecordPrefetcher: Sendable {
    /// Records in seq order, each with its command, and how the stream ends after them, if it does.
    struct Batch: Sendable {
        var records: [(seq: Int64, envelope: CommandEnvelope)] = []
        /// The reason the stream stops after these records (nil: more may follow).
        var failure: JournalError?
        /// True on the last batch of a stream that ended cleanly (the head was reached).
        var isLast = false
    }

    /// Batches of at most this many records (by default the journal's page size).
    private let batchRecords: Int

    private let queue = Mutex<(ready: [Batch], stopped: Bool)>(([], false))
    private let filled = DispatchSemaphore(value: 0)
    private let free: DispatchSemaphore

    /// Starts reading the records after `after` up to `through` (nil: to the end). With
    /// `chainFrom` (the hash of the record at `after`, or the genesis hash) each record's seq must
    /// follow the one before it and its hash must chain (`brokenChain` naming the first that does
    /// not); without it the caller checked the chain already.
    init(journal: any JournalStore, after: Int64, through: Int64? = nil, chainFrom: [UInt8]? = nil,
         batchRecords: Int = 10_000, capacity: Int = 2) {
        precondition(batchRecords > 0 && capacity > 0, "a prefetcher reads batches of at least one record, at least one ahead")
        self.batchRecords = batchRecords
        // Made at 0 and signalled up to `capacity`: libdispatch traps when a semaphore is freed
        // with a value below the one it was made with, which a stream stopped early leaves.
        free = DispatchSemaphore(value: 0)
        for _ in 0..<capacity { free.signal() }
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            produce(journal: journal, after: after, through: through, chainFrom: chainFrom)
        }
    }

    /// The next batch, waiting for it. After a batch with `failure` or `isLast` there is none.
    func next() -> Batch {
        filled.wait()
        let batch = queue.withLock { $0.ready.removeFirst() }
        free.signal()
        return batch
    }

    /// The replay: applies every record of the stream to `engine`, in seq order, on this thread;
    /// after a record for which `reaching(seq)` is true, calls `reached(seq, state)` with the
    /// state there (a snapshot's record). Throws the error the stream ended on, after the records
    /// before it. Returns how many records were applied and the last one's seq.
    func apply(to engine: inout Engine, reaching: (Int64) -> Bool,
               _ reached: (Int64, EngineState) throws(JournalError) -> Void) throws(JournalError) -> (count: Int, lastSeq: Int64?) {
        var events: [Event] = []
        var count = 0
        var lastSeq: Int64?
        while true {
            let batch = next()
            for (seq, envelope) in batch.records {
                engine.apply(envelope, into: &events)
                events.removeAll(keepingCapacity: true)
                count += 1
                lastSeq = seq
                if reaching(seq) { try reached(seq, engine.state) }
            }
            if let failure = batch.failure { throw failure }
            if batch.isLast { return (count, lastSeq) }
        }
    }

    /// Stops the reader (the consumer is done with the stream before its end).
    func stop() {
        queue.withLock { $0.stopped = true }
        free.signal()
    }

    private func produce(journal: any JournalStore, after start: Int64, through end: Int64?, chainFrom: [UInt8]?) {
        var after = start
        var previousHash = chainFrom
        while true {
            free.wait()
            if queue.withLock({ $0.stopped }) { return }
            var batch = Batch()
            do {
                let limit = end.map { Int(Swift.min(Int64(batchRecords), $0 - after)) } ?? batchRecords
                let records = limit > 0 ? try journal.records(after: after, limit: limit) : []
                if records.isEmpty { batch.isLast = true }
                // The chain, in order (cheap); then the records before any break are decoded.
                var intact = records.count
                for (position, record) in records.enumerated() {
                    if let previous = previousHash {
                        guard record.seq == after + 1,
                              record.hash == JournalRecord.chainHash(previous: previous, seq: record.seq, line: record.line) else {
                            batch.failure = .brokenChain(seq: after + 1)
                            intact = position
                            break
                        }
                        previousHash = record.hash
                    }
                    after = record.seq
                }
                let (decoded, undecodable) = Self.decode(records[0..<intact])
                batch.records = decoded
                if let undecodable { batch.failure = undecodable }
                if batch.failure == nil, let end, after >= end { batch.isLast = true }
            } catch {
                batch.failure = error
            }
            let ends = batch.failure != nil || batch.isLast
            queue.withLock { $0.ready.append(batch) }
            filled.signal()
            if ends { return }
        }
    }

    /// Decodes `records` in order, in parts on up to `decodeParts` threads at once (this one and
    /// Dispatch's workers): decoding is most of the reading side's work, and while the replay
    /// waits for a batch its core is free. Returns the records before the first that does not
    /// decode, and that record's error.
    static func decode(_ records: ArraySlice<JournalRecord>) -> (records: [(seq: Int64, envelope: CommandEnvelope)], failure: JournalError?) {
        let parts = records.count < 2 * minimumPart ? 1 : decodeParts
        let bounds = (0...parts).map { records.startIndex + records.count * $0 / parts }
        var results = [(records: [(seq: Int64, envelope: CommandEnvelope)], failure: JournalError?)](repeating: ([], nil), count: parts)
        results.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                var decoded: [(seq: Int64, envelope: CommandEnvelope)] = []
                decoded.reserveCapacity(bounds[part + 1] - bounds[part])
                for record in records[bounds[part]..<bounds[part + 1]] {
                    do throws(JournalError) {
                        decoded.append((record.seq, try Recovery.envelope(of: record)))
                    } catch {
                        slots[part] = (decoded, error)
                        return
                    }
                }
                slots[part] = (decoded, nil)
            }
        }
        var decoded = results[0].records
        if let failure = results[0].failure { return (decoded, failure) }
        for part in results.dropFirst() {
            decoded += part.records
            if let failure = part.failure { return (decoded, failure) }
        }
        return (decoded, nil)
    }

    /// Threads that decode one batch (at most the cores), and the fewest records worth a part.
    static let decodeParts = Swift.max(1, Swift.min(4, ProcessInfo.processInfo.activeProcessorCount))
    static let minimumPart = 512
}
