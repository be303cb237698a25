import LeewayCore
import LeewaySimulation
import Testing

/// The pure half of distributed stress and tune: work units, their exact result texts, and merges
/// that must equal the single-process run (the PostgreSQL queue is tested in LeewayJournalTests,
/// the processes in LeewayCLITests).
@Suite("Distributed work units and merges")
struct DistributedWorkTests {
    @Test("a run's metrics read back from exact text are identical, bit for bit, and the text covers every stored field")
    func exactTextRoundTrip() throws {
        var metrics = RunMetrics()
        metrics.accountsOpened = 150
        metrics.accountsLiquidated = 7
        metrics.liquidationPauses = 3
        metrics.deficitTotal = Fixed(raw: 123_456_789_012)
        metrics.insuranceFundPnL = Fixed(raw: -42)
        metrics.peakLiquidationPerMinute = Fixed(raw: .max)
        metrics.liquidationSlippage = 0.1 + 0.2
        metrics.forcedCloseLoss = -0.0
        metrics.cascadeExtraDrawdown = .leastNonzeroMagnitude
        metrics.ledgerConserved = false
        metrics.stoppedEarly = true
        let back = try RunMetrics(exactText: metrics.exactText)
        #expect(back == metrics)
        #expect(back.forcedCloseLoss.sign == .minus)
        #expect(back.liquidationSlippage.bitPattern == (0.1 + 0.2).bitPattern)
        #expect(try RunMetrics(exactText: RunMetrics().exactText) == RunMetrics())
        // 28 stored properties, each in the text: a new metric must be added to it.
        #expect(Mirror(reflecting: RunMetrics()).children.count == 28)
        #expect(metrics.exactText.split(separator: " ").count == 29)
        for bad in ["", "v2 " + metrics.exactText.dropFirst(3), metrics.exactText + " 1", "v1 x"] {
            #expect(throws: SimulationError.self) { try RunMetrics(exactText: String(bad)) }
        }
    }

    @Test("stress paths run as units of contiguous ranges, through their result texts and merged in path order, give the single run's summaries")
    func stressMerge() async throws {
        let configuration = StressTests.configuration(paths: 7)
        let single = await StressRunner.run(configuration, threads: 1)
        for target in [7, 3, 1] {
            let units = StressWorkUnit.split(paths: 7, target: target)
            #expect(units.map(\.paths.count).reduce(0, +) == 7)
            #expect(units.first?.paths.lowerBound == 0 && units.last?.paths.upperBound == 7)
            var byPath: [[RunMetrics]] = []
            // Done in reverse, as workers may finish them: the merge goes by unit order.
            var results: [String] = Array(repeating: "", count: units.count)
            for (offset, unit) in units.enumerated().reversed() {
                let again = try StressWorkUnit(spec: unit.spec)
                #expect(again == unit)
                results[offset] = StressWorkUnit.resultText(again.run(configuration))
            }
            for (unit, text) in zip(units, results) { byPath += try unit.metrics(resultText: text, policies: 2) }
            let merged = StressRunner.summaries(configuration, byPath: byPath)
            #expect(merged.map(\.perPath) == single.map(\.perPath))
            #expect(merged.map(\.deficitES99) == single.map(\.deficitES99))
            #expect(merged.map(\.name) == single.map(\.name))
        }
        #expect(throws: SimulationError.self) { try StressWorkUnit(spec: "paths 3 3") }
        #expect(throws: SimulationError.self) { try StressWorkUnit(paths: 0..<2).metrics(resultText: RunMetrics().exactText, policies: 1) }
    }

    @Test("a tune search whose batches run as one unit per (policy, input), through spec and result texts, gives the threaded search's result")
    func tuneMerge() async throws {
        let path = try SimulationFixtures.path("btcusdt-1m-2024-08-05.json.gz", minutes: 720)
        let inputs = [true, false].map { feedback in
            TuningInput(name: "btc \(feedback)", full: SimulationFixtures.scenario(path: path, accounts: 80, feedback: feedback),
                        window: SimulationFixtures.scenario(path: TuningInput.crashWindow(of: path, minutes: 240), accounts: 80, feedback: feedback))
        }
        let tuner = Tuner(inputs: inputs, space: .standard, candidateCount: 6, seed: 5, baseline: SimulationFixtures.policy("hard"))
        let threaded = await tuner.run(threads: 2)
        let candidates = tuner.candidates()
        var batches: [TuningBatch] = []
        let distributed = try await tuner.run(candidates: candidates) { batch in
            batches.append(batch)
            let units = TuningWorkUnit.units(of: batch, inputs: inputs.count)
            var results: [RunMetrics] = []
            for unit in units {
                let again = try TuningWorkUnit(spec: unit.spec)
                #expect(again == unit)
                results.append(try RunMetrics(exactText: try again.run(tuner, candidates: candidates).exactText))
            }
            return TuningWorkUnit.metrics(results, of: batch, inputs: inputs.count)
        }
        #expect(batches.count == 2 * Tuner.rungs.count)
        #expect(batches.filter { $0.policies == [.baseline] }.allSatisfy { $0.limits == nil })
        #expect(distributed.finalists == threaded.finalists)
        #expect(distributed.recommended == threaded.recommended)
        #expect(distributed.frontier == threaded.frontier)
        #expect(distributed.baselineMetrics == threaded.baselineMetrics)
        #expect(distributed.evaluations.keys.sorted() == threaded.evaluations.keys.sorted())
        for (index, evaluation) in threaded.evaluations {
            #expect(distributed.evaluations[index]?.metrics == evaluation.metrics)
            #expect(distributed.evaluations[index]?.rung == evaluation.rung)
        }
        #expect(throws: SimulationError.self) { try TuningWorkUnit(spec: "rung 9 policy c1 input 0 limit none") }
        #expect(throws: SimulationError.self) { try TuningWorkUnit(rung: 0, policy: .candidate(99), input: 0, limit: nil).run(tuner, candidates: candidates) }
    }
}
