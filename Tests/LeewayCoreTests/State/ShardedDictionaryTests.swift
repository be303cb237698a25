@testable import LeewayCore
import Foundation
import Testing

/// `ShardedDictionary` holds exactly the entries of the `Dictionary` given the same insertions
/// and removals, and is encoded and described as that `Dictionary` is.
@Suite("Sharded dictionary")
struct ShardedDictionaryTests {
    @Test("random insertions, replacements and removals leave the same entries as a Dictionary", arguments: [1, 2, 3] as [UInt64])
    func matchesDictionary(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var sharded = ShardedDictionary<String, Int>()
        var reference: [String: Int] = [:]
        for step in 0..<20_000 {
            let key = "id-\(random.next() % 5_000)"
            if random.next() % 3 == 0 {
                sharded[key] = nil
                reference[key] = nil
            } else {
                sharded[key] = step
                reference[key] = step
            }
            #expect(sharded.count == reference.count)
            #expect(sharded[key] == reference[key])
        }
        #expect(sharded.dictionary == reference)
        #expect(Set(sharded.keys) == Set(reference.keys))
        #expect(sharded == ShardedDictionary(reference))
        for key in reference.keys { #expect(sharded[key] == reference[key]) }
    }

    @Test("an empty one holds no shard table until the first insertion, and removing an absent key changes nothing")
    func emptyHoldsNoShards() {
        var sharded: ShardedDictionary<String, Int> = [:]
        sharded["absent"] = nil
        #expect(sharded.isEmpty && sharded.shards.isEmpty)
        sharded["a"] = 1
        #expect(sharded.count == 1 && sharded.shards.count == ShardedDictionary<String, Int>.shardCount)
        sharded["a"] = 2
        #expect(sharded.count == 1 && sharded["a"] == 2)
    }

    @Test("a copy keeps its entries while the original is written")
    func copyIsIndependent() {
        var original = ShardedDictionary(Dictionary(uniqueKeysWithValues: (0..<3_000).map { ("id-\($0)", $0) }))
        let copy = original
        for index in 0..<1_000 { original["id-\(index)"] = nil }
        original["new"] = -1
        #expect(copy.count == 3_000 && copy["id-5"] == 5 && copy["new"] == nil)
        #expect(original.count == 2_001 && original["id-5"] == nil && original["new"] == -1)
    }

    @Test("a write after a copy changes only the shard of its key (the only one it must copy)")
    func writeTouchesOneShard() {
        var original = ShardedDictionary(Dictionary(uniqueKeysWithValues: (0..<10_000).map { ("id-\($0)", $0) }))
        let copy = original
        original["id-7"] = -7
        let written = ShardedDictionary<String, Int>.shard(of: "id-7")
        for shard in original.shards.indices {
            #expect((original.shards[shard] == copy.shards[shard]) == (shard != written), "shard \(shard)")
            // Not only equal: every other shard is still the very storage the copy holds.
            #expect((Self.storage(of: original.shards[shard]) == Self.storage(of: copy.shards[shard])) == (shard != written), "shard \(shard)")
        }
    }

    /// The identity of a `Dictionary`'s storage (a `Dictionary` is one reference to it).
    static func storage(of dictionary: [String: Int]) -> ObjectIdentifier {
        precondition(MemoryLayout<[String: Int]>.size == MemoryLayout<AnyObject>.size, "a Dictionary is one reference")
        return ObjectIdentifier(unsafeBitCast(dictionary, to: AnyObject.self))
    }

    @Test("encodes and decodes as the equivalent Dictionary")
    func codableAsDictionary() throws {
        let reference = Dictionary(uniqueKeysWithValues: (0..<300).map { ("id-\($0)", $0) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let encoded = try encoder.encode(ShardedDictionary(reference))
        #expect(encoded == (try encoder.encode(reference)))
        #expect(try JSONDecoder().decode(ShardedDictionary<String, Int>.self, from: encoded).dictionary == reference)
    }

    @Test("the state digest describes it as the equivalent Dictionary, keys sorted")
    func digestAsDictionary() {
        let reference = Dictionary(uniqueKeysWithValues: (0..<300).map { ("id-\($0)", $0) })
        #expect(CanonicalHashVisitor.digest(of: Holder(values: ShardedDictionary(reference)))
                == CanonicalHashVisitor.digest(of: Holder(values: reference)))
    }

    /// An object with one dictionary field, described through `StateVisitor.field`.
    struct Holder<Values>: StateDescribable {
        var values: Values

        func describe<V: StateVisitor>(into visitor: inout V) {
            visitor.object { object in
                if let sharded = values as? ShardedDictionary<String, Int> { object.field("table", sharded) }
                if let plain = values as? [String: Int] { object.field("table", plain) }
            }
        }
    }
}
