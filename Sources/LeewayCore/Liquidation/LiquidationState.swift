/// An account's place in the soft-liquidation lifecycle, with the data each place needs.
///
/// One value replaces the former trio `phase` / `deadlineMs` / `nextStepMs`, so an illegal
/// combination (a deadline without a margin call, a step time while healthy) cannot be
/// represented. It changes only through `LiquidationStateMachine.transition(from:on:)`, and the
/// engine writes it only in `Engine.commit(_:)`.
public enum LiquidationState: Sendable, Hashable, Codable {
    case healthy
    /// Equity below the warning line; nothing is restricted.
    case warning
    /// Equity below the call line; risk-increasing fills and withdrawals are refused until
    /// `deadlineMs`, when deleveraging starts if the account is still not cured.
    case marginCall(deadlineMs: Int64)
    /// Deleveraging in steps: the next step is due at `nextStepMs` while equity ≥ MM, and at
    /// `urgentStepMs` (≤ nextStepMs: the faster pace of `liquidation_cooldown_ms`) while equity < MM
    /// under a policy with `liquidation_step_fraction`; without one the two are equal.
    case deleveraging(nextStepMs: Int64, urgentStepMs: Int64)
    /// Every position was force-closed and equity was not negative.
    case liquidated
    /// Every position was force-closed with negative equity; the deficit was settled.
    case bankrupt

    /// The phase name the wire and the reports use.
    public var phase: LiquidationPhase {
        switch self {
        case .healthy: return .healthy
        case .warning: return .warning
        case .marginCall: return .marginCall
        case .deleveraging: return .deleveraging
        case .liquidated: return .liquidated
        case .bankrupt: return .bankrupt
        }
    }

    /// The earliest time at which this state wants to be looked at again (a deadline or a step), if any.
    public var dueMs: Int64? {
        switch self {
        case .marginCall(let deadline): return deadline
        case let .deleveraging(next, urgent): return Swift.min(next, urgent)
        case .healthy, .warning, .liquidated, .bankrupt: return nil
        }
    }

    /// Every time at which this state wants a look (a deleveraging state has two paces).
    public var dueTimesMs: [Int64] {
        switch self {
        case .marginCall(let deadline): return [deadline]
        case let .deleveraging(next, urgent): return next == urgent ? [next] : [urgent, next]
        case .healthy, .warning, .liquidated, .bankrupt: return []
        }
    }

    /// The margin-call deadline, while in a call.
    public var deadlineMs: Int64? {
        if case .marginCall(let deadline) = self { return deadline }
        return nil
    }

    /// When the next deleveraging step is due, while deleveraging.
    public var nextStepMs: Int64? {
        if case .deleveraging(let next, _) = self { return next }
        return nil
    }
}
