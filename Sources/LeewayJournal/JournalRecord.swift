import Crypto
import Foundation

/// One journaled input command: its position, its JSON line (with `ts` filled in) and its link in
/// the hash chain.
public struct JournalRecord: Sendable, Equatable {
    /// 1-based position in the journal; also the command's line number in an export.
    public var seq: Int64
    public var line: String
    /// SHA-256(previous hash ‖ seq as 8 big-endian bytes ‖ UTF-8 line); the first record's
    /// previous hash is 32 zero bytes.
    public var hash: [UInt8]

    public init(seq: Int64, line: String, hash: [UInt8]) {
        self.seq = seq
        self.line = line
        self.hash = hash
    }

    public static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// The chain hash of a record (see `hash`).
    public static func chainHash(previous: [UInt8], seq: Int64, line: String) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        withUnsafeBytes(of: seq.bigEndian) { hasher.update(bufferPointer: $0) }
        var text = line
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return Array(hasher.finalize())
    }
}
