import LeewayCore
import LeewaySimulation
import Testing

@Suite("Tuning: the space, the sampler, the score and successive halving")
struct TuningTests {
    @Test("a Latin hypercube puts exactly one point in each slice of every dimension, the same for a seed")
    func latinHypercube() {
        let points = LatinHypercube.sample(count: 20, dimensions: 3, seed: 9)
        #expect(points == LatinHypercube.sample(count: 20, dimensions: 3, seed: 9))
        #expect(points != LatinHypercube.sample(count: 20, dimensions: 3, seed: 10))
        for dimension in 0..<3 {
            #expect(Set(points.map { Int($0[dimension] * 20) }) == Set(0..<20))
        }
    }

    @Test("a space file reads ranges and choices, and maps the unit cube onto policy overrides")
    func spaceFile() throws {
        let space = try TuningSpace.parse(#"{"call_level": {"min": "1", "max": "2"}, "grace_ms": {"min": 0, "max": 1000}, "toxic_close": {"values": [true, false]}}"#)
        #expect(space.parameters.count == 3)
        let overrides = space.overrides(atUnit: [0.5, 0.25, 0.9])
        #expect(overrides.map(\.key) == ["call_level", "grace_ms", "toxic_close"])
        #expect(overrides.map(\.value) == ["1.5", "250", "false"])
        #expect((try? PolicySpec.parse("guarded:" + overrides.map { "\($0.key)=\($0.value)" }.joined(separator: ","))) != nil)
    }

    @Test("bad space files are refused with a reason", arguments: [
        "[]", "{}", #"{"call_level": 3}"#, #"{"call_level": {"min": "2", "max": "1"}}"#, #"{"colour": {"min": "1", "max": "2"}}"#,
        #"{"call_level": {"min": "0.5", "max": "1"}}"#, #"{"toxic_close": {"values": []}}"#, "not json",
    ])
    func badSpace(_ text: String) {
        #expect(throws: SimulationError.self) { try TuningSpace.parse(text) }
    }

    @Test("the standard space's corners are valid policies")
    func standardSpaceCorners() throws {
        for unit in [0.0, 0.999] {
            let overrides = TuningSpace.standard.overrides(atUnit: Array(repeating: unit, count: TuningSpace.standard.parameters.count))
            _ = try PolicySpec.parse("guarded:" + overrides.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        }
    }

    @Test("the score: solvency worse than the baseline anywhere ranks after every solvent candidate")
    func score() {
        func metrics(liquidated: Int, deficit: Int64, adl: Int64 = 0) -> RunMetrics {
            var run = RunMetrics()
            run.accountsLiquidated = liquidated
            run.deficitTotal = Fixed(raw: deficit * Fixed.scale)
            run.adlNotional = Fixed(raw: adl * Fixed.scale)
            return run
        }
        let baseline = [metrics(liquidated: 100, deficit: 5_000), metrics(liquidated: 50, deficit: 0)]
        let solvent = TuningScore(candidate: [metrics(liquidated: 90, deficit: 5_000), metrics(liquidated: 50, deficit: 0)], baseline: baseline, stress: [false, false])
        let cheaperButLeaky = TuningScore(candidate: [metrics(liquidated: 10, deficit: 5_001), metrics(liquidated: 5, deficit: 0)], baseline: baseline, stress: [false, false])
        let moreADL = TuningScore(candidate: [metrics(liquidated: 10, deficit: 0, adl: 1), metrics(liquidated: 5, deficit: 0)], baseline: baseline, stress: [false, false])
        #expect(solvent.feasible)
        #expect(abs(solvent.objective - 0.95) < 1e-9)  // (0.9 + 1.0) / 2, no costs
        #expect(!cheaperButLeaky.feasible && !moreADL.feasible)
        #expect(solvent.rank < cheaperButLeaky.rank && solvent.rank < moreADL.rank)
    }

    @Test("successive halving keeps fewer candidates each rung, ends with full-fidelity finalists and recommends a solvent one")
    func successiveHalving() async throws {
        let path = try SimulationFixtures.path("btcusdt-1m-2024-08-05.json.gz")
        let full = SimulationFixtures.scenario(path: path, accounts: 120, feedback: false)
        let window = SimulationFixtures.scenario(path: TuningInput.crashWindow(of: path, minutes: 360), accounts: 120, feedback: false)
        let tuner = Tuner(inputs: [TuningInput(name: "btc", full: full, window: window)], space: .standard, candidateCount: 9, seed: 2,
                          baseline: SimulationFixtures.policy("hard"))
        let result = await tuner.run(threads: 2)
        #expect(result.finalists.count == 1)  // 9 → 3 → 1
        #expect(result.evaluations.values.filter { $0.rung == 0 }.count == 6)
        #expect(result.evaluations.values.filter { $0.rung == 1 }.count == 2)
        if let recommended = result.recommended {
            #expect(result.evaluations[recommended]?.score.feasible == true)
            #expect(result.frontier.contains(recommended))
        }
        let again = await tuner.run(threads: 1)
        #expect(again.finalists == result.finalists)
        #expect(again.evaluations[result.finalists[0]]?.metrics == result.evaluations[result.finalists[0]]?.metrics)
    }

    @Test("a run under a solvency limit stops once its deficit exceeds it, is infeasible, and the same limit never stops the run that set it")
    func solvencyLimitStopsARun() throws {
        let path = try SimulationFixtures.path("btcusdt-1m-2024-08-05.json.gz")
        let scenario = SimulationFixtures.scenario(path: path, accounts: 300, feedback: true)
        let hard = BacktestRun.run(scenario, policy: SimulationFixtures.policy("hard")).metrics
        #expect(hard.deficitTotal > .zero, "the fixture needs a run with bankruptcies")
        // Its own limit: equal is feasible, so the run goes to the end with the same metrics.
        let again = BacktestRun.run(scenario, policy: SimulationFixtures.policy("hard"), limit: SolvencyLimit(baseline: hard)).metrics
        #expect(!again.stoppedEarly)
        #expect(again == hard)
        // A limit of half its deficit: stopped, over the limit, and below the whole run's deficit or equal.
        let half = SolvencyLimit(deficitTotal: Fixed(raw: hard.deficitTotal.raw / 2), adlNotional: hard.adlNotional)
        let stopped = BacktestRun.run(scenario, policy: SimulationFixtures.policy("hard"), limit: half).metrics
        #expect(stopped.stoppedEarly)
        #expect(half.isExceeded(by: stopped))
        #expect(stopped.deficitTotal <= hard.deficitTotal)
        #expect(!TuningScore(candidate: [stopped], baseline: [RunMetrics()], stress: [false]).feasible)
    }

    @Test("the crash window holds the path's steepest hour")
    func crashWindow() {
        let minutes = 6_000
        func price(atMinute minute: Int) -> Double {
            if minute < 4_000 { return 100 }
            if minute < 4_060 { return 100 - Double(minute - 4_000) / 3 }
            return 80
        }
        let prices: [Double] = (0...minutes).map(price(atMinute:))
        let path = PricePath(timesMs: (0...minutes).map { Int64($0) * 60_000 }, prices: prices, minuteVolumes: Array(repeating: 1, count: minutes + 1))
        let window = TuningInput.crashWindow(of: path, minutes: 600)
        #expect(window.count == 600)
        #expect(window.timesMs.first! <= 4_000 * 60_000 && window.timesMs.last! >= 4_060 * 60_000)
    }
}
