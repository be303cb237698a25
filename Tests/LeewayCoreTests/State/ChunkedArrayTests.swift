@testable import LeewayCore
import Foundation
import Testing

/// `ChunkedArray` behaves as the `Array` of the same elements under any sequence of appends,
/// removals and writes, and a copy shares every chunk a later write does not touch.
@Suite("Chunked array")
struct ChunkedArrayTests {
    @Test("random appends, removals and writes leave the same elements as an Array", arguments: [1, 2, 3, 4] as [UInt64])
    func matchesArray(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var chunked = ChunkedArray<Int>()
        var reference: [Int] = []
        for step in 0..<5_000 {
            switch random.next() % 10 {
            case 0..<6:
                chunked.append(step)
                reference.append(step)
            case 6:
                if !reference.isEmpty { #expect(chunked.removeLast() == reference.removeLast()) }
            default:
                guard !reference.isEmpty else { continue }
                let position = Int(random.next() % UInt64(reference.count))
                chunked[position] += step
                reference[position] += step
            }
            #expect(chunked.count == reference.count)
        }
        #expect(Array(chunked) == reference)
        #expect(chunked == ChunkedArray(reference))
        #expect(chunked.indices == reference.indices)
        for position in reference.indices.reversed() { #expect(chunked[position] == reference[position]) }
    }

    @Test("counts on each side of a chunk boundary", arguments: [0, 1, 127, 128, 129, 256, 1_000])
    func boundaries(count: Int) {
        var chunked = ChunkedArray(0..<count)
        #expect(chunked.count == count)
        #expect(Array(chunked) == Array(0..<count))
        while !chunked.isEmpty { chunked.removeLast() }
        #expect(chunked == [])
        chunked.append(7)
        #expect(Array(chunked) == [7])
    }

    @Test("a copy keeps its elements while the original is written")
    func copyIsIndependent() {
        var original = ChunkedArray(0..<1_000)
        let copy = original
        original[5] = -1
        original[900] = -2
        original.append(1_000)
        #expect(Array(copy) == Array(0..<1_000))
        #expect(original[5] == -1 && original[900] == -2 && original.count == 1_001)
    }

    @Test("after a copy, a write copies only the chunk it touches")
    func writeCopiesOneChunk() {
        let size = ChunkedArray<Int>.chunkSize
        var original = ChunkedArray(0..<(size * 4))
        let copy = original
        original[size + 3] = -1  // the second chunk
        for chunk in 0..<4 {
            let shared = original.withUnsafePointer(to: chunk * size) { mine in copy.withUnsafePointer(to: chunk * size) { mine == $0 } }
            #expect(shared == (chunk != 1), "chunk \(chunk)")
        }
    }

    @Test("encodes and decodes as the equivalent Array")
    func codableAsArray() throws {
        let elements = Array(0..<300)
        let encoded = try JSONEncoder().encode(ChunkedArray(elements))
        #expect(encoded == (try JSONEncoder().encode(elements)))
        #expect(Array(try JSONDecoder().decode(ChunkedArray<Int>.self, from: encoded)) == elements)
    }

    @Test("the state digest of accounts is that of the same accounts in an Array")
    func digestAsArray() {
        let accounts = (0..<300).map { Account(id: "acct-\($0)") }
        #expect(CanonicalHashVisitor.digest(of: ChunkedArray(accounts)) == CanonicalHashVisitor.digest(of: accounts))
    }
}
