import Crypto
import Foundation

/// Finds the principal of a request's API key (`Authorization: Bearer KEY` or `X-API-Key: KEY`).
///
/// The presented key is hashed and compared with every configured key's hash in constant time
/// (every byte of every key is compared, whatever matches), so timing does not reveal how much of
/// a key was right.
public struct Authenticator: Sendable {
    public let keys: [APIKey]

    public init(keys: [APIKey]) { self.keys = keys }

    /// True when no keys are configured (loopback-only mode: every caller is admin).
    public var isOpen: Bool { keys.isEmpty }

    /// The principal for a presented key, or nil when it matches none.
    public func principal(forKey presented: String?) -> Principal? {
        if isOpen { return .local }
        guard let presented, !presented.isEmpty else { return nil }
        let hash = Array(SHA256.hash(data: Data(presented.utf8)))
        var found: APIKey?
        for key in keys {
            var difference: UInt8 = 0
            for (a, b) in zip(key.keyHash, hash) { difference |= a ^ b }
            if difference == 0, found == nil { found = key }
        }
        return found.map { Principal(role: $0.role, accounts: Set($0.accounts)) }
    }
}
