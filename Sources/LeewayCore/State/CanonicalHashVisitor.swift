import Crypto

/// Feeds a state description into SHA-256 as canonical bytes: `{` `}` around objects, `[` `]`
/// around arrays, keys and strings as length-prefixed UTF-8, and a tag byte plus a fixed-width
/// little-endian payload per primitive (`i` Int64, `d` a Double's IEEE bits, `b` Bool, `s` string,
/// `n` null, `f` / `x` an exact amount's raw 10⁻⁸ units in 64 / 128 bits); field names carry a
/// one-byte length. Equal descriptions give equal
/// bytes on every machine; every container is closed explicitly, so framing cannot collide.
struct CanonicalHashVisitor: StateVisitor {
    private var hasher = SHA256()
    private var buffer: [UInt8] = []
    /// When set, the top-level object's keys are collected here (the digest-coverage test).
    var topLevelKeys: [String]?
    private var depth = 0

    init() { buffer.reserveCapacity(1 << 16) }

    @inline(__always) private mutating func byte(_ value: UInt8) { buffer.append(value) }
    @inline(__always) private mutating func payload(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }
    private mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            payload(UInt64(utf8.count))
            buffer.append(contentsOf: utf8)
        }
    }
    @inline(__always) private mutating func flushIfFull() {
        if buffer.count >= 1 << 16 { flush() }
    }
    private mutating func flush() {
        buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func beginObject() { depth += 1; byte(0x7B) }
    mutating func endObject() { depth -= 1; byte(0x7D); flushIfFull() }
    mutating func beginArray() { depth += 1; byte(0x5B) }
    mutating func endArray() { depth -= 1; byte(0x5D); flushIfFull() }
    /// Field names are short ASCII: one length byte, then the bytes (names over 255 bytes are cut
    /// to their first 255, which no field name approaches).
    mutating func key(_ name: String) {
        if depth == 1 { topLevelKeys?.append(name) }
        let count = Swift.min(name.utf8.count, 255)
        buffer.append(UInt8(count))
        if name.utf8.withContiguousStorageIfAvailable({ buffer.append(contentsOf: $0.prefix(count)) }) == nil {
            buffer.append(contentsOf: name.utf8.prefix(count))
        }
    }
    mutating func null() { byte(0x6E) }
    mutating func bool(_ value: Bool) { byte(0x62); byte(value ? 1 : 0) }
    mutating func integer(_ value: Int64) { byte(0x69); payload(UInt64(bitPattern: value)) }
    mutating func string(_ value: String) { byte(0x73); text(value); flushIfFull() }
    mutating func double(_ value: Double) { byte(0x64); payload(value.bitPattern) }
    /// 64 bits (tag `f`) when the amount fits, else 128 (tag `x`): one value, one encoding.
    mutating func decimal(raw value: Int128) {
        if let narrow = Int64(exactly: value) {
            byte(0x66)
            payload(UInt64(bitPattern: narrow))
        } else {
            byte(0x78)
            payload(UInt64(truncatingIfNeeded: value))
            payload(UInt64(truncatingIfNeeded: value >> 64))
        }
    }

    mutating func finish() -> [UInt8] {
        flush()
        return Array(hasher.finalize())
    }

    /// The canonical SHA-256 of `value`'s description.
    static func digest(of value: some StateDescribable) -> [UInt8] {
        var visitor = CanonicalHashVisitor()
        value.describe(into: &visitor)
        return visitor.finish()
    }

    /// The field names `value`'s own object writes, in order: what the digest covers of it.
    static func describedKeys(of value: some StateDescribable) -> [String] {
        var visitor = CanonicalHashVisitor()
        visitor.topLevelKeys = []
        value.describe(into: &visitor)
        return visitor.topLevelKeys ?? []
    }
}
