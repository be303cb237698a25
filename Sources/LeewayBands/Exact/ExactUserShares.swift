/// One user's liquidity in the exact AMM: the band range and the shares held in each band
/// (`user_shares[user]`: n1, n2 and the share amounts, in share units).
public struct ExactUserShares: Sendable, Equatable {
    public var n1: Int
    public var n2: Int
    public var shares: [UInt256]
}
