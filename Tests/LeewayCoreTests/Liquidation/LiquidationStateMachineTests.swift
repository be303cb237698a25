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

        /// The lifecycle value for the phase and its timer.
        var state: LiquidationState {
            switch phase {
            case .healthy: return .healthy
            case .warning: return .warning
            case .marginCall: return .marginCall(deadlineMs: deadlineMs ?? .max)
            case .deleveraging: return .deleveraging(nextStepMs: nextStepMs ?? nowMs)
            case .liquidated: return .liquidated
            case .bankrupt: return .bankrupt
            }
        }
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
        let action = LiquidationStateMachine.decide(state: transition.state, risk: risk, policy: policy, nowMs: transition.nowMs)
        #expect(action == transition.expected)
    }

    static let states: [LiquidationState] = [
        .healthy, .warning, .marginCall(deadlineMs: 5_000), .deleveraging(nextStepMs: 7_000), .liquidated, .bankrupt,
    ]
    static let outcomes: [LiquidationStateMachine.Outcome] = [
        .warned, .warningCleared, .called(deadlineMs: 9_000), .cured, .deleveragingStarted(firstStepMs: 9_000),
        .stepped(nextStepMs: 9_000), .settled(bankrupt: false), .settled(bankrupt: true), .reopened,
    ]

    /// The legal edges of the lifecycle; every other (state, outcome) pair must be refused.
    static func expectedTransition(_ state: LiquidationState, _ outcome: LiquidationStateMachine.Outcome) -> LiquidationState? {
        switch (state, outcome) {
        case (.healthy, .warned), (.liquidated, .warned), (.bankrupt, .warned): return .warning
        case (.warning, .warningCleared): return .healthy
        case (.warning, .called): return .marginCall(deadlineMs: 9_000)
        case (.marginCall, .cured), (.deleveraging, .cured): return .healthy
        case (.marginCall, .deleveragingStarted): return .deleveraging(nextStepMs: 9_000)
        case (.deleveraging, .stepped): return .deleveraging(nextStepMs: 9_000)
        case (_, .settled(bankrupt: false)): return .liquidated
        case (_, .settled(bankrupt: true)): return .bankrupt
        case (.liquidated, .reopened), (.bankrupt, .reopened): return .healthy
        default: return nil
        }
    }

    @Test("the transition table: each legal edge gives its state with its timer, every other pair is refused")
    func transitionTable() {
        var legal = 0
        for state in Self.states {
            for outcome in Self.outcomes {
                let next = LiquidationStateMachine.transition(from: state, on: outcome)
                #expect(next == Self.expectedTransition(state, outcome), "\(state) on \(outcome)")
                if next != nil { legal += 1 }
            }
        }
        #expect(legal == 23)
    }

    @Test("a state carries its own timer: only a call has a deadline, only deleveraging a next step")
    func timersBelongToTheirStates() {
        #expect(LiquidationState.marginCall(deadlineMs: 5).dueMs == 5)
        #expect(LiquidationState.marginCall(deadlineMs: 5).nextStepMs == nil)
        #expect(LiquidationState.deleveraging(nextStepMs: 6).dueMs == 6)
        #expect(LiquidationState.deleveraging(nextStepMs: 6).deadlineMs == nil)
        for state in [LiquidationState.healthy, .warning, .liquidated, .bankrupt] { #expect(state.dueMs == nil) }
    }
}
