public import LeewayCore

/// Writes the engine's state as a snapshot: `{"schema_version":N,"state":{…}}`, the state being
/// its description (`StateDescribable`, the same one the digest hashes) written by the project's
/// JSON writer: amounts as exact decimal strings, integers as integers, a `Double` (risk estimates
/// only) as its shortest round-tripping decimal, dictionaries sorted by key.
public enum StateSnapshotWriter {
    public static func snapshot(of state: EngineState) -> String {
        String(decoding: snapshotBytes(of: state), as: UTF8.self)
    }

    /// `snapshot(of:)` as UTF-8 bytes (what the journal stores), without making a `String`.
    public static func snapshotBytes(of state: EngineState) -> [UInt8] {
        var visitor = JSONStateVisitor()
        visitor.writer.beginObject()
        visitor.writer.field("schema_version", EngineState.schemaVersion)
        visitor.writer.key("state")
        state.describe(into: &visitor)
        visitor.writer.endObject()
        return visitor.writer.bytes
    }
}

/// A `StateVisitor` that writes JSON through `JSONWriter`.
struct JSONStateVisitor: StateVisitor {
    var writer = JSONWriter()

    mutating func beginObject() { writer.beginObject() }
    mutating func endObject() { writer.endObject() }
    mutating func beginArray() { writer.beginArray() }
    mutating func endArray() { writer.endArray() }
    mutating func key(_ name: String) { writer.key(name) }
    mutating func null() { writer.null() }
    mutating func bool(_ value: Bool) { writer.bool(value) }
    mutating func integer(_ value: Int64) { writer.integer(value) }
    mutating func string(_ value: String) { writer.string(value) }
    /// Swift's `description` of a finite Double is the shortest text that parses back to the same
    /// bits; a non-finite value (never stored: the estimators refuse them) is written as null, so
    /// the snapshot stays valid JSON and then fails to load rather than load wrong.
    mutating func double(_ value: Double) { if value.isFinite { writer.rawNumber(value.description) } else { writer.null() } }
    mutating func decimal(raw value: Int128) {
        if let narrow = Int64(exactly: value) { writer.string(Fixed(raw: narrow).description) }
        else { writer.string(WideAmount(raw: value).description) }
    }
}
