import LeewayCore
import LeewayWire
import Testing

/// Runs JSON Lines through the real wire decoder and engine, as `leeway replay` does.
struct Harness {
    var engine: Engine
    private(set) var events: [Event] = []
    private var lineNumber = 0

    init(markEvaluation: Engine.MarkEvaluation = .triggerBands) {
        engine = Engine(markEvaluation: markEvaluation)
    }

    /// Applies each line of `text` and returns the events those lines produced.
    @discardableResult
    mutating func run(_ text: String) -> [Event] {
        var produced: [Event] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            produced += CommandStream.apply(line: line, lineNumber: lineNumber, to: &engine)
        }
        events += produced
        return produced
    }

    /// The standard setup: USDC, one BTC perpetual (IMR 2 %, MMR 1 %, liquidation fee 0.5 %), a policy line.
    static func standard(policy: String = #"{"type":"policy","mode":"soft","grace_ms":600000}"#,
                         markEvaluation: Engine.MarkEvaluation = .triggerBands) -> Harness {
        var harness = Harness(markEvaluation: markEvaluation)
        harness.run("""
        {"type":"asset","asset":"USDC","price":"1","weight":"1"}
        {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"}
        \(policy)
        """)
        return harness
    }

    func report(_ account: String) -> MarginReport? { engine.marginReport(account: account) }

    /// The digest with the last event's sequence number given back: after a rejection, equal to the
    /// digest before the rejected command exactly when nothing else changed.
    var digestBeforeLastEvent: StateDigest {
        var state = engine.state
        state.nextSeq -= 1
        return StateDigest(of: state)
    }
}

/// A line that must be rejected with `code`.
struct BadLine: Sendable, CustomTestStringConvertible {
    var line: String
    var code: String
    var testDescription: String { "\(code): \(line)" }
}

extension Harness {
    /// Runs `bad.line` and expects exactly one `rejected` event with its code and a sentence, and
    /// no state change but the event sequence.
    mutating func expectRejectedWithoutChange(_ bad: BadLine, sourceLocation: SourceLocation = #_sourceLocation) {
        let before = engine.digest
        let events = run(bad.line)
        guard case let .rejected(_, code, message)? = events.first?.kind, events.count == 1 else {
            Issue.record("expected one rejection, got \(events.types)", sourceLocation: sourceLocation)
            return
        }
        #expect(code.rawValue == bad.code, sourceLocation: sourceLocation)
        #expect(message.count > 20, sourceLocation: sourceLocation)
        #expect(digestBeforeLastEvent == before, sourceLocation: sourceLocation)
    }
}

extension Event {
    var type: String { kind.typeName }
}

extension [Event] {
    var types: [String] { map(\.type) }
}

/// Shorthand for exact decimals in tests (the literals are known-good).
func d(_ text: String) -> Fixed {
    (try? Fixed(parsing: text)) ?? Fixed(raw: Int64.min + 1)
}

/// The property tests' seeded generator.
typealias SeededGenerator = SplitMix64
