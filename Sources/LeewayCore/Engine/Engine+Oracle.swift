/// Oracle safety (`OracleGuard`): which marks are applied, when a market's liquidations pause and
/// resume, and the alerts that report each decision.
extension Engine {
    /// Sets a market's guard (a `market` command redefining it). Removing `max_mark_move` discards a
    /// held mark; removing `max_mark_age_ms` (or lengthening it past the mark's age) ends a pause.
    mutating func setOracleGuard(_ oracleGuard: OracleGuard, market: Int) {
        state.markets[market].oracleGuard = oracleGuard
        if oracleGuard.isActive { index.anyOracleGuard = true }
        if oracleGuard.maxMarkMove == nil, let held = state.markets[market].heldMark {
            discardHeldMark(market: market, reason: "max_mark_move was removed; the held mark \(held.price) is discarded")
        }
        if state.markets[market].liquidationsPaused {
            let stillStale = oracleGuard.maxMarkAgeMs.map { maxAge in
                state.markets[market].markTimeMs.map { state.clockMs - $0 > maxAge } ?? false
            } ?? false
            if !stillStale { resumeLiquidations(market: market, reason: "the market's max_mark_age_ms changed") }
        }
    }

    /// Decides what a `mark` command does under the market's guard: true to apply `price` now,
    /// false when it is held (or replaces a held mark). Emits the alerts of each decision.
    mutating func admitMark(market: Int, price: Fixed) -> Bool {
        let current = state.markets[market]
        guard current.oracleGuard.maxMarkMove != nil, let last = current.markPrice else { return true }
        let guardValue = current.oracleGuard
        if let held = current.heldMark {
            if !guardValue.isJump(from: held.price, to: price) {
                state.markets[market].heldMark = nil
                emit(.alert(account: nil, market: current.id, code: .markConfirmed,
                            message: "market \"\(current.id)\": mark \(price) confirms the held mark \(held.price) (a move of more than max_mark_move from \(last)); the market moves to \(price)"))
                return true
            }
            discardHeldMark(market: market, reason: "mark \(price) does not confirm it (it is more than max_mark_move away)")
        }
        guard guardValue.isJump(from: last, to: price) else { return true }
        state.markets[market].heldMark = HeldMark(price: price, receivedMs: state.clockMs)
        emit(.alert(account: nil, market: current.id, code: .markHeld,
                    message: "market \"\(current.id)\": mark \(price) moves more than max_mark_move (\(guardValue.maxMarkMove ?? .zero)) from \(last); it is held until a mark within confirm_ms (\(guardValue.confirmMs ?? 0) ms) confirms it, and liquidates no one meanwhile"))
        return false
    }

    /// After a mark is applied: its time is recorded and a pause on a stale mark ends.
    mutating func markAccepted(market: Int) {
        state.markets[market].markTimeMs = state.clockMs
        if state.markets[market].liquidationsPaused {
            resumeLiquidations(market: market, reason: "a fresh mark arrived")
        }
    }

    /// The oracle checks of a clock advance, before due timers fire: a held mark whose confirmation
    /// window has passed is discarded, and a mark older than `max_mark_age_ms` pauses its market.
    mutating func checkOracleClock() {
        guard index.anyOracleGuard else { return }
        for market in state.markets.indices where state.markets[market].oracleGuard.isActive {
            if let expires = state.markets[market].heldMarkExpiresAtMs, state.clockMs >= expires, let held = state.markets[market].heldMark {
                discardHeldMark(market: market, reason: "no mark confirmed it within confirm_ms (held since \(held.receivedMs))")
            }
            if let staleAt = state.markets[market].staleAtMs, state.clockMs >= staleAt {
                state.markets[market].liquidationsPaused = true
                index.pausedMarketCount += 1
                let name = state.markets[market].id
                let age = state.clockMs - (state.markets[market].markTimeMs ?? state.clockMs)
                emit(.alert(account: nil, market: name, code: .liquidationsPaused,
                            message: "market \"\(name)\": the mark is \(age) ms old, more than max_mark_age_ms (\(state.markets[market].oracleGuard.maxMarkAgeMs ?? 0)); no margin call or forced close is decided for its holders until a fresh mark arrives"))
            }
        }
    }

    /// The earliest oracle moment after the clock: a mark turning stale or a held mark expiring.
    var nextOracleDueMs: Int64? {
        var earliest: Int64?
        for market in state.markets where market.oracleGuard.isActive {
            for moment in [market.staleAtMs, market.heldMarkExpiresAtMs] {
                guard let moment else { continue }
                earliest = earliest.map { Swift.min($0, moment) } ?? moment
            }
        }
        return earliest
    }

    /// True when `account` holds a position in a market whose liquidations are paused: the
    /// lifecycle then takes no new call or forced close for it (see `evaluate`).
    func holdsPausedMarket(_ account: Int) -> Bool {
        guard index.pausedMarketCount > 0 else { return false }
        return Self.holdsPausedMarket(state.accounts[account], markets: state.markets)
    }

    /// The same test over a market table the caller holds (the full re-margin reads through pointers).
    static func holdsPausedMarket<Markets: RandomAccessCollection<Market>>(_ account: borrowing Account, markets: Markets) -> Bool
    where Markets.Index == Int {
        account.positions.contains { markets[$0.market].liquidationsPaused }
    }

    private mutating func discardHeldMark(market: Int, reason: String) {
        guard let held = state.markets[market].heldMark else { return }
        state.markets[market].heldMark = nil
        let name = state.markets[market].id
        emit(.alert(account: nil, market: name, code: .markSpikeDiscarded,
                    message: "market \"\(name)\": the held mark \(held.price) was a lone spike: \(reason); it was never applied and liquidated no one"))
    }

    private mutating func resumeLiquidations(market: Int, reason: String) {
        state.markets[market].liquidationsPaused = false
        index.pausedMarketCount -= 1
        let name = state.markets[market].id
        emit(.alert(account: nil, market: name, code: .liquidationsResumed,
                    message: "market \"\(name)\": liquidations resume (\(reason)); its holders are evaluated again"))
        queueHolders(ofMarket: market)
    }
}
