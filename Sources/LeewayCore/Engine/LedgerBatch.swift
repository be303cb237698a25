/// A set of double-entry transfers that is validated as a whole and then committed as a whole, so
/// a command either moves all its money or none (an overflow in the third leg cannot leave the
/// first two applied).
struct LedgerBatch: Sendable {
    struct Transfer: Sendable {
        var amount: Fixed
        var asset: Int
        var from: LedgerAccount
        var to: LedgerAccount
    }

    private(set) var transfers: [Transfer] = []

    /// Moves `amount` of `asset` from one ledger account to another (a negative amount moves the
    /// other way). Zero amounts are dropped.
    mutating func move(_ amount: Fixed, of asset: Int, from: LedgerAccount, to: LedgerAccount) {
        guard !amount.isZero else { return }
        transfers.append(Transfer(amount: amount, asset: asset, from: from, to: to))
    }
}

extension Engine {
    /// The balance of `asset` held by a ledger account.
    func ledgerBalance(_ account: LedgerAccount, asset: Int) -> Fixed {
        switch account {
        case .trader(let trader): return state.accounts[trader].balance(ofAsset: asset)
        case .insuranceFund: return state.insuranceFund[asset]
        case .feeIncome: return state.feeIncome[asset]
        case .clearing(let market): return state.clearing[market]
        case .outsideWorld: return state.outsideWorld[asset]
        }
    }

    private mutating func setLedgerBalance(_ amount: Fixed, _ account: LedgerAccount, asset: Int) {
        switch account {
        case .trader(let trader): state.accounts[trader].setBalance(amount, ofAsset: asset)
        case .insuranceFund: state.insuranceFund[asset] = amount
        case .feeIncome: state.feeIncome[asset] = amount
        case .clearing(let market): state.clearing[market] = amount
        case .outsideWorld: state.outsideWorld[asset] = amount
        }
    }

    /// The balances every ledger account in the batch would end with; throws if any overflows.
    func balancesAfter(_ batch: LedgerBatch) throws(ArithmeticError) -> [(LedgerAccount, Int, Fixed)] {
        var results: [(LedgerAccount, Int, Fixed)] = []
        func update(_ account: LedgerAccount, _ asset: Int, _ delta: Fixed, negate: Bool) throws(ArithmeticError) {
            if let position = results.firstIndex(where: { $0.0 == account && $0.1 == asset }) {
                let current = results[position].2
                results[position].2 = negate ? try current.subtracting(delta) : try current.adding(delta)
            } else {
                let current = ledgerBalance(account, asset: asset)
                results.append((account, asset, negate ? try current.subtracting(delta) : try current.adding(delta)))
            }
        }
        for transfer in batch.transfers {
            try update(transfer.from, transfer.asset, transfer.amount, negate: true)
            try update(transfer.to, transfer.asset, transfer.amount, negate: false)
        }
        return results
    }

    /// Validates the whole batch, then applies it. On error nothing has changed.
    mutating func commit(_ batch: LedgerBatch) throws(ArithmeticError) {
        let results = try balancesAfter(batch)
        for (account, asset, amount) in results { setLedgerBalance(amount, account, asset: asset) }
    }

    /// Σ over every ledger account of its balance of `asset`, in `Int128` so the check itself cannot
    /// overflow. The ledger invariant is that this is exactly zero for every asset.
    public func ledgerSum(asset: Int) -> Int128 {
        var sum = Int128(state.insuranceFund[asset].raw) + Int128(state.feeIncome[asset].raw) + Int128(state.outsideWorld[asset].raw)
        for (market, balance) in state.clearing.enumerated() where state.markets[market].settleAsset == asset {
            sum += Int128(balance.raw)
        }
        for account in state.accounts { sum += Int128(account.balance(ofAsset: asset).raw) }
        return sum
    }
}
