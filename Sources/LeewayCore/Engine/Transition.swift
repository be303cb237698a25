/// Everything one step of the liquidation lifecycle changes, planned before anything changes.
///
/// Planners (`planSimple`, `planClose`, `planSettlement`) read the engine and return one of these;
/// they never mutate. `Engine.commit(_:)` validates the whole transition (every ledger balance in
/// range, every position update a reduction of an existing position when `reduceOnly`, the
/// lifecycle change legal) and only then applies all of it, positions and money together, or
/// throws and changes nothing. A commit never decides.
struct Transition: Sendable {
    /// A position's new value (size zero removes it).
    struct PositionUpdate: Sendable {
        var account: Int
        var position: Position
    }

    /// The account the transition is about (its lifecycle changes, and it is re-indexed).
    var account: Int
    /// The lifecycle outcome to record, if any (`LiquidationStateMachine.transition`).
    var outcome: LiquidationStateMachine.Outcome?
    var ledger = LedgerBatch()
    var positions: [PositionUpdate] = []
    /// When true every position update must shrink an existing position without flipping it.
    var reduceOnly = true
    var events: [EventKind] = []
    /// Other accounts whose risk changes (ADL counterparties): evaluated after this one.
    var requeue: [Int] = []
    /// The legs this transition force-closed (kept by the caller to drive ADL at settlement).
    var closedLegs: [ClosedLeg] = []
    /// What auto top-up moved from the reserve (added to the instruction's used amount).
    var autoTopupSpent: Fixed?
    /// ADL queues the planner ranked or advanced (a cache of the current command).
    var adlRankings: [(key: Int, ranking: AdlRanking)] = []
    /// The alert code if this transition cannot be committed (set by the planner that made it).
    var failureCode: AlertCode

    init(account: Int, outcome: LiquidationStateMachine.Outcome? = nil, failureCode: AlertCode = .illegalTransition) {
        self.account = account
        self.outcome = outcome
        self.failureCode = failureCode
    }
}

/// One forced close in one market, kept to drive ADL if the account ends bankrupt.
struct ClosedLeg: Sendable, Hashable {
    var market: Int
    /// The account's position size before the close (signed).
    var sizeBefore: Fixed
    var closedQuantity: Fixed
    /// The close price (the mark at the time).
    var price: Fixed
}

/// A market side's ADL queue, ranked once per command, with the offset of the first entry that
/// may still hold a position.
struct AdlRanking: Sendable {
    var accounts: [Int]
    var start: Int
}
