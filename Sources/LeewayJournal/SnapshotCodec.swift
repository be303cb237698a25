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

    struct VersionOnly: Decodable {
        var schema_version: Int?
    }

    public static func encode(_ state: EngineState) -> Data {
        Data(StateSnapshotWriter.snapshot(of: state).utf8)
    }

    /// The state in `data`; throws `JournalError.unsupportedSnapshot` for another schema version
    /// (or none: a snapshot from before versioning), `.undecodableSnapshot` for anything unreadable.
    public static func decode(_ data: Data, seq: Int64) throws(JournalError) -> EngineState {
        let version: Int?
        do { version = try JSONDecoder().decode(VersionOnly.self, from: data).schema_version } catch {
            throw .undecodableSnapshot(seq: seq, detail: "not a JSON object")
        }
        guard version == EngineState.schemaVersion else {
            throw .unsupportedSnapshot(seq: seq, found: version, expected: EngineState.schemaVersion)
        }
        do { return try JSONDecoder().decode(Envelope.self, from: data).state } catch {
            throw .undecodableSnapshot(seq: seq, detail: "\(error)")
        }
    }
}
