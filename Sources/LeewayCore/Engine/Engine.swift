/// The deterministic margin and liquidation engine: `apply(command) → events` over the whole state.
///
/// Pure: no I/O, no clock, no random numbers; time comes in with each command. One owner calls
/// `apply` at a time (it is a value type). Replaying the same commands yields the same events and
/// the same `StateDigest` on any machine.
public struct Engine: Sendable {
    public internal(set) var state: EngineState
    var index = EngineIndex()
    /// Events of the command being applied, in order.
    var pendingEvents: [Event] = []
    /// The buffer `commit` validates ledger postings in, kept between commits for its capacity.
    var postingScratch: [LedgerPosting] = []
    /// Accounts whose risk changed as a side effect (e.g. ADL) and must be re-evaluated.
    var evaluationQueue: [Int] = []
    /// ADL queues ranked during the current command, by `2 × market + (ranked side is long ? 1 : 0)`,
    /// with the offset of the first entry that may still hold a position.
    var adlRankings: [Int: AdlRanking] = [:]

    /// How a mark update finds the accounts to re-evaluate. Not part of the state: both modes
    /// must produce identical events and digests (a property test checks this).
    public enum MarkEvaluation: Sendable {
        /// Only accounts whose trigger band the new mark leaves (the production path).
        case triggerBands
        /// Every account with a position in the market (the reference and benchmark baseline).
        case everyHolder
    }

    public var markEvaluation: MarkEvaluation = .triggerBands

    /// How many account evaluations `apply` has run since this engine was made (a diagnostic for
    /// benchmarks: not state, not in the digest).
    public internal(set) var evaluationCount = 0

    public init(markEvaluation: MarkEvaluation = .triggerBands) {
        state = EngineState()
        self.markEvaluation = markEvaluation
    }

    /// Restores an engine from a snapshot of its state, rebuilding every derived index.
    public init(state: EngineState) {
        self.state = state
        rebuildIndex()
    }

    /// The events the command with this idempotency id produced, if it was applied and its id is
    /// still inside the window as of `asOfMs` (the command's `ts`; nil: the clock): a retry is
    /// answered with these and changes nothing (so a server must not journal it again). An id that
    /// left the window but is not yet forgotten (see `idsForgottenPerCommand`) answers nil, as
    /// `apply` would treat it as new.
    public func originalEvents(ofCommandID id: String, asOfMs: Int64? = nil) -> [Event]? {
        guard let original = state.appliedCommandEvents[id] else { return nil }
        let nowMs = Swift.max(state.clockMs, asOfMs ?? state.clockMs)
        return isExpiredButStored(id, asOfMs: nowMs) ? nil : original
    }

    /// At most this many ids leave the idempotency window per command (by time; the `max_ids`
    /// bound is always kept). A clock gap longer than the window would otherwise forget the whole
    /// table (up to `idempotencyMaxIDs`, a million by default, about 0.4 s) inside one command; the
    /// backlog drains instead over the next commands (a million over 16k commands), and a stored id
    /// already outside the window counts as forgotten. Small because commands come in batches: a
    /// batch of 1,000 forgets at most 64,000 ids (about 25 ms); more than one, so the backlog shrinks
    /// although each command may add an id.
    public static let idsForgottenPerCommand = 64

    /// The current clock (ms).
    public var clockMs: Int64 { state.clockMs }

    /// The earliest grace deadline or deleveraging step (nil: none pending), without the oracle
    /// moments of `nextTimerDueMs`: what the simulator sends the price of that moment before.
    public var nextLifecycleTimerDueMs: Int64? { index.timers.nextDueMs }

    /// The earliest time at which a deadline or deleveraging step may fire (nil: none pending).
    /// A `time` command before then changes only the clock; a server ticker uses this to stay
    /// quiet. An entry may be
    /// stale (the account moved on): a command at that time is then a no-op for it.
    ///
    /// It includes the oracle-safety moments (a mark turning stale, a held mark expiring), so a
    /// ticker's `time` command reports them when they happen.
    public var nextTimerDueMs: Int64? {
        guard index.anyOracleGuard, let oracleDue = nextOracleDueMs else { return index.timers.nextDueMs }
        return index.timers.nextDueMs.map { Swift.min($0, oracleDue) } ?? oracleDue
    }

    /// Applies one command and returns the events it produced, in order. A rejected command
    /// changes nothing and produces one `rejected` event. A `ts` later than the clock first
    /// advances the clock, firing due deadlines and cooldowns (their events come first), as a
    /// `time` command would; this happens even if the command itself is then rejected, because
    /// time has passed regardless.
    public mutating func apply(_ envelope: CommandEnvelope) -> [Event] {
        var events: [Event] = []
        apply(envelope, into: &events)
        return events
    }

    /// `apply(_:)` that appends the command's events to the caller's `events` instead of returning
    /// a new array: a caller that consumes and empties `events` between commands
    /// (`removeAll(keepingCapacity: true)`) reuses one buffer, so a crash tick's hundreds of
    /// thousands of events are not written into freshly allocated memory on every command.
    public mutating func apply(_ envelope: CommandEnvelope, into events: inout [Event]) {
        // The caller's buffer collects this command's events; the engine keeps none between commands.
        swap(&pendingEvents, &events)
        defer { swap(&pendingEvents, &events) }
        applyCollecting(envelope)
    }

    /// The body of `apply`: appends the command's events to `pendingEvents`.
    private mutating func applyCollecting(_ envelope: CommandEnvelope) {
        adlRankings.removeAll(keepingCapacity: true)
        // Expire as of the command's own time, so a retry after the window is a new command.
        let commandMs = Swift.max(state.clockMs, envelope.timestampMs ?? state.clockMs)
        expireCommandIDs(asOfMs: commandMs, limit: Self.idsForgottenPerCommand)
        if let id = envelope.id, let original = state.appliedCommandEvents[id] {
            guard isExpiredButStored(id, asOfMs: commandMs) else {
                pendingEvents.append(contentsOf: original)
                return
            }
            // The id came back after its window: forget the whole expired backlog (this id with
            // it) so it is applied as new and appended once, after every id still remembered.
            expireCommandIDs(asOfMs: commandMs, limit: .max)
        }
        if let timestampMs = envelope.timestampMs {
            guard timestampMs >= state.clockMs else {
                emit(.rejected(command: envelope.reference, code: .clockRegression,
                               message: "ts \(timestampMs) is earlier than the engine clock \(state.clockMs); send commands in time order"))
                return
            }
            advanceClock(to: timestampMs)
        }
        let eventsBeforeCommand = pendingEvents.count
        queuePendingRetries()
        do throws(Rejection) {
            try perform(envelope.command)
            drainEvaluationQueue()
            if let id = envelope.id {
                state.appliedCommandEvents[id] = Array(pendingEvents[eventsBeforeCommand...])
                state.appliedCommandOrder.append(AppliedCommandID(id: id, appliedMs: state.clockMs))
                expireCommandIDs(asOfMs: state.clockMs, limit: Self.idsForgottenPerCommand)
            }
        } catch {
            emit(.rejected(command: envelope.reference, code: error.code, message: error.message))
            drainEvaluationQueue()  // retries still run: time passed and the command changed nothing
        }
    }

    /// Records a `rejected` event for input that never became a command (malformed JSON, an
    /// unknown type, a bad field). Only the event sequence advances.
    public mutating func reject(_ reference: CommandReference, code: RejectionCode, message: String) -> [Event] {
        pendingEvents = []
        emit(.rejected(command: reference, code: code, message: message))
        return pendingEvents
    }

    mutating func emit(_ kind: EventKind) {
        pendingEvents.append(Event(seq: state.nextSeq, timestampMs: state.clockMs, kind: kind))
        state.nextSeq += 1
    }

    private mutating func perform(_ command: Command) throws(Rejection) {
        switch command {
        case let .asset(id, price, weight): try defineAsset(id: id, price: price, weight: weight)
        case let .market(id, settle, tiers, fee, slippage, oracleGuard):
            try defineMarket(id: id, settleAsset: settle, tiers: tiers, liquidationFee: fee, expectedSlippage: slippage, oracleGuard: oracleGuard)
        case let .policy(policy, market, halfLife): try setPolicy(policy, market: market, volatilityHalfLifeMs: halfLife)
        case let .insuranceDeposit(amount, asset): try depositInsurance(amount: amount, asset: asset)
        case let .deposit(account, asset, amount, toReserve): try deposit(account: account, asset: asset, amount: amount, toReserve: toReserve)
        case let .withdraw(account, asset, amount, fromReserve):
            if fromReserve { try withdrawReserve(account: account, asset: asset, amount: amount) }
            else { try withdraw(account: account, asset: asset, amount: amount) }
        case let .protect(account, request): try protect(account: account, request: request)
        case let .fill(account, market, size, price, fee): try fill(account: account, market: market, size: size, price: price, fee: fee)
        case let .mark(market, price): try updateMark(market: market, price: price)
        case let .assetPrice(asset, price): try updateAssetPrice(asset: asset, price: price)
        case let .funding(market, rate): try applyFunding(market: market, rate: rate)
        case let .idempotency(windowMs, maxIDs): try setIdempotency(windowMs: windowMs, maxIDs: maxIDs)
        case let .option(id, underlying, kind, strike, expiryMs, contractSize):
            try defineOption(id: id, underlying: underlying, kind: kind, strike: strike, expiryMs: expiryMs, contractSize: contractSize)
        case let .optionVol(option, volatility): try setOptionVolatility(option: option, volatility: volatility)
        case let .marginModel(account, model): try setMarginModel(account: account, model: model)
        case let .portfolioParams(market, params): try setPortfolioParams(market: market, params: params)
        case .time: break
        }
    }

    /// Forgets the ids that left the idempotency window: every id beyond the newest
    /// `idempotencyMaxIDs`, and up to `limit` of those applied more than `idempotencyWindowMs`
    /// before `nowMs` (oldest first). A command that comes back with a forgotten id is applied
    /// again as a new command (clients must not retry after the window).
    mutating func expireCommandIDs(asOfMs nowMs: Int64, limit: Int) {
        var expiredByTime = 0
        while let oldest = state.appliedCommandOrder.first {
            if state.appliedCommandOrder.count > state.idempotencyMaxIDs {
                // Over the count: always forgotten (at most one per command, except after an
                // `idempotency` command lowered `max_ids`, which drains in full).
            } else if nowMs - oldest.appliedMs > state.idempotencyWindowMs, expiredByTime < limit {
                expiredByTime += 1
            } else {
                break
            }
            state.appliedCommandOrder.removeFirst()
            state.appliedCommandEvents[oldest.id] = nil
        }
    }

    /// Whether a stored id was applied more than `idempotencyWindowMs` before `nowMs` but has not
    /// been forgotten yet. Expired ids form a prefix of `appliedCommandOrder` (the clock never goes
    /// back), so this scans only that backlog, which is empty unless a clock gap just passed.
    func isExpiredButStored(_ id: String, asOfMs nowMs: Int64) -> Bool {
        for applied in state.appliedCommandOrder {
            guard nowMs - applied.appliedMs > state.idempotencyWindowMs else { return false }
            if applied.id == id { return true }
        }
        return false
    }

    /// The `idempotency` command: how long and how many ids are remembered.
    mutating func setIdempotency(windowMs: Int64, maxIDs: Int) throws(Rejection) {
        guard windowMs >= 1_000 else {
            throw Rejection(code: .invalidIdempotency, message: "window_ms must be at least 1000 (one second), got \(windowMs)")
        }
        guard (1...100_000_000).contains(maxIDs) else {
            throw Rejection(code: .invalidIdempotency, message: "max_ids must be between 1 and 100000000, got \(maxIDs)")
        }
        state.idempotencyWindowMs = windowMs
        state.idempotencyMaxIDs = maxIDs
        expireCommandIDs(asOfMs: state.clockMs, limit: .max)
    }
}
