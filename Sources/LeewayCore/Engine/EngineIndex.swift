/// Lookups and trigger structures derived from `EngineState`: never persisted, rebuilt on restore.
struct EngineIndex: Sendable {
    var assetByID: [String: Int] = [:]
    var marketByID: [String: Int] = [:]
    var accountByID: [String: Int] = [:]
    /// One trigger index per market.
    var triggers: [TriggerIndex] = []
    /// Current trigger version per account (stale heap entries carry older versions).
    var triggerVersions: [UInt32] = []
    /// Per account: true while it waits in the evaluation queue (a flag array, not a set: it is
    /// touched for every evaluated account).
    var isQueued: [Bool] = []
    /// Pending deadlines and step times: (due ms, account).
    var timers = TimerQueue()
    /// Per account: how many heap entries its current bands occupy (stale ones are not counted).
    var liveTriggerEntries: [Int32] = []
    /// Σ liveTriggerEntries: compaction runs when the heaps hold more than twice this.
    var liveTriggerEntryTotal = 0
    /// Entries in all trigger heaps, live or stale (kept as they are inserted and popped).
    var triggerEntryTotal = 0
    /// Per account: equity (10⁻⁸ units) that may still leave / arrive by cash moves before any
    /// decision can change (see `Engine.reindex`); 0 = unknown, always re-evaluate.
    var cashSlackDown: [Int64] = []
    var cashSlackUp: [Int64] = []
    /// Per market: the dynamic-margin multiplier last used for it (1 without dynamic margin).
    var marginMultipliers: [Fixed] = []
    /// Per market: accounts (with their trigger version) whose decisions depend on the multiplier
    /// within their current bands: some line's gap has one sign at m = 1 and another at
    /// m = max_multiplier. They are re-evaluated when the market's multiplier changes.
    var dynamicWatch: [[(account: Int, version: UInt32)]] = []
    /// True when the global policy or any market's has dynamic margin (else fills skip the scaled IM).
    var anyDynamicMargin = false
    /// True when some market has an oracle guard (else clock advances skip the oracle checks).
    var anyOracleGuard = false
    /// Per underlying: the clock edges of option books (`Engine.fileNonlinearBands`), in
    /// milliseconds as "prices": a mark of the underlying at a clock past an edge evaluates the
    /// account, since its options' values have moved with time as far as its slack allows.
    var clockTriggers: [TriggerIndex] = []
    /// Per underlying perpetual: its options' market indices, in definition order.
    var options: [Int: [Int]] = [:]
    /// Options not yet settled, in definition order (each clock advance checks their expiry).
    var unsettledOptions: [Int] = []
    /// Balances, positions and screen flags of every account in flat arrays (full re-margin, funding).
    var columns = MarginColumns()
    /// How many markets have their liquidations paused on a stale mark (0: evaluations skip the check).
    var pausedMarketCount = 0
    /// Per option market, its risk array over its underlying's grid (`OptionRiskTable`), and the
    /// options valued since theirs was stored (refreshed before the next evaluations; a set, so
    /// marks that evaluate nobody do not pile up one entry per option per mark).
    var optionRisk = OptionRiskTable()
    var staleOptionRisk: Set<Int> = []
}

extension Engine {
    /// Rebuilds every lookup and index from the state (after restoring a snapshot).
    mutating func rebuildIndex() {
        index = EngineIndex()
        for (position, asset) in state.assets.enumerated() { index.assetByID[asset.id] = position }
        for (position, market) in state.markets.enumerated() {
            index.marketByID[market.id] = position
            guard let terms = market.option else { continue }
            index.options[terms.underlying, default: []].append(position)
            if terms.settlementPrice == nil { index.unsettledOptions.append(position) }
            index.staleOptionRisk.insert(position)
        }
        index.triggers = Array(repeating: TriggerIndex(), count: state.markets.count)
        index.dynamicWatch = Array(repeating: [], count: state.markets.count)
        index.clockTriggers = Array(repeating: TriggerIndex(), count: state.markets.count)
        index.marginMultipliers = state.markets.indices.map { currentMarginMultiplier(market: $0) }
        index.anyDynamicMargin = state.globalPolicy.dynamicMargin != nil || state.marketPolicies.contains { $0?.dynamicMargin != nil }
        index.anyOracleGuard = state.markets.contains { $0.oracleGuard.isActive }
        index.pausedMarketCount = state.markets.count { $0.liquidationsPaused }
        index.triggerVersions = Array(repeating: 0, count: state.accounts.count)
        index.isQueued = Array(repeating: false, count: state.accounts.count)
        index.liveTriggerEntries = Array(repeating: 0, count: state.accounts.count)
        index.cashSlackDown = Array(repeating: 0, count: state.accounts.count)
        index.cashSlackUp = Array(repeating: 0, count: state.accounts.count)
        index.columns = MarginColumns(accounts: state.accounts, assetCount: state.assets.count)
        // Sized once: grown insert by insert, a million ids rehashed ~20 times (10 % of a restart).
        index.accountByID.reserveCapacity(state.accounts.count)
        for (position, account) in state.accounts.enumerated() {
            index.accountByID[account.id] = position
            for due in account.liquidation.dueTimesMs { index.timers.schedule(account: position, atMs: due) }
        }
        reindexAllAccounts()
    }

    /// Copies `account`'s positions and screen flag into the columns (after `commit` or
    /// `margin_model` changed them).
    mutating func syncColumns(account: Int) {
        index.columns.setPositions(of: state.accounts[account], account: account)
    }

    /// Recomputes every account's trigger bands from scratch.
    mutating func reindexAllAccounts() {
        for market in index.triggers.indices {
            index.triggers[market].removeAll()
            index.dynamicWatch[market].removeAll()
            index.clockTriggers[market].removeAll()
        }
        index.triggerEntryTotal = 0
        for account in index.liveTriggerEntries.indices { index.liveTriggerEntries[account] = 0 }
        index.liveTriggerEntryTotal = 0
        for account in state.accounts.indices where !state.accounts[account].positions.isEmpty {
            reindex(account: account)
        }
    }
}
