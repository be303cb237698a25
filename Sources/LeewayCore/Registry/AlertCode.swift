/// Why the engine raised an `alert`: an action it had to take and could not, or a state it did
/// not expect. Stable snake_case codes (the registry `docs/COMMANDS.md` is checked against).
public enum AlertCode: String, Sendable, Hashable, Codable, CaseIterable {
    /// An account's equity or margin does not fit the engine's range; it cannot be evaluated.
    case riskOverflow = "risk_overflow"
    /// A forced close (deleveraging step or full liquidation) could not be computed or committed.
    case forcedCloseFailed = "forced_close_failed"
    /// Settling a liquidated account (seizure, insurance, ADL) could not be computed or committed.
    case settlementFailed = "settlement_failed"
    /// A lifecycle change that is not legal from the account's current state.
    case illegalTransition = "illegal_transition"
    /// One account needed more than `Engine.actionLimitPerEvaluation` actions in one command.
    case actionLimitReached = "action_limit_reached"
    /// A deficit that neither the insurance fund nor ADL could cover: it stays as bad debt.
    case badDebt = "bad_debt"
    /// A mark moved more than the market's `max_mark_move`: held until a second mark confirms it.
    case markHeld = "mark_held"
    /// A second mark within `confirm_ms` confirmed a held mark's move: the market moved to it.
    case markConfirmed = "mark_confirmed"
    /// A held mark was not confirmed (a lone spike): it was never applied and liquidated no one.
    case markSpikeDiscarded = "mark_spike_discarded"
    /// The market's mark is older than `max_mark_age_ms`: no margin call or forced close is
    /// decided for accounts holding it until a fresh mark arrives.
    case liquidationsPaused = "liquidations_paused"
    /// A fresh mark ended a pause; the market's holders are evaluated again.
    case liquidationsResumed = "liquidations_resumed"
}
