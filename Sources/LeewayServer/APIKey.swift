import Crypto
import Foundation

/// One configured API key. Only its SHA-256 is kept in memory after loading; the key itself is
/// never logged.
public struct APIKey: Sendable, Equatable {
    public var keyHash: [UInt8]
    public var role: Role
    /// For traders: the accounts the key may see.
    public var accounts: [String]

    public init(key: String, role: Role, accounts: [String] = []) {
        keyHash = Array(SHA256.hash(data: Data(key.utf8)))
        self.role = role
        self.accounts = accounts
    }
}
