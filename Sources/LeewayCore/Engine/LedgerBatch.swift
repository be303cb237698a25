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

    /// Many traders settling with one venue account in one asset (a funding round): trader
    /// `traders[i]` moves `amountsRaw[i]` (raw 10⁻⁸ units; negative: receives) to `venue`. Each leg
    /// is a double entry like a `Transfer`; they are kept in two flat arrays so a round over a
    /// million holders needs neither a `Transfer` nor a posting per holder.
    struct FanIn: Sendable {
        var asset: Int
        var venue: LedgerAccount
        var traders: [Int] = []
        var amountsRaw: [Int64] = []
        /// True while `traders` is strictly ascending, so every trader has exactly one leg.
        var distinctAscending = true
    }

    private(set) var transfers: [Transfer] = []
    private(set) var fanIn: FanIn?

    init() {}

    /// A batch of legs from traders to one venue account, `expected` of them (see `collect`).
    init(fanInto venue: LedgerAccount, asset: Int, expected: Int) {
        var fanIn = FanIn(asset: asset, venue: venue)
        fanIn.traders.reserveCapacity(expected)
        fanIn.amountsRaw.reserveCapacity(expected)
        self.fanIn = fanIn
    }

    /// Moves `amount` from trader `account` to the batch's fan-in venue account (a negative amount
    /// moves the other way). Zero amounts are dropped. Requires `init(fanInto:asset:expected:)`.
    mutating func collect(_ amount: Fixed, fromTrader account: Int) {
        guard !amount.isZero else { return }
        guard fanIn != nil else { preconditionFailure("LedgerBatch.collect needs a batch made with init(fanInto:)") }
        if let last = fanIn!.traders.last, last >= account { fanIn!.distinctAscending = false }
        fanIn!.traders.append(account)
        fanIn!.amountsRaw.append(amount.raw)
    }

    /// Every leg as a `Transfer`: the transfers, then the fan-in's legs.
    var allTransfers: [Transfer] {
        guard let fanIn else { return transfers }
        var all = transfers
        for (trader, amountRaw) in zip(fanIn.traders, fanIn.amountsRaw) {
            all.append(Transfer(amount: Fixed(raw: amountRaw), asset: fanIn.asset, from: .trader(trader), to: fanIn.venue))
        }
        return all
    }

    /// Reserves room for `count` transfers (a funding round has one per holder).
    mutating func reserveCapacity(_ count: Int) { transfers.reserveCapacity(count) }

    /// Moves `amount` of `asset` from one ledger account to another (a negative amount moves the
    /// other way). Zero amounts are dropped.
    mutating func move(_ amount: Fixed, of asset: Int, from: LedgerAccount, to: LedgerAccount) {
        guard !amount.isZero else { return }
        // Room for a forced close's or a settlement's few legs at once, rather than regrowing.
        if transfers.capacity == 0 { transfers.reserveCapacity(4) }
        transfers.append(Transfer(amount: amount, asset: asset, from: from, to: to))
    }
}

/// A ledger balance that a batch would push out of its type's range: names the ledger account.
struct LedgerOverflow: Error, Sendable, Hashable {
    var account: LedgerAccount
    var asset: Int
}

/// One ledger account's balance after a batch: traders hold `Fixed`, the venue's accounts `WideAmount`.
struct LedgerPosting: Sendable {
    var account: LedgerAccount
    var asset: Int
    /// The balance after the batch, in raw 10⁻⁸ units (already checked against the account's range).
    var balanceRaw: Int128
}

extension Engine {
    /// The balance of `asset` held by a ledger account, in raw 10⁻⁸ units.
    func ledgerBalanceRaw(_ account: LedgerAccount, asset: Int) -> Int128 {
        switch account {
        // From the columns, which mirror every trader balance (written together in `setLedgerBalance`):
        // a flat array read instead of a pointer chase into the account's own balance table.
        case .trader(let trader): return Int128(index.columns.balanceRaw(account: trader, asset: asset))
        case .reserve(let trader): return Int128(state.accounts[trader].reserve(ofAsset: asset).raw)
        case .insuranceFund: return state.insuranceFund[asset].raw
        case .feeIncome: return state.feeIncome[asset].raw
        case .clearing(let market): return state.clearing[market].raw
        case .outsideWorld: return state.outsideWorld[asset].raw
        }
    }

    private mutating func setLedgerBalance(raw: Int128, _ account: LedgerAccount, asset: Int) {
        switch account {
        case .trader(let trader):
            state.accounts[trader].setBalance(Fixed(raw: Int64(raw)), ofAsset: asset)
            index.columns.setBalance(raw: Int64(raw), account: trader, asset: asset)
        case .reserve(let trader): state.accounts[trader].setReserve(Fixed(raw: Int64(raw)), ofAsset: asset)
        case .insuranceFund: state.insuranceFund[asset] = WideAmount(raw: raw)
        case .feeIncome: state.feeIncome[asset] = WideAmount(raw: raw)
        case .clearing(let market): state.clearing[market] = WideAmount(raw: raw)
        case .outsideWorld: state.outsideWorld[asset] = WideAmount(raw: raw)
        }
    }

    /// The balances every ledger account in the batch would end with, each checked against its
    /// range (a trader's `Fixed`, the venue's `WideAmount`); throws naming the first that overflows.
    ///
    /// Net deltas are summed per (ledger account, asset) in `Int128`; a batch with many postings
    /// (a funding round) finds each one through a dictionary, so validation is linear in its size.
    func postings(of batch: LedgerBatch) throws(LedgerOverflow) -> [LedgerPosting] {
        var postings: [LedgerPosting] = []
        try self.postings(of: batch, into: &postings)
        return postings
    }

    /// `postings(of:)` written into `postings` (emptied first, its capacity kept): `commit` passes
    /// a buffer it reuses, so validating a forced close allocates nothing.
    func postings(of batch: LedgerBatch, into postings: inout [LedgerPosting]) throws(LedgerOverflow) {
        // One array: each posting first accumulates its net delta in `balanceRaw`, then becomes the
        // balance after the batch.
        postings.removeAll(keepingCapacity: true)
        // A large batch (a funding round: one transfer per holder) finds a trader's posting through
        // a dense per-account slot table and the few venue accounts by a scan of their own list;
        // a small one scans its postings. Either way validation is linear in the batch's size.
        let transfers = batch.allTransfers
        let large = transfers.count > 64
        postings.reserveCapacity(large ? transfers.count + 8 : transfers.count * 2)
        var traderSlot: [Int32] = large ? Array(repeating: -1, count: state.accounts.count) : []
        var otherSlots: [Int] = []  // venue accounts, and a trader's postings in a second asset
        func add(_ account: LedgerAccount, _ asset: Int, _ delta: Int128) {
            if large {
                if case .trader(let trader) = account {
                    // The slot of the trader's first posting; a second asset falls back to the scan below.
                    let at = Int(traderSlot[trader])
                    if at >= 0, postings[at].asset == asset { postings[at].balanceRaw += delta; return }
                    if at < 0 {
                        traderSlot[trader] = Int32(postings.count)
                        postings.append(LedgerPosting(account: account, asset: asset, balanceRaw: delta))
                        return
                    }
                }
                for at in otherSlots where postings[at].account == account && postings[at].asset == asset {
                    postings[at].balanceRaw += delta
                    return
                }
                otherSlots.append(postings.count)
            } else if let at = postings.firstIndex(where: { $0.account == account && $0.asset == asset }) {
                postings[at].balanceRaw += delta
                return
            }
            postings.append(LedgerPosting(account: account, asset: asset, balanceRaw: delta))
        }
        for transfer in transfers {
            // |amount| < 2⁶³ and a batch has far fewer than 2⁶⁴ transfers: the Int128 sums cannot overflow.
            add(transfer.from, transfer.asset, -Int128(transfer.amount.raw))
            add(transfer.to, transfer.asset, Int128(transfer.amount.raw))
        }
        for index in postings.indices {
            let posting = postings[index]
            let (after, overflow) = ledgerBalanceRaw(posting.account, asset: posting.asset).addingReportingOverflow(posting.balanceRaw)
            if posting.account.holdsFixed {
                guard !overflow, after <= Int128(Int64.max), after >= -Int128(Int64.max) else {
                    throw LedgerOverflow(account: posting.account, asset: posting.asset)
                }
            } else if overflow {
                throw LedgerOverflow(account: posting.account, asset: posting.asset)
            }
            postings[index].balanceRaw = after
        }
    }

    /// Writes postings that `postings(of:)` validated.
    mutating func apply(_ postings: [LedgerPosting]) {
        for posting in postings { setLedgerBalance(raw: posting.balanceRaw, posting.account, asset: posting.asset) }
    }

    /// Validates the whole batch, then applies it. On error nothing has changed.
    mutating func commit(_ batch: LedgerBatch) throws(LedgerOverflow) {
        if let fanIn = batch.fanIn, batch.transfers.isEmpty, fanIn.distinctAscending {
            try commit(fanIn)
        } else {
            apply(try postings(of: batch))
        }
    }

    /// Commits a fan-in whose traders are distinct: each trader's balance after its one leg is
    /// checked against `Fixed`'s range, the venue's after Σ legs (in `Int128`, which a batch of
    /// fewer than 2⁶⁴ legs cannot overflow) against its own; then every balance is written. The
    /// same postings as the generic path, without a table of them.
    private mutating func commit(_ fanIn: LedgerBatch.FanIn) throws(LedgerOverflow) {
        var venueDelta: Int128 = 0
        for (trader, amountRaw) in zip(fanIn.traders, fanIn.amountsRaw) {
            let after = Int128(index.columns.balanceRaw(account: trader, asset: fanIn.asset)) - Int128(amountRaw)
            guard after <= Int128(Int64.max), after >= -Int128(Int64.max) else {
                throw LedgerOverflow(account: .trader(trader), asset: fanIn.asset)
            }
            venueDelta += Int128(amountRaw)
        }
        let (venueAfter, overflow) = ledgerBalanceRaw(fanIn.venue, asset: fanIn.asset).addingReportingOverflow(venueDelta)
        if overflow || (fanIn.venue.holdsFixed && (venueAfter > Int128(Int64.max) || venueAfter < -Int128(Int64.max))) {
            throw LedgerOverflow(account: fanIn.venue, asset: fanIn.asset)
        }
        for (trader, amountRaw) in zip(fanIn.traders, fanIn.amountsRaw) {
            let after = index.columns.balanceRaw(account: trader, asset: fanIn.asset) - amountRaw  // checked above
            setLedgerBalance(raw: Int128(after), .trader(trader), asset: fanIn.asset)
        }
        setLedgerBalance(raw: venueAfter, fanIn.venue, asset: fanIn.asset)
    }

    /// A person-readable name of a ledger account, for error messages.
    func ledgerAccountName(_ account: LedgerAccount, asset: Int) -> String {
        let assetName = state.assets[asset].id
        switch account {
        case .trader(let trader): return "account \"\(state.accounts[trader].id)\"'s \(assetName) balance"
        case .reserve(let trader): return "account \"\(state.accounts[trader].id)\"'s \(assetName) reserve"
        case .insuranceFund: return "the \(assetName) insurance fund"
        case .feeIncome: return "the \(assetName) fee income"
        case .clearing(let market): return "market \"\(state.markets[market].id)\"'s clearing account"
        case .outsideWorld: return "the total of \(assetName) deposited"
        }
    }

    /// The rejection for a batch that overflowed: it names the ledger account at fault.
    func rejection(for overflow: LedgerOverflow) -> Rejection {
        if overflow.account.holdsFixed { return .overflow(ledgerAccountName(overflow.account, asset: overflow.asset)) }
        return Rejection(code: .arithmeticOverflow,
                         message: "\(ledgerAccountName(overflow.account, asset: overflow.asset)) would exceed ±1.7e30; this is a venue-level total, not the trader's balance")
    }

    /// Σ over every ledger account of its balance of `asset`, in `Int128` so the check itself cannot
    /// overflow. The ledger invariant is that this is exactly zero for every asset.
    public func ledgerSum(asset: Int) -> Int128 {
        var sum = state.insuranceFund[asset].raw + state.feeIncome[asset].raw + state.outsideWorld[asset].raw
        for (market, balance) in state.clearing.enumerated() where state.markets[market].settleAsset == asset {
            sum += balance.raw
        }
        for account in state.accounts { sum += Int128(account.balance(ofAsset: asset).raw) + Int128(account.reserve(ofAsset: asset).raw) }
        return sum
    }
}
