import Foundation
import LeewayCore
import LeewayWire

/// Snapshots as the journal stores them: written by `StateSnapshotWriter`, read back by `StateSnapshotReader`,
/// refused when their schema version is not this build's.
public enum SnapshotCodec {
    public static func encode(_ state: EngineState) -> Data {
        Data(StateSnapshotWriter.snapshotBytes(of: state))
    }

    /// The state in `data` (`StateSnapshotReader`); throws `JournalError.unsupportedSnapshot` for
    /// another schema version (or none: a snapshot from before versioning), `.undecodableSnapshot`
    /// for anything unreadable.
    public static func decode(_ data: Data, seq: Int64) throws(JournalError) -> EngineState {
        do { return try StateSnapshotReader.state(from: [UInt8](data)) } catch {
            switch error {
            case .unsupportedVersion(let found): throw .unsupportedSnapshot(seq: seq, found: found, expected: EngineState.schemaVersion)
            case .unreadable(let detail): throw .undecodableSnapshot(seq: seq, detail: detail)
            }
        }
    }
}
