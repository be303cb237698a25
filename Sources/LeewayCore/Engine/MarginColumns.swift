/// The hot fields of every account in flat arrays (a structure of arrays), mirrored from
/// `EngineState.accounts`: the full re-margin and funding stream through these instead of
/// following each account's heap-allocated `balances` and `positions`.
///
/// Derived state, like the rest of `EngineIndex`: never persisted, rebuilt on restore, and written
/// only where the accounts are (the ledger's trader postings, `Engine.commit`'s position updates
/// and lifecycle changes, `margin_model`, account creation), each through `Engine.syncColumns`.
///
/// Layout: each account owns a run of position slots `start ..< start + capacity` (`Run`), its
/// positions in the order of `Account.positions` in the first `count`. A run that must grow
/// moves to the end with at least twice the room and its old slots become holes. Room grows
/// geometrically, so an account's holes add up to less than its live run (holes < half of all
/// slots); a restore (`Engine.rebuildIndex`) lays the runs out again in account order.
struct MarginColumns: Sendable {
    /// An account's run of slots and its screen flag (one record, so a scan reads one stream).
    struct Run: Sendable, Hashable {
        /// First slot, positions in it, and room.
        var start: Int32
        var count: Int32
        var capacity: Int32
        /// True when the column kernel may decide the account alone (`isScreenable`).
        var screenable: Bool
    }

    /// One position: signed size and signed open notional (raw 10⁻⁸ units) and its market (−1 in a hole).
    struct Slot: Sendable, Hashable {
        var size: Int64
        var basis: Int64
        var market: Int32
    }

    /// Per account.
    var runs: [Run] = []
    /// Per account, per asset: the collateral balance (raw 10⁻⁸ units) at
    /// `balances[account × balanceStride + asset]`.
    var balances: [Int64] = []
    /// Assets per account in `balances` (grown, with a new layout, when an asset beyond it is posted).
    var balanceStride = 1
    var slots: [Slot] = []
    /// Slots in abandoned runs.
    var holes = 0
    /// Per market, the accounts whose run holds a position in it.
    var holderBits = MarketHolderBits()

    /// Room a new account's run starts with: one position (most accounts hold one; a second moves it).
    static let initialRunCapacity: Int32 = 1
    static let hole = Slot(size: 0, basis: 0, market: -1)

    var accountCount: Int { runs.count }

    init() {}

    /// The columns of `accounts`, laid out in account order with no holes.
    init(accounts: some Collection<Account>, assetCount: Int) {
        runs.reserveCapacity(accounts.count)
        slots.reserveCapacity(accounts.reduce(0) { $0 + Swift.max($1.positions.count, Int(Self.initialRunCapacity)) })
        balanceStride = Swift.max(assetCount, 1)
        balances.reserveCapacity(accounts.count * balanceStride)
        for account in accounts {
            let capacity = Swift.max(account.positions.count, Int(Self.initialRunCapacity))
            runs.append(Run(start: Int32(slots.count), count: Int32(account.positions.count), capacity: Int32(capacity),
                            screenable: Self.isScreenable(account)))
            for asset in 0..<balanceStride { balances.append(account.balance(ofAsset: asset).raw) }
            for position in account.positions {
                slots.append(Slot(size: position.size.raw, basis: position.openNotional.raw, market: Int32(position.market)))
                holderBits.set(market: position.market, account: runs.count - 1, holds: true)
            }
            slots.append(contentsOf: repeatElement(Self.hole, count: capacity - account.positions.count))
        }
    }

    /// Whether the column kernel may decide `account` alone: the standard margin model (the
    /// portfolio model's requirements are scenario grids) and a lifecycle state in which
    /// `LiquidationStateMachine.decide` depends only on the lines (no deadline, step or top-up).
    static func isScreenable(_ account: borrowing Account) -> Bool {
        guard account.marginModel == .standard else { return false }
        switch account.liquidation {
        case .healthy, .liquidated, .bankrupt: return true
        case .warning, .marginCall, .deleveraging: return false
        }
    }

    /// Adds an account with no positions and zero balances.
    mutating func appendAccount() {
        runs.append(Run(start: Int32(slots.count), count: 0, capacity: Self.initialRunCapacity, screenable: true))
        balances.append(contentsOf: repeatElement(0, count: balanceStride))
        slots.append(contentsOf: repeatElement(Self.hole, count: Int(Self.initialRunCapacity)))
    }

    /// Removes the newest account (a refused deposit that would have created it).
    mutating func removeLastAccount() {
        let run = runs.removeLast()
        balances.removeLast(balanceStride)
        if Int(run.start) + Int(run.capacity) == slots.count {
            slots.removeLast(Int(run.capacity))
        } else {
            holes += Int(run.capacity)
        }
    }

    /// `account`'s collateral balance of `asset` (raw 10⁻⁸ units; 0 for an asset beyond the stride,
    /// as `Account.balance(ofAsset:)` reads a missing one).
    @inline(__always)
    func balanceRaw(account: Int, asset: Int) -> Int64 {
        asset < balanceStride ? balances[account * balanceStride + asset] : 0
    }

    /// Writes `account`'s collateral balance of `asset`.
    mutating func setBalance(raw: Int64, account: Int, asset: Int) {
        if asset >= balanceStride { widenBalances(to: asset + 1) }
        balances[account * balanceStride + asset] = raw
    }

    /// Lays the balances out again with room for `stride` assets per account.
    private mutating func widenBalances(to stride: Int) {
        var wider = [Int64](repeating: 0, count: accountCount * stride)
        for account in 0..<accountCount {
            for asset in 0..<balanceStride { wider[account * stride + asset] = balances[account * balanceStride + asset] }
        }
        balances = wider
        balanceStride = stride
    }

    /// Writes `held`'s positions into the run of `account` (moving the run to the end if it is
    /// too small) and its screen flag.
    mutating func setPositions(of held: borrowing Account, account: Int) {
        let positions = held.positions
        var run = runs[account]
        for slot in Int(run.start)..<(Int(run.start) + Int(run.count)) {
            holderBits.set(market: Int(slots[slot].market), account: account, holds: false)
        }
        if positions.count > Int(run.capacity) {
            holes += Int(run.capacity)
            let capacity = Swift.max(positions.count, 2 * Int(run.capacity))
            for slot in Int(run.start)..<(Int(run.start) + Int(run.capacity)) { slots[slot] = Self.hole }
            run.start = Int32(slots.count)
            run.capacity = Int32(capacity)
            slots.append(contentsOf: repeatElement(Self.hole, count: capacity))
        }
        let start = Int(run.start)
        for position in positions { holderBits.set(market: position.market, account: account, holds: true) }
        for (offset, position) in positions.enumerated() {
            slots[start + offset] = Slot(size: position.size.raw, basis: position.openNotional.raw, market: Int32(position.market))
        }
        run.count = Int32(positions.count)
        run.screenable = Self.isScreenable(held)
        runs[account] = run
    }

    /// Every account holding a position in `market`, in account order, with its signed size (raw).
    func holders(ofMarket market: Int) -> [(account: Int, sizeRaw: Int64)] {
        var found: [(account: Int, sizeRaw: Int64)] = []
        forEachHolder(ofMarket: market) { account, sizeRaw in found.append((account, sizeRaw)) }
        return found
    }

    /// Calls `body` with every account holding a position in `market`, in account order, and its
    /// signed size (raw), without collecting them.
    /// The holders come from `holderBits`; only their own runs are read.
    func forEachHolder(ofMarket market: Int, _ body: (_ account: Int, _ sizeRaw: Int64) -> Void) {
        let wanted = Int32(market)
        runs.withUnsafeBufferPointer { runs in
            slots.withUnsafeBufferPointer { slots in
                holderBits.forEach(market: market) { account in
                    let start = Int(runs[account].start)
                    for slot in start..<(start + Int(runs[account].count)) where slots[slot].market == wanted {
                        body(account, slots[slot].size)
                        break
                    }
                }
            }
        }
    }

    /// The first way these columns differ from `accounts` (a position, a balance, a flag, a run
    /// out of bounds), or nil when they mirror them exactly. For tests and `leeway verify`-style checks.
    func disagreement(with accounts: some Collection<Account>) -> String? {
        guard accountCount == accounts.count else { return "\(accountCount) accounts in the columns, \(accounts.count) in the state" }
        for (index, account) in accounts.enumerated() {
            let run = runs[index]
            guard Int(run.count) == account.positions.count, run.count <= run.capacity,
                  Int(run.start) + Int(run.capacity) <= slots.count else { return "account \(account.id): run of \(run.count) for \(account.positions.count) positions" }
            for (offset, position) in account.positions.enumerated() {
                guard slots[Int(run.start) + offset] == Slot(size: position.size.raw, basis: position.openNotional.raw, market: Int32(position.market)) else {
                    return "account \(account.id): position \(offset) differs"
                }
            }
            for asset in 0..<Swift.max(balanceStride, account.balances.count) {
                let mirrored = asset < balanceStride ? balances[index * balanceStride + asset] : 0
                guard mirrored == account.balance(ofAsset: asset).raw else { return "account \(account.id): balance of asset \(asset) differs" }
            }
            guard run.screenable == Self.isScreenable(account) else { return "account \(account.id): screen flag differs" }
            for market in 0..<holderBits.marketCount
            where holderBits.contains(market: market, account: index) != account.positions.contains(where: { $0.market == market }) {
                return "account \(account.id): holder bit of market \(market) differs"
            }
            if let beyond = account.positions.first(where: { $0.market >= holderBits.marketCount }) {
                return "account \(account.id): no holder bit for market \(beyond.market)"
            }
        }
        return nil
    }
}
