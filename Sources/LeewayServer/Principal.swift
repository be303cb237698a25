/// Who is calling: a role and, for traders, the accounts they may see.
public struct Principal: Sendable, Equatable {
    public var role: Role
    public var accounts: Set<String>

    /// The caller when no keys are configured (the server is loopback-only then).
    public static let local = Principal(role: .admin, accounts: [])

    /// Whether the caller may read this account.
    public func mayRead(account: String) -> Bool { role != .trader || accounts.contains(account) }

    /// nil: every account; else the only accounts this caller may see.
    public var visibleAccounts: [String]? { role == .trader ? accounts.sorted() : nil }
}
