/// Receives a description of the state, value by value, in a fixed order: objects with named
/// fields, arrays, and primitives. Two visitors exist: `CanonicalHashVisitor` (the state digest)
/// and `LeewayWire.JSONStateVisitor` (the snapshot), so both are produced from the same
/// description (`StateDescribable`). Visitors are generic parameters, so each walk is compiled
/// specialized: no existentials, no per-value allocation.
public protocol StateVisitor {
    mutating func beginObject()
    mutating func endObject()
    mutating func beginArray()
    mutating func endArray()
    /// The name of the next field of the innermost object.
    mutating func key(_ name: String)
    mutating func null()
    mutating func bool(_ value: Bool)
    mutating func integer(_ value: Int64)
    mutating func string(_ value: String)
    /// A risk estimate; the digest hashes its IEEE bits, the snapshot its shortest round-trip text.
    mutating func double(_ value: Double)
    /// An exact amount in raw 10⁻⁸ units (`Fixed`, `WideAmount`): hashed as an integer, written as
    /// its exact decimal string.
    mutating func decimal(raw value: Int128)
}

/// A value that describes itself to a `StateVisitor`: the one description of what the engine
/// stores. A type's `Codable` decoding reads what `describe` writes (a round-trip test checks).
public protocol StateDescribable {
    /// Writes the value (an object, array or primitive) to `visitor`.
    func describe<V: StateVisitor>(into visitor: inout V)
}

extension StateVisitor {
    /// An object: `{`, the fields `body` writes, `}`.
    public mutating func object(_ body: (inout Self) -> Void) {
        beginObject()
        body(&self)
        endObject()
    }

    public mutating func field(_ name: String, _ value: some StateDescribable) {
        key(name)
        value.describe(into: &self)
    }

    /// An optional field: omitted when nil (what a synthesized `Codable` decoder expects).
    public mutating func field(_ name: String, _ value: (some StateDescribable)?) {
        guard let value else { return }
        key(name)
        value.describe(into: &self)
    }

    /// An array whose elements can be absent (per-market policy overrides): nil is `null`.
    public mutating func field<T: StateDescribable>(_ name: String, _ values: [T?]) {
        key(name)
        beginArray()
        for value in values { if let value { value.describe(into: &self) } else { null() } }
        endArray()
    }

    /// A dictionary as an object whose members are sorted by key (never in hash order).
    public mutating func field<Key: Comparable & CustomStringConvertible, Value: StateDescribable>(_ name: String, _ values: [Key: Value]) {
        sortedMembers(name, keys: values.keys, value: { values[$0] })
    }

    /// A sharded dictionary, described exactly as the equivalent `Dictionary`.
    public mutating func field<Key: Comparable & CustomStringConvertible, Value: StateDescribable>(_ name: String, _ values: ShardedDictionary<Key, Value>) {
        sortedMembers(name, keys: values.keys, value: { values[$0] })
    }

    /// An object named `name` whose members are `keys` in ascending order, each with `value(key)`.
    private mutating func sortedMembers<Key: Comparable & CustomStringConvertible, Value: StateDescribable>(
        _ name: String, keys: some Sequence<Key>, value: (Key) -> Value?) {
        key(name)
        beginObject()
        for member in keys.sorted() {
            key(member.description)
            value(member)?.describe(into: &self)
        }
        endObject()
    }
}

extension Sequence where Element: StateDescribable {
    /// A list: its elements in order, whatever stores them.
    func describeElements<V: StateVisitor>(into visitor: inout V) {
        visitor.beginArray()
        for element in self { element.describe(into: &visitor) }
        visitor.endArray()
    }
}

extension Array: StateDescribable where Element: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) { describeElements(into: &visitor) }
}

extension ChunkedArray: StateDescribable where Element: StateDescribable {
    /// Described exactly as the equivalent `Array`: the digest does not see the chunks.
    public func describe<V: StateVisitor>(into visitor: inout V) { describeElements(into: &visitor) }
}

extension Int64: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) { visitor.integer(self) }
}

extension Int: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) { visitor.integer(Int64(self)) }
}

extension String: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) { visitor.string(self) }
}

extension Double: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) { visitor.double(self) }
}

extension Fixed: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) { visitor.decimal(raw: Int128(raw)) }
}

extension WideAmount: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) { visitor.decimal(raw: raw) }
}

extension Bool: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) { visitor.bool(self) }
}
