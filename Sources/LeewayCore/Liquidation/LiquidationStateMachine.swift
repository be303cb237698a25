/// The soft-liquidation lifecycle as two pure functions, in the style of Hummingbird's and
/// postgres-nio's connection state machines: `decide` reads an account's state, risk, policy and
/// the clock and names the one action to take next; `transition` takes the outcome of carrying
/// that action out and gives the next `LiquidationState`, or nil for an outcome that is illegal in
/// the current state (which the engine reports as an `alert`, never skips). Neither does I/O or
/// keeps state, so every edge of the lifecycle is testable in isolation.
///
/// ```
///   healthy ──warned──▶ warning ──called(deadline)──▶ margin_call ──deadline passed──▶ deleveraging
///      ▲  ◀──warningCleared──┘                           │  cured   (or equity < MM with │ stepped(next) ⟲
///      │                                                 │           liquidation steps) │
///      └─────────────────────────── cured ───────────────┴──────────────────────────────┘
///   any state with no positions left ──settled──▶ liquidated | bankrupt ──reopened──▶ healthy
///   warning, margin_call, deleveraging ──toppedUp──▶ the same state (reserve moved in; decide again)
/// ```
///
/// The lines are multiples of MM from `LiquidationPolicy.lines(multiplier:)`: hard (hard_fraction),
/// 1 (MM itself), call (call_level·m), cure (call + cure_buffer), warning (call + warning_buffer).
public enum LiquidationStateMachine {
    public enum Action: Sendable, Hashable {
        case none
        /// healthy → warning: equity < MM × (1 + warning_buffer).
        case warn
        /// warning → healthy: equity ≥ MM × (1 + warning_buffer).
        case clearWarning
        /// → margin_call: equity < MM × call (soft mode).
        case callMargin
        /// Move reserve into collateral (auto top-up) to restore the cure line.
        case topUp
        /// margin_call or deleveraging → healthy: equity ≥ MM × cure.
        case cure
        /// margin_call → deleveraging: the deadline passed with equity < MM × call, or equity < MM
        /// under a policy with liquidation steps (the grace ends at once).
        case startDeleveraging
        /// One deleveraging step is due (cooldown elapsed, still not cured).
        case deleverageStep
        /// Close everything now: equity < MM × hard_fraction (soft), equity < MM (hard mode), or a
        /// toxic account below MM (toxic_close).
        case liquidateFully
        /// No positions remain after forced closes: settle as liquidated, or bankrupt if equity < 0.
        case settle

        /// True for the actions oracle safety holds back on a stale mark: a new margin call, the
        /// start of deleveraging, a step and a full close (warnings, cures, top-ups and the
        /// settlement of what is already closed go on).
        public var startsLiquidation: Bool {
            switch self {
            case .callMargin, .startDeleveraging, .deleverageStep, .liquidateFully: return true
            case .none, .warn, .clearWarning, .topUp, .cure, .settle: return false
            }
        }
    }

    /// What happened to an account, as the engine reports it to `transition`.
    public enum Outcome: Sendable, Hashable {
        case warned
        case warningCleared
        /// A margin call was made with this deadline (ms).
        case called(deadlineMs: Int64)
        case cured
        /// The deadline passed: deleveraging starts, its first step due at `firstStepMs`.
        case deleveragingStarted(firstStepMs: Int64)
        /// A deleveraging step was taken; the next one is due at `nextStepMs` (equity ≥ MM) or
        /// `urgentStepMs` (equity < MM with liquidation steps).
        case stepped(nextStepMs: Int64, urgentStepMs: Int64)
        /// Reserve was moved into collateral by auto top-up; the state is unchanged.
        case toppedUp
        /// Every position is closed; `bankrupt` when equity was negative.
        case settled(bankrupt: Bool)
        /// A new fill opened a position on a liquidated or bankrupt account.
        case reopened
    }

    /// What the engine knows about an account beyond its risk, for `decide`.
    public struct Conditions: Sendable, Hashable {
        /// The dynamic-margin multiplier m (1 without dynamic margin).
        public var multiplier: Fixed
        /// equity ≤ Σ notional × (liquidation_fee + expected_slippage): a partial close cannot
        /// raise the margin ratio (only computed when toxic_close is on and equity < MM).
        public var isToxic: Bool
        /// Auto top-up can still move reserve into collateral (instruction, budget and reserve left).
        public var canTopUp: Bool

        public init(multiplier: Fixed = .one, isToxic: Bool = false, canTopUp: Bool = false) {
            self.multiplier = multiplier
            self.isToxic = isToxic
            self.canTopUp = canTopUp
        }
    }

    /// Decides the next action. Thresholds are compared exactly (see `AccountRisk.gap`).
    public static func decide(state: LiquidationState, risk: AccountRisk, policy: LiquidationPolicy, nowMs: Int64,
                              conditions: Conditions = Conditions()) -> Action {
        let lines = policy.lines(multiplier: conditions.multiplier)
        guard risk.hasPositions else {
            switch state {
            case .deleveraging: return .settle
            case .marginCall: return risk.equity.isNegative ? .settle : .cure
            case .warning: return .clearWarning
            case .healthy: return risk.equity.isNegative ? .settle : .none
            case .liquidated, .bankrupt: return .none
            }
        }
        switch policy.mode {
        case .hard:
            if risk.isBelow(multiple: .one) { return .liquidateFully }
        case .soft:
            if risk.isBelow(multiple: lines.hard) { return .liquidateFully }
            if policy.toxicClose, conditions.isToxic, risk.isBelow(multiple: .one) { return .liquidateFully }
        }
        // Below MM with liquidation steps, the account is stepped at the faster pace, grace or not.
        let urgent = policy.liquidationStepFraction != nil && risk.isBelow(multiple: .one)
        switch state {
        case .healthy, .liquidated, .bankrupt:
            return risk.isBelow(multiple: lines.warning) ? .warn : .none
        case .warning:
            if policy.mode == .soft, risk.isBelow(multiple: lines.call) { return conditions.canTopUp ? .topUp : .callMargin }
            return risk.isBelow(multiple: lines.warning) ? .none : .clearWarning
        case .marginCall(let deadlineMs):
            if !risk.isBelow(multiple: lines.cure) { return .cure }
            if conditions.canTopUp { return .topUp }
            if urgent { return .startDeleveraging }
            if nowMs >= deadlineMs, risk.isBelow(multiple: lines.call) { return .startDeleveraging }
            return .none
        case let .deleveraging(nextStepMs, urgentStepMs):
            if !risk.isBelow(multiple: lines.cure) { return .cure }
            if conditions.canTopUp { return .topUp }
            if nowMs >= (urgent ? urgentStepMs : nextStepMs) { return .deleverageStep }
            return .none
        }
    }

    /// The state after `outcome`, or nil when the outcome cannot happen in `state` (a bug or a
    /// corrupted state: the engine raises an `alert` and leaves the state as it was).
    public static func transition(from state: LiquidationState, on outcome: Outcome) -> LiquidationState? {
        switch (state, outcome) {
        case (.healthy, .warned), (.liquidated, .warned), (.bankrupt, .warned):
            return .warning
        case (.warning, .warningCleared):
            return .healthy
        case (.warning, .called(let deadline)):
            return .marginCall(deadlineMs: deadline)
        case (.marginCall, .cured), (.deleveraging, .cured):
            return .healthy
        case (.marginCall, .deleveragingStarted(let first)):
            return .deleveraging(nextStepMs: first, urgentStepMs: first)
        case let (.deleveraging, .stepped(next, urgent)):
            return .deleveraging(nextStepMs: next, urgentStepMs: Swift.min(urgent, next))
        case (.warning, .toppedUp), (.marginCall, .toppedUp), (.deleveraging, .toppedUp):
            return state
        case (_, .settled(let bankrupt)):
            return bankrupt ? .bankrupt : .liquidated
        case (.liquidated, .reopened), (.bankrupt, .reopened):
            return .healthy
        default:
            return nil
        }
    }
}
