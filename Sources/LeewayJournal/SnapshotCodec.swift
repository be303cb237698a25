import Foundation
import LeewayCore
import LeewayWire

/// Snapshots as the journal stores them: written by `StateSnapshotWriter`, read back through
/// `EngineState`'s `Codable` conformance, refused when their schema version is not this build's.
public enum SnapshotCodec {
    struct Envelope: Decodable {
        var schema_version: Int
        var state: EngineState
    }

    public static func encode(_ state: EngineState) -> Data {
        Data(StateSnapshotWriter.snapshot(of: state).utf8)
    }

    /// The state in `data`; throws `JournalError.unsupportedSnapshot` for another schema version
    /// (or none: a snapshot from before versioning), `.undecodableSnapshot` for anything unreadable.
    ///
    /// Parsed once by the project's `JSONParser` and read through `EngineState`'s `Codable`
    /// conformance by `JSONValueDecoder` (Foundation's `JSONDecoder` took most of a restart).
    public static func decode(_ data: Data, seq: Int64) throws(JournalError) -> EngineState {
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(bytes: [UInt8](data)) } catch {
            throw .undecodableSnapshot(seq: seq, detail: "not JSON: \(error)")
        }
        guard case .object(let object) = parsed else { throw .undecodableSnapshot(seq: seq, detail: "not a JSON object") }
        let version = object["schema_version"].flatMap { value -> Int? in
            if case .number(let literal) = value { return Int(literal) } else { return nil }
        }
        guard version == EngineState.schemaVersion else {
            throw .unsupportedSnapshot(seq: seq, found: version, expected: EngineState.schemaVersion)
        }
        do { return try JSONValueDecoder().decode(Envelope.self, from: parsed).state } catch {
            throw .undecodableSnapshot(seq: seq, detail: "\(error)")
        }
    }
}
