/// The soft-liquidation state machine as a pure decision: given an account's phase, its risk, the
/// policy and the clock, it returns the one action to take next. The engine performs the action,
/// recomputes the risk and asks again until the answer is `.none`. It does no I/O and keeps no
/// state of its own, so every transition is testable in isolation.
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

    /// Decides the next action. Thresholds are compared exactly (see `AccountRisk.gap`).
    public static func decide(
        phase: LiquidationPhase,
        risk: AccountRisk,
        policy: LiquidationPolicy,
        nowMs: Int64,
        deadlineMs: Int64?,
        nextStepMs: Int64?
    ) -> Action {
        let cureLevel = Fixed(raw: Fixed.scale + policy.cureBuffer.raw)
        let warningLevel = Fixed(raw: Fixed.scale + policy.warningBuffer.raw)
        guard risk.hasPositions else {
            switch phase {
            case .deleveraging: return .settle
            case .marginCall: return risk.equity.isNegative ? .settle : .cure
            case .warning: return .clearWarning
            case .healthy, .liquidated, .bankrupt:
                return risk.equity.isNegative && phase == .healthy ? .settle : .none
            }
        }
        switch policy.mode {
        case .hard:
            if risk.isBelow(multiple: .one) { return .liquidateFully }
        case .soft:
            if risk.isBelow(multiple: policy.hardFraction) { return .liquidateFully }
        }
        switch phase {
        case .healthy, .liquidated, .bankrupt:
            return risk.isBelow(multiple: warningLevel) ? .warn : .none
        case .warning:
            if policy.mode == .soft, risk.isBelow(multiple: .one) { return .callMargin }
            return risk.isBelow(multiple: warningLevel) ? .none : .clearWarning
        case .marginCall:
            if !risk.isBelow(multiple: cureLevel) { return .cure }
            if let deadlineMs, nowMs >= deadlineMs, risk.isBelow(multiple: .one) { return .startDeleveraging }
            return .none
        case .deleveraging:
            if !risk.isBelow(multiple: cureLevel) { return .cure }
            if nowMs >= (nextStepMs ?? nowMs) { return .deleverageStep }
            return .none
        }
    }
}
