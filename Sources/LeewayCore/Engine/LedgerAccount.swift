/// The accounts of the double-entry ledger. Every balance change moves an amount of one asset from
/// one of these to another, so the sum over all of them is exactly zero for every asset.
public enum LedgerAccount: Sendable, Hashable {
    /// A trader's balance of an asset.
    case trader(Int)
    /// A trader's reserve of an asset: parked for auto top-up, not collateral.
    case reserve(Int)
    /// The insurance fund.
    case insuranceFund
    /// Trading-fee income of the venue.
    case feeIncome
    /// A market's clearing account: the other side of realized PnL and funding.
    case clearing(market: Int)
    /// Everything outside the engine: the source of deposits and the sink of withdrawals.
    case outsideWorld
}

extension LedgerAccount {
    /// True for a trader's own balances (collateral and reserve), which are `Fixed`; the venue's
    /// accounts are `WideAmount`.
    var holdsFixed: Bool {
        switch self {
        case .trader, .reserve: return true
        case .insuranceFund, .feeIncome, .clearing, .outsideWorld: return false
        }
    }
}
