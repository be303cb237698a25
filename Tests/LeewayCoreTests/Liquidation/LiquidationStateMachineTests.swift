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
        var urgentStepMs: Int64? = nil
        var policy = LiquidationPolicy()
        var conditions = LiquidationStateMachine.Conditions()
        var expected: LiquidationStateMachine.Action
        var testDescription: String { name }

        /// The lifecycle value for the phase and its timer.
        var state: LiquidationState {
            switch phase {
            case .healthy: return .healthy
            case .warning: return .warning
            case .marginCall: return .marginCall(deadlineMs: deadlineMs ?? .max)
            case .deleveraging: return .deleveraging(nextStepMs: nextStepMs ?? nowMs, urgentStepMs: urgentStepMs ?? nextStepMs ?? nowMs)
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

    /// A part-2 policy: call at 1.5 × MM (cure 1.6, warning 1.75), steps of 20 % every 60 s in the
    /// zone, 50 % every 5 s below MM, toxic close.
    static let zoned: LiquidationPolicy = {
        var policy = LiquidationPolicy()
        policy.callLevel = d("1.5")
        policy.liquidationStepFraction = d("0.5")
        policy.liquidationCooldownMs = 5_000
        policy.cooldownMs = 60_000
        policy.stepFraction = d("0.2")
        policy.toxicClose = true
        return policy
    }()

    // Part 2 (`zoned`, MM = 100): warning below 175, call below 150, cure at 160, MM 100, hard 50.
    static let part2Transitions: [Transition] = [
        Transition(name: "zone: warning below MM × (call_level + warning_buffer)", phase: .healthy, equity: "174.99", policy: zoned, expected: .warn),
        Transition(name: "zone: healthy at the warning line", phase: .healthy, equity: "175", policy: zoned, expected: .none),
        Transition(name: "zone: margin call below MM × call_level, above MM", phase: .warning, equity: "149.99", policy: zoned, expected: .callMargin),
        Transition(name: "zone: no call at the call line", phase: .warning, equity: "150", policy: zoned, expected: .none),
        Transition(name: "zone: cure needs MM × (call_level + cure_buffer)", phase: .marginCall, equity: "159.99", deadlineMs: 9_000, policy: zoned, expected: .none),
        Transition(name: "zone: cured at MM × (call_level + cure_buffer)", phase: .marginCall, equity: "160", deadlineMs: 9_000, policy: zoned, expected: .cure),
        Transition(name: "zone: the deadline passed above MM starts deleveraging", phase: .marginCall, equity: "120", nowMs: 9_000, deadlineMs: 9_000, policy: zoned, expected: .startDeleveraging),
        Transition(name: "below MM, liquidation steps end the grace at once", phase: .marginCall, equity: "99.99", deadlineMs: 600_000, policy: zoned, expected: .startDeleveraging),
        Transition(name: "below MM without liquidation steps the grace runs on", phase: .marginCall, equity: "99.99", deadlineMs: 600_000, expected: .none),
        Transition(name: "zone step waits for cooldown_ms above MM", phase: .deleveraging, equity: "120", nowMs: 5_000, nextStepMs: 60_000, urgentStepMs: 5_000, policy: zoned, expected: .none),
        Transition(name: "zone step due at cooldown_ms", phase: .deleveraging, equity: "120", nowMs: 60_000, nextStepMs: 60_000, urgentStepMs: 5_000, policy: zoned, expected: .deleverageStep),
        Transition(name: "below MM the faster liquidation_cooldown_ms paces the step", phase: .deleveraging, equity: "90", nowMs: 5_000, nextStepMs: 60_000, urgentStepMs: 5_000, policy: zoned, expected: .deleverageStep),
        Transition(name: "below MM a step still waits for liquidation_cooldown_ms", phase: .deleveraging, equity: "90", nowMs: 4_999, nextStepMs: 60_000, urgentStepMs: 5_000, policy: zoned, expected: .none),
        Transition(name: "toxic below MM closes in full", phase: .deleveraging, equity: "90", nextStepMs: 60_000, urgentStepMs: 60_000, policy: zoned,
                   conditions: .init(isToxic: true), expected: .liquidateFully),
        Transition(name: "toxic is ignored at or above MM", phase: .marginCall, equity: "100", deadlineMs: 9_000, policy: zoned,
                   conditions: .init(isToxic: true), expected: .none),
        Transition(name: "toxic is ignored without toxic_close", phase: .marginCall, equity: "90", deadlineMs: 9_000,
                   conditions: .init(isToxic: true), expected: .none),
        Transition(name: "auto top-up instead of a margin call", phase: .warning, equity: "140", policy: zoned,
                   conditions: .init(canTopUp: true), expected: .topUp),
        Transition(name: "auto top-up during a call", phase: .marginCall, equity: "140", deadlineMs: 9_000, policy: zoned,
                   conditions: .init(canTopUp: true), expected: .topUp),
        Transition(name: "auto top-up during deleveraging", phase: .deleveraging, equity: "140", nextStepMs: 9_000, policy: zoned,
                   conditions: .init(canTopUp: true), expected: .topUp),
        Transition(name: "a hard breach is not topped up", phase: .marginCall, equity: "49", deadlineMs: 9_000, policy: zoned,
                   conditions: .init(canTopUp: true), expected: .liquidateFully),
        Transition(name: "dynamic margin: m = 2 moves the call to 3 × MM", phase: .warning, equity: "299.99", policy: zoned,
                   conditions: .init(multiplier: d("2")), expected: .callMargin),
        Transition(name: "dynamic margin: m = 2 cures only at MM × (3 + 0.1)", phase: .marginCall, equity: "309.99", deadlineMs: 9_000, policy: zoned,
                   conditions: .init(multiplier: d("2")), expected: .none),
        Transition(name: "dynamic margin never moves MM: the hard line stays at hard_fraction", phase: .marginCall, equity: "50", deadlineMs: 9_000, policy: zoned,
                   conditions: .init(multiplier: d("3")), expected: .startDeleveraging),
    ]

    @Test("decides the next action", arguments: transitions)
    func decide(_ transition: Transition) {
        decideCase(transition)
    }

    @Test("part 2: the zone above MM, liquidation steps, toxic close, auto top-up, dynamic margin", arguments: part2Transitions)
    func decidePart2(_ transition: Transition) {
        decideCase(transition)
    }

    func decideCase(_ transition: Transition) {
        var policy = transition.policy
        policy.mode = transition.mode
        let maintenance = transition.hasPositions ? d("100") : .zero
        let risk = AccountRisk(equity: d(transition.equity), initialMargin: maintenance, maintenanceMargin: maintenance,
                               totalNotional: transition.hasPositions ? d("10000") : .zero, hasPositions: transition.hasPositions)
        let action = LiquidationStateMachine.decide(state: transition.state, risk: risk, policy: policy, nowMs: transition.nowMs,
                                                    conditions: transition.conditions)
        #expect(action == transition.expected)
    }

    static let states: [LiquidationState] = [
        .healthy, .warning, .marginCall(deadlineMs: 5_000), .deleveraging(nextStepMs: 7_000, urgentStepMs: 6_000), .liquidated, .bankrupt,
    ]
    static let outcomes: [LiquidationStateMachine.Outcome] = [
        .warned, .warningCleared, .called(deadlineMs: 9_000), .cured, .deleveragingStarted(firstStepMs: 9_000),
        .stepped(nextStepMs: 9_000, urgentStepMs: 8_000), .settled(bankrupt: false), .settled(bankrupt: true), .reopened, .toppedUp,
    ]

    /// The legal edges of the lifecycle; every other (state, outcome) pair must be refused.
    static func expectedTransition(_ state: LiquidationState, _ outcome: LiquidationStateMachine.Outcome) -> LiquidationState? {
        switch (state, outcome) {
        case (.healthy, .warned), (.liquidated, .warned), (.bankrupt, .warned): return .warning
        case (.warning, .warningCleared): return .healthy
        case (.warning, .called): return .marginCall(deadlineMs: 9_000)
        case (.marginCall, .cured), (.deleveraging, .cured): return .healthy
        case (.marginCall, .deleveragingStarted): return .deleveraging(nextStepMs: 9_000, urgentStepMs: 9_000)
        case (.deleveraging, .stepped): return .deleveraging(nextStepMs: 9_000, urgentStepMs: 8_000)
        case (.warning, .toppedUp), (.marginCall, .toppedUp), (.deleveraging, .toppedUp): return state
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
        #expect(legal == 26)
    }

    @Test("a state carries its own timer: only a call has a deadline, only deleveraging a next step")
    func timersBelongToTheirStates() {
        #expect(LiquidationState.marginCall(deadlineMs: 5).dueMs == 5)
        #expect(LiquidationState.marginCall(deadlineMs: 5).nextStepMs == nil)
        #expect(LiquidationState.deleveraging(nextStepMs: 6, urgentStepMs: 6).dueMs == 6)
        #expect(LiquidationState.deleveraging(nextStepMs: 6, urgentStepMs: 6).deadlineMs == nil)
        #expect(LiquidationState.deleveraging(nextStepMs: 60, urgentStepMs: 5).dueMs == 5)
        #expect(LiquidationState.deleveraging(nextStepMs: 60, urgentStepMs: 5).dueTimesMs == [5, 60])
        for state in [LiquidationState.healthy, .warning, .liquidated, .bankrupt] { #expect(state.dueMs == nil) }
    }
}
