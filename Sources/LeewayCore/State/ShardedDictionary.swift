/// A dictionary kept as a fixed number of smaller `Dictionary` shards, each its own copy-on-write
/// buffer, so that a copy of the whole is shared shard by shard rather than all at once (as
/// `ChunkedArray` does for the accounts).
///
/// Why: the idempotency window (`EngineState.appliedCommandEvents`) holds up to a million ids.
/// The server snapshots by copying `EngineState` and encoding the copy elsewhere; with one
/// `Dictionary`, the first command with an id after the copy duplicated every entry (the slowest
/// command after a capture took 17–18 ms in `leeway bench` row (h) with a million ids). Here a
/// write copies the shard table (`shardCount` references) and the one shard of its key, about a
/// thousandth of the entries. A persistent hash trie (swift-collections' `TreeDictionary`) also
/// bounds that copy, but costs about 0.8 µs more per insertion and removal than `Dictionary`
/// (1.5 against 0.7 µs, a million `String` keys); a shard costs one extra hash of the key.
///
/// The entries are exactly those of the equivalent `Dictionary`; it is encoded as that
/// `Dictionary` is, and its order of iteration is unspecified as that `Dictionary`'s is (the
/// state's description sorts the keys).
public struct ShardedDictionary<Key: Hashable, Value> {
    /// Shards once anything is stored: 1,024, about a thousand entries each at a million.
    @inlinable public static var shardCount: Int { 1 << 10 }

    /// Empty until the first insertion (an empty state holds no shard table), then `shardCount`
    /// dictionaries; a key lives in the shard its hash picks.
    @usableFromInline var shards: [[Key: Value]]
    @usableFromInline var elementCount: Int
    @inlinable public var count: Int { elementCount }
    @inlinable public var isEmpty: Bool { elementCount == 0 }

    @inlinable public init() {
        shards = []
        elementCount = 0
    }

    /// The shard that holds `key` (the low bits of its hash).
    @inlinable static func shard(of key: Key) -> Int {
        Int(truncatingIfNeeded: UInt(bitPattern: key.hashValue) & UInt(shardCount - 1))
    }

    /// The value stored for `key`; setting nil removes it.
    @inlinable public subscript(key: Key) -> Value? {
        get {
            guard !shards.isEmpty else { return nil }
            return shards[Self.shard(of: key)][key]
        }
        set {
            if let newValue {
                if shards.isEmpty { shards = Array(repeating: [:], count: Self.shardCount) }
                if shards[Self.shard(of: key)].updateValue(newValue, forKey: key) == nil { elementCount += 1 }
            } else if !shards.isEmpty, shards[Self.shard(of: key)].removeValue(forKey: key) != nil {
                elementCount -= 1
            }
        }
    }

    /// Every key, shard by shard (no particular order).
    public var keys: some Sequence<Key> { shards.lazy.flatMap(\.keys) }

    /// The equivalent `Dictionary`.
    public var dictionary: [Key: Value] {
        var merged: [Key: Value] = [:]
        merged.reserveCapacity(count)
        for shard in shards { merged.merge(shard) { first, _ in first } }
        return merged
    }

    public init(_ dictionary: [Key: Value]) {
        self.init()
        for (key, value) in dictionary { self[key] = value }
    }
}

extension ShardedDictionary: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (Key, Value)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }
}

extension ShardedDictionary: Sendable where Key: Sendable, Value: Sendable {}

extension ShardedDictionary: Equatable where Value: Equatable {
    /// Equal when they hold the same entries (shards pick keys by the same hash in one process).
    public static func == (left: Self, right: Self) -> Bool {
        left.count == right.count && left.keys.allSatisfy { left[$0] == right[$0] }
    }
}

/// Encoded exactly as the equivalent `Dictionary`.
extension ShardedDictionary: Codable where Key: Codable, Value: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try [Key: Value](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try dictionary.encode(to: encoder)
    }
}
