/// One user's liquidity: the band range n1…n2 and the user's shares of each band (index n − n1).
///
/// Shares are counted in the contract's units (the first depositor of y collateral gets
/// 1000·y·10¹⁸ shares; see `BandedAMM.deadShares`) so that share arithmetic matches the contract.
public struct UserDeposit: Sendable, Equatable {
    public let n1: Int
    public let n2: Int
    public var shares: [Double]

    public func share(at band: Int) -> Double {
        let index = band - n1
        return index >= 0 && index < shares.count ? shares[index] : 0
    }
}
