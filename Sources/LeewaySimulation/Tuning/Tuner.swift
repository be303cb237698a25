import LeewayCore

/// `leeway tune`'s search: successive halving over Latin-hypercube candidates, the way Gauntlet
/// and Chaos Labs recommend parameters, but reproducible on a laptop.
///
/// Rung 0 runs every candidate on the crash window of every input with a quarter of the accounts
/// and keeps the best quarter; rung 1 runs those on the whole paths with half the accounts and
/// keeps the best third; rung 2 runs those at full fidelity. At each rung the baseline runs on the
/// same scenarios and every candidate is scored against it (`TuningScore`). Work is split over
/// threads by (candidate, input) and put back in order before anything is ranked, so the result
/// is identical for a seed whatever the thread count.
///
/// The baseline runs first at each rung; a candidate's run on an input then stops at the first step
/// its deficit or ADL exceeds the baseline's there (`SolvencyLimit`): it is infeasible whatever
/// follows. Such a candidate still ranks after every feasible one, by its violation so far (a lower
/// bound of the whole run's), so on month-long files the search stops paying for candidates that
/// broke solvency at the crash.
public struct Tuner: Sendable {
    /// One rung of successive halving: its fidelity and the share of candidates it keeps.
    public struct Rung: Sendable {
        public var accountsFraction: Double
        public var usesWindow: Bool
        public var keepFraction: Double
    }

    public static let rungs = [
        Rung(accountsFraction: 0.25, usesWindow: true, keepFraction: 0.25),
        Rung(accountsFraction: 0.5, usesWindow: false, keepFraction: 1.0 / 3),
        Rung(accountsFraction: 1, usesWindow: false, keepFraction: 1),
    ]

    public var inputs: [TuningInput]
    public var space: TuningSpace
    public var candidateCount: Int
    public var seed: UInt64
    public var baseline: PolicySpec
    /// The preset the candidates' overrides apply to (`guarded`: the fields the space leaves out
    /// keep the guarded preset's values).
    public var base: String

    public init(inputs: [TuningInput], space: TuningSpace, candidateCount: Int, seed: UInt64, baseline: PolicySpec, base: String = "guarded") {
        self.inputs = inputs
        self.space = space
        self.candidateCount = candidateCount
        self.seed = seed
        self.baseline = baseline
        self.base = base
    }

    /// The candidates: Latin-hypercube points of the space as policies named c0, c1, …; a point
    /// whose overrides contradict each other is kept with its error (it scores as invalid).
    public func candidates() -> [TuningCandidate] {
        LatinHypercube.sample(count: candidateCount, dimensions: space.parameters.count, seed: seed).enumerated().map { index, point in
            let overrides = space.overrides(atUnit: point)
            let text = base + ":" + overrides.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            do throws(SimulationError) {
                var spec = try PolicySpec.parse(text)
                spec.name = "c\(index)"
                return TuningCandidate(index: index, overrides: overrides, spec: spec, error: nil)
            } catch {
                return TuningCandidate(index: index, overrides: overrides, spec: nil, error: error.message)
            }
        }
    }

    /// Runs the search on `threads` threads of this process; `progress` is told of each finished
    /// (policy, input) run and the total.
    public func run(threads: Int, progress: (@Sendable (Int, Int) -> Void)? = nil) async -> TuningResult {
        let all = candidates()
        let counter = RunCounter(total: Self.plannedRuns(candidates: all.count { $0.spec != nil }, inputs: inputs.count), progress: progress)
        return await run(candidates: all) { batch in
            await Self.evaluate(policies: batch.policies.map { policySpec($0, candidates: all) }, scenarios: scenarios(rung: batch.rung),
                                limits: batch.limits, threads: threads, counter: counter)
        }
    }

    /// Runs the search with `evaluate` answering each rung's two batches (the baseline, then the
    /// surviving candidates with the baseline's limits), in order: a later batch depends on the
    /// earlier results. `evaluate` may run the batch anywhere (`leeway tune --postgres` hands its
    /// units to worker processes); metrics it returns equal to the local ones give the same result.
    public func run(candidates all: [TuningCandidate],
                    evaluate: (TuningBatch) async throws -> [[RunMetrics]]) async rethrows -> TuningResult {
        var alive = all.filter { $0.spec != nil }.map(\.index)
        var evaluations: [Int: TuningEvaluation] = [:]
        var baselineMetrics: [RunMetrics] = []
        for (rungIndex, rung) in Self.rungs.enumerated() {
            baselineMetrics = try await evaluate(TuningBatch(rung: rungIndex, policies: [.baseline], limits: nil))[0]
            let limits = baselineMetrics.map(SolvencyLimit.init(baseline:))
            let metrics = try await evaluate(TuningBatch(rung: rungIndex, policies: alive.map { .candidate($0) }, limits: limits))
            for (offset, candidate) in alive.enumerated() {
                evaluations[candidate] = TuningEvaluation(
                    rung: rungIndex, metrics: metrics[offset],
                    score: TuningScore(candidate: metrics[offset], baseline: baselineMetrics, stress: inputs.map(\.isStress)))
            }
            let ranked = alive.sorted { (evaluations[$0]!.score.rank, $0) < (evaluations[$1]!.score.rank, $1) }
            let keep = Swift.max(1, Int((Double(ranked.count) * rung.keepFraction).rounded(.up)))
            alive = Array(ranked.prefix(keep)).sorted()
        }
        return TuningResult(inputs: inputs.map(\.name), candidates: all, evaluations: evaluations, finalists: alive,
                            baseline: baseline, baselineMetrics: baselineMetrics)
    }

    /// Each input's scenario at rung `rung`: its crash window or whole path, with the rung's share
    /// of the accounts (at least 50, or all of them).
    public func scenarios(rung: Int) -> [BacktestScenario] {
        let fidelity = Self.rungs[rung]
        return inputs.map { input -> BacktestScenario in
            var scenario = fidelity.usesWindow ? input.window : input.full
            let accounts = Swift.max(Int((Double(scenario.accounts.count) * fidelity.accountsFraction).rounded(.up)), Swift.min(50, scenario.accounts.count))
            scenario.accounts = Array(scenario.accounts.prefix(accounts))
            return scenario
        }
    }

    /// The policy a batch names (a candidate named must be a valid one of `candidates`).
    public func policySpec(_ policy: TuningBatch.Policy, candidates: [TuningCandidate]) -> PolicySpec {
        switch policy {
        case .baseline: return baseline
        case .candidate(let index): return candidates[index].spec!
        }
    }

    /// (baseline + candidates surviving each rung) × inputs, for the progress bar.
    public static func plannedRuns(candidates: Int, inputs: Int) -> Int {
        var alive = candidates, runs = 0
        for rung in rungs {
            runs += (alive + 1) * inputs
            alive = Swift.max(1, Int((Double(alive) * rung.keepFraction).rounded(.up)))
        }
        return runs
    }

    /// Every policy on every scenario, `threads` at a time; metrics[policy][scenario]. Workers take
    /// the next unit from a shared counter (runs differ in cost by orders of magnitude, so a fixed
    /// split leaves one core idle); each result goes to its own slot, so the order of completion
    /// never shows.
    /// `limits[scenario]`, when given, stops each run there (`SolvencyLimit`).
    static func evaluate(policies: [PolicySpec], scenarios: [BacktestScenario], limits: [SolvencyLimit]?, threads: Int,
                         counter: RunCounter) async -> [[RunMetrics]] {
        let units = policies.count * scenarios.count
        let workers = Swift.max(1, Swift.min(threads, units))
        var results = Array(repeating: Array(repeating: RunMetrics(), count: scenarios.count), count: policies.count)
        let queue = RunCounter(total: units, progress: nil)
        await withTaskGroup(of: [(Int, RunMetrics)].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var done: [(Int, RunMetrics)] = []
                    while let unit = queue.take() {
                        let scenario = unit % scenarios.count
                        let result = BacktestRun.run(scenarios[scenario], policy: policies[unit / scenarios.count], limit: limits?[scenario])
                        done.append((unit, result.metrics))
                        counter.advance()
                    }
                    return done
                }
            }
            for await batch in group {
                for (unit, metrics) in batch { results[unit / scenarios.count][unit % scenarios.count] = metrics }
            }
        }
        return results
    }
}

/// A candidate policy: its overrides and the policy they make (nil, with the error, if invalid).
public struct TuningCandidate: Sendable {
    public var index: Int
    public var overrides: [(key: String, value: String)]
    public var spec: PolicySpec?
    public var error: String?
}

/// A candidate's metrics per input at the last rung it reached, and its score there.
public struct TuningEvaluation: Sendable {
    public var rung: Int
    public var metrics: [RunMetrics]
    public var score: TuningScore
}
