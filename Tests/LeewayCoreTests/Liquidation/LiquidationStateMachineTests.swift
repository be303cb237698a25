import LeewayCore
import Testing

@Suite("Liquidation state machine: every transition")
struct LiquidationStateMachineTests {
    struct Transition: Sendable, CustomTestStringConvertible {
        var name: String
        var phase: LiquidationPhase
        /// Equity against MM = 100.
        var equity: String
        var hasPositions = true
        var mode: LiquidationPolicy.Mode = .soft
        var nowMs: Int64 = 1_000
        var deadlineMs: Int64? = nil
        var nextStepMs: Int64? = nil
        var expected: LiquidationStateMachine.Action
        var testDescription: String { name }
    }

    // Default policy: warning below 125, call below 100, hard below 50, cure at 110.
    static let transitions: [Transition] = [
        Transition(name: "healthy stays healthy above the warning level", phase: .healthy, equity: "125", expected: .none),
        Transition(name: "healthy → warning below MM × 1.25", phase: .healthy, equity: "124.99999999", expected: .warn),
        Transition(name: "healthy below MM warns first (the call follows)", phase: .healthy, equity: "99", expected: .warn),
        Transition(name: "warning stays while between MM and MM × 1.25", phase: .warning, equity: "100", expected: .none),
        Transition(name: "warning → healthy at MM × 1.25", phase: .warning, equity: "125", expected: .clearWarning),
        Transition(name: "warning → margin call below MM", phase: .warning, equity: "99.99999999", expected: .callMargin),
        Transition(name: "margin call stays below the cure level before the deadline", phase: .marginCall, equity: "109.99", deadlineMs: 2_000, expected: .none),
        Transition(name: "margin call → cured at MM × 1.1", phase: .marginCall, equity: "110", deadlineMs: 2_000, expected: .cure),
        Transition(name: "margin call → deleveraging at the deadline below MM", phase: .marginCall, equity: "99", nowMs: 2_000, deadlineMs: 2_000, expected: .startDeleveraging),
        Transition(name: "margin call past the deadline but ≥ MM waits (no step above MM)", phase: .marginCall, equity: "105", nowMs: 3_000, deadlineMs: 2_000, expected: .none),
        Transition(name: "deleveraging steps when the cooldown is over", phase: .deleveraging, equity: "99", nowMs: 2_000, nextStepMs: 2_000, expected: .deleverageStep),
        Transition(name: "deleveraging waits during the cooldown", phase: .deleveraging, equity: "99", nowMs: 1_999, nextStepMs: 2_000, expected: .none),
        Transition(name: "deleveraging steps while between MM and the cure level", phase: .deleveraging, equity: "105", nowMs: 2_000, nextStepMs: 2_000, expected: .deleverageStep),
        Transition(name: "deleveraging → cured at MM × 1.1", phase: .deleveraging, equity: "110", nowMs: 2_000, nextStepMs: 3_000, expected: .cure),
        Transition(name: "any phase → full liquidation below MM × hard_fraction (healthy)", phase: .healthy, equity: "49.99", expected: .liquidateFully),
        Transition(name: "any phase → full liquidation below MM × hard_fraction (in grace)", phase: .marginCall, equity: "49.99", deadlineMs: 9_000, expected: .liquidateFully),
        Transition(name: "any phase → full liquidation below MM × hard_fraction (cooldown)", phase: .deleveraging, equity: "10", nextStepMs: 9_000, expected: .liquidateFully),
        Transition(name: "exactly at MM × hard_fraction is not a hard breach", phase: .marginCall, equity: "50", deadlineMs: 9_000, expected: .none),
        Transition(name: "hard mode: below MM closes everything", phase: .warning, equity: "99.99", mode: .hard, expected: .liquidateFully),
        Transition(name: "hard mode: between MM and the warning level only warns", phase: .healthy, equity: "110", mode: .hard, expected: .warn),
        Transition(name: "hard mode never calls a margin", phase: .warning, equity: "100", mode: .hard, expected: .none),
        Transition(name: "deleveraging with nothing left settles", phase: .deleveraging, equity: "5", hasPositions: false, expected: .settle),
        Transition(name: "margin call with no positions left and equity ≥ 0 is cured", phase: .marginCall, equity: "5", hasPositions: false, expected: .cure),
        Transition(name: "margin call with no positions and negative equity settles (bankrupt)", phase: .marginCall, equity: "-5", hasPositions: false, expected: .settle),
        Transition(name: "warning with no positions clears", phase: .warning, equity: "5", hasPositions: false, expected: .clearWarning),
        Transition(name: "healthy with no positions and negative equity settles", phase: .healthy, equity: "-1", hasPositions: false, expected: .settle),
        Transition(name: "liquidated with no positions stays liquidated", phase: .liquidated, equity: "0", hasPositions: false, expected: .none),
        Transition(name: "bankrupt with no positions stays bankrupt", phase: .bankrupt, equity: "-3", hasPositions: false, expected: .none),
    ]

    @Test("decides the next action", arguments: transitions)
    func decide(_ transition: Transition) {
        var policy = LiquidationPolicy()
        policy.mode = transition.mode
        let maintenance = transition.hasPositions ? d("100") : .zero
        let risk = AccountRisk(equity: d(transition.equity), initialMargin: maintenance, maintenanceMargin: maintenance,
                               totalNotional: transition.hasPositions ? d("10000") : .zero, hasPositions: transition.hasPositions)
        let action = LiquidationStateMachine.decide(
            phase: transition.phase, risk: risk, policy: policy, nowMs: transition.nowMs,
            deadlineMs: transition.deadlineMs, nextStepMs: transition.nextStepMs)
        #expect(action == transition.expected)
    }
}
