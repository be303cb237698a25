import Foundation

/// A saved engine state after record `seq`, with the state digest it must reproduce.
public struct JournalSnapshot: Sendable, Equatable {
    public var seq: Int64
    /// `EngineState` encoded as JSON.
    public var state: Data
    public var digest: String

    public init(seq: Int64, state: Data, digest: String) {
        self.seq = seq
        self.state = state
        self.digest = digest
    }
}
