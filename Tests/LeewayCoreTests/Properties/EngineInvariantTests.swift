import Foundation
import LeewayCore
import LeewayWire
import Testing

@Suite("Engine invariants over random command streams")
struct EngineInvariantTests {
    static let seeds: [UInt64] = [1, 2, 3, 4, 5, 6, 7, 8, 42, 2024]

    /// Runs the random stream of `seed` line by line, checking `invariant` after each line.
    static func afterEveryCommand(seed: UInt64, _ invariant: (Harness, String) -> Void) {
        var harness = Harness()
        harness.run(RandomCommandStream.setup)
        for line in RandomCommandStream.lines(seed: seed, count: 600) {
            harness.run(line)
            invariant(harness, line)
        }
    }

    @Test("the ledger sums to exactly zero for every asset after every command", arguments: seeds)
    func ledgerConservation(seed: UInt64) {
        Self.afterEveryCommand(seed: seed) { harness, line in
            for asset in harness.engine.state.assets.indices {
                #expect(harness.engine.ledgerSum(asset: asset) == 0, "after \(line)")
            }
        }
    }

    @Test("after every command no account is left needing an action a full re-margin would take", arguments: seeds)
    func indexMissesNothing(seed: UInt64) {
        Self.afterEveryCommand(seed: seed) { harness, line in
            let summary = harness.engine.remarginAll()
            #expect(summary.accountsNeedingAction == 0, "after \(line)")
            #expect(summary.accountsOverflowing == 0)
            #expect(summary.accountsEvaluated == harness.engine.accountIDs.count)
        }
    }

    @Test("an account left with negative equity and no positions is bankrupt", arguments: seeds)
    func noSilentDeficit(seed: UInt64) {
        var harness = Harness()
        harness.run(RandomCommandStream.setup)
        harness.run(RandomCommandStream.lines(seed: seed, count: 600).joined(separator: "\n"))
        for id in harness.engine.accountIDs {
            guard let report = harness.report(id), report.positions.isEmpty, report.equity.isNegative else { continue }
            #expect(report.phase == .bankrupt, "\(id) has equity \(report.equity) in phase \(report.phase)")
        }
    }

    @Test("replaying the same commands gives the same events and the same digest", arguments: seeds)
    func replayDeterminism(seed: UInt64) {
        let text = RandomCommandStream.setup + "\n" + RandomCommandStream.lines(seed: seed, count: 600).joined(separator: "\n")
        var first = Harness(), second = Harness()
        first.run(text)
        second.run(text)
        #expect(first.events == second.events)
        #expect(first.engine.digest == second.engine.digest)
        #expect(first.events.map(\.seq) == Array(1...Int64(first.events.count)))
    }

    @Test("trigger bands re-evaluate exactly the accounts a full scan would act on", arguments: seeds)
    func triggerBandsMatchFullScan(seed: UInt64) {
        let text = RandomCommandStream.setup + "\n" + RandomCommandStream.lines(seed: seed, count: 600).joined(separator: "\n")
        var indexed = Harness(markEvaluation: .triggerBands)
        var scanned = Harness(markEvaluation: .everyHolder)
        indexed.run(text)
        scanned.run(text)
        #expect(indexed.events == scanned.events)
        #expect(indexed.engine.digest == scanned.engine.digest)
        // The stream must actually stress the engine for the comparison to mean anything.
        #expect(indexed.events.contains { $0.type == "liquidation_fill" })
        #expect(indexed.events.contains { $0.type == "warning" })
    }

    @Test("a snapshot restored mid-stream continues exactly like the uninterrupted engine", arguments: [UInt64(3), 42])
    func snapshotRestore(seed: UInt64) throws {
        let lines = RandomCommandStream.lines(seed: seed, count: 600)
        var uninterrupted = Harness()
        uninterrupted.run(RandomCommandStream.setup)
        uninterrupted.run(lines.joined(separator: "\n"))

        var first = Harness()
        first.run(RandomCommandStream.setup)
        first.run(lines[..<300].joined(separator: "\n"))
        let snapshot = try JSONEncoder().encode(first.engine.state)
        var restored = Engine(state: try JSONDecoder().decode(EngineState.self, from: snapshot))
        #expect(restored.digest == first.engine.digest)
        var events = first.events
        var lineNumber = RandomCommandStream.setup.split(separator: "\n").count + 300
        for line in lines[300...] {
            lineNumber += 1
            events += CommandStream.apply(line: Substring(line), lineNumber: lineNumber, to: &restored)
        }
        #expect(events == uninterrupted.events)
        #expect(restored.digest == uninterrupted.engine.digest)
    }
}
