@testable import LeewayCore
import DequeModule
import Foundation
import Testing

/// `ChunkedQueue` behaves as the `Deque` of the same elements under any sequence of appends and
/// removals from the front, and a copy shares every chunk a later append does not touch.
@Suite("Chunked queue")
struct ChunkedQueueTests {
    @Test("random appends and removals from the front leave the same elements as a Deque", arguments: [1, 2, 3, 4] as [UInt64])
    func matchesDeque(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var queue = ChunkedQueue<Int>()
        var reference = Deque<Int>()
        for step in 0..<5_000 {
            // Runs of removals as long as runs of appends, so the queue often empties and refills.
            if random.next() % 2 == 0 {
                for offset in 0..<Int(random.next() % 200) {
                    queue.append(step * 1_000 + offset)
                    reference.append(step * 1_000 + offset)
                }
            } else {
                for _ in 0..<Int(random.next() % 200) where !reference.isEmpty {
                    #expect(queue.removeFirst() == reference.removeFirst())
                }
            }
            #expect(queue.count == reference.count)
            #expect(queue.first == reference.first)
        }
        #expect(Array(queue) == Array(reference))
        #expect(queue == ChunkedQueue(reference))
        for position in reference.indices.reversed() { #expect(queue[position] == reference[position]) }
    }

    @Test("counts on each side of a chunk boundary, emptied from the front", arguments: [0, 1, 127, 128, 129, 256, 1_000])
    func boundaries(count: Int) {
        var queue = ChunkedQueue(0..<count)
        #expect(queue.count == count)
        #expect(Array(queue) == Array(0..<count))
        var expected = 0
        while !queue.isEmpty {
            #expect(queue.removeFirst() == expected)
            expected += 1
            #expect(Array(queue) == Array(expected..<count))
        }
        #expect(queue.chunks.isEmpty, "an emptied queue holds no chunk (and so no removed element)")
        queue.append(7)
        #expect(Array(queue) == [7])
    }

    @Test("equal by elements, whatever the chunking: a queue that removed from the front equals a fresh one")
    func equalityIgnoresChunking() {
        var shifted = ChunkedQueue(0..<300)
        for _ in 0..<50 { shifted.removeFirst() }
        #expect(shifted == ChunkedQueue(50..<300))
        #expect(shifted != ChunkedQueue(51..<301))
    }

    @Test("a copy keeps its elements while the original appends and removes")
    func copyIsIndependent() {
        var original = ChunkedQueue(0..<1_000)
        let copy = original
        for _ in 0..<300 { original.removeFirst() }
        original.append(1_000)
        #expect(Array(copy) == Array(0..<1_000))
        #expect(Array(original) == Array(300...1_000))
    }

    @Test("after a copy, removing from the front copies no chunk and an append copies only the last")
    func writesCopyOneChunkAtMost() {
        let size = ChunkedQueue<Int>.chunkSize
        var original = ChunkedQueue(0..<(size * 3 + 5))
        let copy = original
        original.removeFirst()
        original.removeFirst()
        original.append(-1)  // into the fourth, partly filled chunk
        for chunk in 0..<4 {
            let shared = original.chunks[chunk].withUnsafeBufferPointer { mine in copy.chunks[chunk].withUnsafeBufferPointer { mine.baseAddress == $0.baseAddress } }
            #expect(shared == (chunk != 3), "chunk \(chunk)")
        }
    }

    @Test("encodes and decodes as the equivalent Deque")
    func codableAsDeque() throws {
        var queue = ChunkedQueue(0..<300)
        for _ in 0..<10 { queue.removeFirst() }
        let encoded = try JSONEncoder().encode(queue)
        #expect(encoded == (try JSONEncoder().encode(Deque(10..<300))))
        #expect(try JSONDecoder().decode(ChunkedQueue<Int>.self, from: encoded) == queue)
    }
}
