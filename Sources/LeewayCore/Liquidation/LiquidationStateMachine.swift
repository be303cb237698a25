/// The soft-liquidation lifecycle as two pure functions, in the style of Hummingbird's and
/// postgres-nio's connection state machines: `decide` reads an account's state, risk, policy and
/// the clock and names the one action to take next; `transition` takes the outcome of carrying
/// that action out and gives the next `LiquidationState`, or nil for an outcome that is illegal in
/// the current state (which the engine reports as an `alert`, never skips). Neither does I/O or
/// keeps state, so every edge of the lifecycle is testable in isolation.
///
/// ```
///   healthy ──warned──▶ warning ──called(deadline)──▶ margin_call ──deadline passed──▶ deleveraging
///      ▲  ◀──warningCleared──┘                           │  cured                       │ stepped(next) ⟲
///      └─────────────────────────── cured ───────────────┴──────────────────────────────┘
///   any state with no positions left ──settled──▶ liquidated | bankrupt ──reopened──▶ healthy
/// ```
public enum LiquidationStateMachine {
    public enum Action: Sendable, Hashable {
        case none
        /// healthy → warning: equity < MM × (1 + warning_buffer).
        case warn
        /// warning → healthy: equity ≥ MM × (1 + warning_buffer).
        case clearWarning
        /// → margin_call: equity < MM (soft mode).
        case callMargin
        /// margin_call or deleveraging → healthy: equity ≥ MM × (1 + cure_buffer).
        case cure
        /// margin_call → deleveraging: the deadline passed with equity < MM.
        case startDeleveraging
        /// One deleveraging step is due (cooldown elapsed, still not cured).
        case deleverageStep
        /// Close everything now: equity < MM × hard_fraction (soft), or equity < MM (hard mode).
        case liquidateFully
        /// No positions remain after forced closes: settle as liquidated, or bankrupt if equity < 0.
        case settle
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
        /// A deleveraging step was taken; the next one is due at `nextStepMs`.
        case stepped(nextStepMs: Int64)
        /// Every position is closed; `bankrupt` when equity was negative.
        case settled(bankrupt: Bool)
        /// A new fill opened a position on a liquidated or bankrupt account.
        case reopened
    }

    /// Decides the next action. Thresholds are compared exactly (see `AccountRisk.gap`).
    public static func decide(state: LiquidationState, risk: AccountRisk, policy: LiquidationPolicy, nowMs: Int64) -> Action {
        let cureLevel = Fixed(raw: Fixed.scale + policy.cureBuffer.raw)
        let warningLevel = Fixed(raw: Fixed.scale + policy.warningBuffer.raw)
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
            if risk.isBelow(multiple: policy.hardFraction) { return .liquidateFully }
        }
        switch state {
        case .healthy, .liquidated, .bankrupt:
            return risk.isBelow(multiple: warningLevel) ? .warn : .none
        case .warning:
            if policy.mode == .soft, risk.isBelow(multiple: .one) { return .callMargin }
            return risk.isBelow(multiple: warningLevel) ? .none : .clearWarning
        case .marginCall(let deadlineMs):
            if !risk.isBelow(multiple: cureLevel) { return .cure }
            if nowMs >= deadlineMs, risk.isBelow(multiple: .one) { return .startDeleveraging }
            return .none
        case .deleveraging(let nextStepMs):
            if !risk.isBelow(multiple: cureLevel) { return .cure }
            if nowMs >= nextStepMs { return .deleverageStep }
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
            return .deleveraging(nextStepMs: first)
        case (.deleveraging, .stepped(let next)):
            return .deleveraging(nextStepMs: next)
        case (_, .settled(let bankrupt)):
            return bankrupt ? .bankrupt : .liquidated
        case (.liquidated, .reopened), (.bankrupt, .reopened):
            return .healthy
        default:
            return nil
        }
    }
}
