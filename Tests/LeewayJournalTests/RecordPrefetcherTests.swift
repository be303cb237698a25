import Foundation
import LeewayCore
@testable import LeewayJournal
import Testing

@Suite("Reading records ahead of the replay")
struct RecordPrefetcherTests {
    /// A SQLite journal of the set-up lines and 17 deposits: 23 records.
    static func journal() async throws -> (journal: any JournalStore, fixture: JournalFixture) {
        let fixture = try await JournalFixture.make(.sqlite)
        let journal = try fixture.open()
        var engine = Engine()
        let lines = setupLines + (0..<17).map {
            #"{"type":"deposit","account":"a\#($0)","asset":"USDC","amount":"10","ts":1700000060000}"#
        }
        try appendLines(lines, to: journal, engine: &engine)
        return (journal, fixture)
    }

    /// Every batch until the stream ends (with the failure it ended on).
    static func drain(_ reader: RecordPrefetcher) -> (batches: [RecordPrefetcher.Batch], failure: JournalError?) {
        var batches: [RecordPrefetcher.Batch] = []
        while true {
            let batch = reader.next()
            batches.append(batch)
            if batch.failure != nil || batch.isLast { return (batches, batch.failure) }
        }
    }

    struct Range: Sendable, CustomTestStringConvertible {
        let after: Int64
        let through: Int64?
        let batchRecords: Int
        var testDescription: String { "after \(after) through \(through.map(String.init) ?? "the end") in batches of \(batchRecords)" }
    }

    @Test("every record from after to through (or the end) arrives once, in seq order, decoded as the replay decodes it, in batches of at most the batch size",
          arguments: [Range(after: 0, through: nil, batchRecords: 5), Range(after: 0, through: nil, batchRecords: 23),
                      Range(after: 0, through: nil, batchRecords: 10_000), Range(after: 7, through: 19, batchRecords: 4),
                      Range(after: 0, through: 20, batchRecords: 5), Range(after: 23, through: nil, batchRecords: 5)])
    func readsInOrder(range: Range) async throws {
        let (journal, fixture) = try await Self.journal()
        let reader = RecordPrefetcher(journal: journal, after: range.after, through: range.through, batchRecords: range.batchRecords)
        defer { reader.stop() }
        let (batches, failure) = Self.drain(reader)
        #expect(failure == nil)
        let last = range.through ?? 23
        let expected = try journal.records(after: range.after, limit: 100).filter { $0.seq <= last }
        #expect(batches.flatMap(\.records).map(\.seq) == expected.map(\.seq))
        #expect(try batches.flatMap(\.records).map(\.envelope) == expected.map { try Recovery.envelope(of: $0) })
        #expect(batches.allSatisfy { $0.records.count <= range.batchRecords })
        #expect(batches.last?.isLast == true)
        await fixture.remove()
    }

    @Test("with the chain checked, a record whose hash does not chain ends the stream on brokenChain naming it, after every record before it")
    func brokenChain() async throws {
        let (journal, fixture) = try await Self.journal()
        try await fixture.execute(#"UPDATE {records} SET line = replace(line, '"10"', '"90"') WHERE seq = 12"#)
        let reader = RecordPrefetcher(journal: journal, after: 0, chainFrom: JournalRecord.genesisHash, batchRecords: 5)
        defer { reader.stop() }
        let (batches, failure) = Self.drain(reader)
        #expect(failure == .brokenChain(seq: 12))
        #expect(batches.flatMap(\.records).map(\.seq) == Array(1...11))
        await fixture.remove()
    }

    @Test("without the chain check, a record that does not decode ends the stream on undecodableRecord, after every record before it")
    func undecodable() async throws {
        let (journal, fixture) = try await Self.journal()
        try await fixture.execute(#"UPDATE {records} SET line = 'not a command' WHERE seq = 9"#)
        let reader = RecordPrefetcher(journal: journal, after: 0, batchRecords: 4)
        defer { reader.stop() }
        let (batches, failure) = Self.drain(reader)
        if case .undecodableRecord(seq: 9, _)? = failure {} else {
            Issue.record("expected undecodableRecord at 9, got \(String(describing: failure))")
        }
        #expect(batches.flatMap(\.records).map(\.seq) == Array(1...8))
        await fixture.remove()
    }

    @Test("a consumer that stops early releases the reading thread (which holds the prefetcher until it returns)")
    func stopReleasesTheReader() async throws {
        let (journal, fixture) = try await Self.journal()
        weak var released: RecordPrefetcher?
        do {
            let reader = RecordPrefetcher(journal: journal, after: 0, batchRecords: 2, capacity: 1)
            released = reader
            #expect(reader.next().records.map(\.seq) == [1, 2])
            reader.stop()
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while released != nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(released == nil, "the reader thread still waits for room in the queue")
        await fixture.remove()
    }
}
