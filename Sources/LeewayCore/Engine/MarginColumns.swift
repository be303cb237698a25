/// The hot fields of every account in flat arrays (a structure of arrays), mirrored from
/// `EngineState.accounts`: the full re-margin and funding stream through these instead of
/// following each account's heap-allocated `balances` and `positions`.
///
/// Derived state, like the rest of `EngineIndex`: never persisted, rebuilt on restore, and written
/// only where the accounts are (the ledger's trader postings, `Engine.commit`'s position updates
/// and lifecycle changes, `margin_model`, account creation), each through `Engine.syncColumns`.
///
/// Layout: each account owns a run of position slots `runStart ..< runStart + runCapacity`, its
/// positions in the order of `Account.positions` in the first `runCount`. A run that must grow
/// moves to the end with at least twice the room and its old slots become holes. Room grows
/// geometrically, so an account's holes add up to less than its live run (holes < half of all
/// slots); a restore (`Engine.rebuildIndex`) lays the runs out again in account order.
struct MarginColumns: Sendable {
    /// Per account: first slot of its run, positions in it, and room.
    var runStart: [Int32] = []
    var runCount: [Int32] = []
    var runCapacity: [Int32] = []
    /// Per account: true when the column kernel may decide it alone — standard margin model and a
    /// resting lifecycle state (healthy, liquidated or bankrupt). Others take the reference path.
    var screenable: [Bool] = []
    /// Per account, per asset: the collateral balance (raw 10⁻⁸ units) at
    /// `balances[account × balanceStride + asset]`.
    var balances: [Int64] = []
    /// Assets per account in `balances` (grown, with a new layout, when an asset beyond it is posted).
    var balanceStride = 1
    /// Per slot: market index, signed size and signed open notional (raw 10⁻⁸ units).
    var slotMarket: [Int32] = []
    var slotSize: [Int64] = []
    var slotBasis: [Int64] = []
    /// Slots in abandoned runs.
    var holes = 0

    /// Room a new account's run starts with (two positions; a third moves it).
    static let initialRunCapacity: Int32 = 2

    var accountCount: Int { runStart.count }

    init() {}

    /// The columns of `accounts`, laid out in account order with no holes.
    init(accounts: [Account], assetCount: Int) {
        let slots = accounts.reduce(0) { $0 + Swift.max($1.positions.count, Int(Self.initialRunCapacity)) }
        runStart.reserveCapacity(accounts.count)
        runCount.reserveCapacity(accounts.count)
        runCapacity.reserveCapacity(accounts.count)
        screenable.reserveCapacity(accounts.count)
        slotMarket.reserveCapacity(slots)
        slotSize.reserveCapacity(slots)
        slotBasis.reserveCapacity(slots)
        balanceStride = Swift.max(assetCount, 1)
        balances.reserveCapacity(accounts.count * balanceStride)
        for account in accounts {
            let capacity = Swift.max(account.positions.count, Int(Self.initialRunCapacity))
            runStart.append(Int32(slotMarket.count))
            runCount.append(Int32(account.positions.count))
            runCapacity.append(Int32(capacity))
            screenable.append(Self.isScreenable(account))
            for asset in 0..<balanceStride { balances.append(account.balance(ofAsset: asset).raw) }
            for position in account.positions {
                slotMarket.append(Int32(position.market))
                slotSize.append(position.size.raw)
                slotBasis.append(position.openNotional.raw)
            }
            appendSlots(capacity - account.positions.count)
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
        runStart.append(Int32(slotMarket.count))
        runCount.append(0)
        runCapacity.append(Self.initialRunCapacity)
        screenable.append(true)
        balances.append(contentsOf: repeatElement(0, count: balanceStride))
        appendSlots(Int(Self.initialRunCapacity))
    }

    /// Removes the newest account (a refused deposit that would have created it).
    mutating func removeLastAccount() {
        let start = Int(runStart.removeLast())
        runCount.removeLast()
        let capacity = Int(runCapacity.removeLast())
        screenable.removeLast()
        balances.removeLast(balanceStride)
        if start + capacity == slotMarket.count {
            slotMarket.removeLast(capacity)
            slotSize.removeLast(capacity)
            slotBasis.removeLast(capacity)
        } else {
            holes += capacity
        }
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
        let count = positions.count
        if count > Int(runCapacity[account]) {
            holes += Int(runCapacity[account])
            let capacity = Swift.max(count, 2 * Int(runCapacity[account]))
            runStart[account] = Int32(slotMarket.count)
            runCapacity[account] = Int32(capacity)
            appendSlots(capacity)
        }
        let start = Int(runStart[account])
        for (offset, position) in positions.enumerated() {
            slotMarket[start + offset] = Int32(position.market)
            slotSize[start + offset] = position.size.raw
            slotBasis[start + offset] = position.openNotional.raw
        }
        runCount[account] = Int32(count)
        screenable[account] = Self.isScreenable(held)
    }

    /// Every account holding a position in `market`, in account order, with its signed size (raw).
    func holders(ofMarket market: Int) -> [(account: Int, sizeRaw: Int64)] {
        var found: [(account: Int, sizeRaw: Int64)] = []
        let wanted = Int32(market)
        runStart.withUnsafeBufferPointer { runStart in
            runCount.withUnsafeBufferPointer { runCount in
                slotMarket.withUnsafeBufferPointer { slotMarket in
                    slotSize.withUnsafeBufferPointer { slotSize in
                        for account in runStart.indices {
                            let start = Int(runStart[account])
                            for slot in start..<(start + Int(runCount[account])) where slotMarket[slot] == wanted {
                                found.append((account, slotSize[slot]))
                                break
                            }
                        }
                    }
                }
            }
        }
        return found
    }

    /// The first way these columns differ from `accounts` (a position, a balance, a flag, a run
    /// out of bounds), or nil when they mirror them exactly. For tests and `leeway verify`-style checks.
    func disagreement(with accounts: [Account]) -> String? {
        guard accountCount == accounts.count else { return "\(accountCount) accounts in the columns, \(accounts.count) in the state" }
        for (index, account) in accounts.enumerated() {
            let start = Int(runStart[index]), count = Int(runCount[index])
            guard count == account.positions.count, count <= Int(runCapacity[index]),
                  start + Int(runCapacity[index]) <= slotMarket.count else { return "account \(account.id): run of \(count) for \(account.positions.count) positions" }
            for (offset, position) in account.positions.enumerated() {
                let slot = start + offset
                guard Int(slotMarket[slot]) == position.market, slotSize[slot] == position.size.raw,
                      slotBasis[slot] == position.openNotional.raw else { return "account \(account.id): position \(offset) differs" }
            }
            for asset in 0..<Swift.max(balanceStride, account.balances.count) {
                let mirrored = asset < balanceStride ? balances[index * balanceStride + asset] : 0
                guard mirrored == account.balance(ofAsset: asset).raw else { return "account \(account.id): balance of asset \(asset) differs" }
            }
            guard screenable[index] == Self.isScreenable(account) else { return "account \(account.id): screen flag differs" }
        }
        return nil
    }

    private mutating func appendSlots(_ count: Int) {
        slotMarket.append(contentsOf: repeatElement(-1, count: count))
        slotSize.append(contentsOf: repeatElement(0, count: count))
        slotBasis.append(contentsOf: repeatElement(0, count: count))
    }
}
