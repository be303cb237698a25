import LeewayCore

/// A part of a `leeway tune` search that another process can run (`leeway worker`): one policy of a
/// `TuningBatch` on one input, with the batch's solvency limit for that input. A worker that
/// rebuilt the same `Tuner` (same inputs, space, seed and candidates) runs exactly the run the
/// single process would; its result is the run's metrics in exact text (`RunMetrics.exactText`).
public struct TuningWorkUnit: Sendable, Equatable {
    public var rung: Int
    public var policy: TuningBatch.Policy
    public var input: Int
    public var limit: SolvencyLimit?

    public init(rung: Int, policy: TuningBatch.Policy, input: Int, limit: SolvencyLimit?) {
        self.rung = rung
        self.policy = policy
        self.input = input
        self.limit = limit
    }

    /// The batch's runs, policy by policy and input by input within each (the order
    /// `metrics(_:of:inputs:)` reads them back in).
    public static func units(of batch: TuningBatch, inputs: Int) -> [TuningWorkUnit] {
        batch.policies.flatMap { policy in
            (0..<inputs).map { TuningWorkUnit(rung: batch.rung, policy: policy, input: $0, limit: batch.limits?[$0]) }
        }
    }

    /// The batch's answer, metrics[policy][input], from its units' metrics in `units(of:inputs:)` order.
    public static func metrics(_ results: [RunMetrics], of batch: TuningBatch, inputs: Int) -> [[RunMetrics]] {
        batch.policies.indices.map { Array(results[($0 * inputs)..<(($0 + 1) * inputs)]) }
    }

    /// The unit as the queue stores it: "rung R policy baseline|cN input I limit none|DEFICIT ADL"
    /// (the limit's amounts as `Fixed.raw` integers, exact).
    public var spec: String {
        let name: String
        switch policy {
        case .baseline: name = "baseline"
        case .candidate(let index): name = "c\(index)"
        }
        let bound = limit.map { "\($0.deficitTotal.raw) \($0.adlNotional.raw)" } ?? "none"
        return "rung \(rung) policy \(name) input \(input) limit \(bound)"
    }

    /// Reads `spec` back; throws `bad_work_unit` for any other text.
    public init(spec: String) throws(SimulationError) {
        let failure = SimulationError(code: "bad_work_unit", message: "not a tune work unit (rung R policy P input I limit L): \(spec)")
        let fields = spec.split(separator: " ").map(String.init)
        guard fields.count == 8 || fields.count == 9, fields[0] == "rung", fields[2] == "policy", fields[4] == "input", fields[6] == "limit",
              let rung = Int(fields[1]), Tuner.rungs.indices.contains(rung), let input = Int(fields[5]), input >= 0 else { throw failure }
        if fields[3] == "baseline" {
            policy = .baseline
        } else if fields[3].hasPrefix("c"), let index = Int(fields[3].dropFirst()), index >= 0 {
            policy = .candidate(index)
        } else {
            throw failure
        }
        if fields.count == 8 {
            guard fields[7] == "none" else { throw failure }
            limit = nil
        } else {
            guard let deficit = Int64(fields[7]), let adl = Int64(fields[8]) else { throw failure }
            limit = SolvencyLimit(deficitTotal: Fixed(raw: deficit), adlNotional: Fixed(raw: adl))
        }
        self.rung = rung
        self.input = input
    }

    /// Runs the unit on `tuner` (whose `candidates()` are `candidates`): the same run, with the
    /// same scenario, policy and limit, as the search on one process. Throws `bad_work_unit` for
    /// an input or candidate the tuner does not have.
    public func run(_ tuner: Tuner, candidates: [TuningCandidate]) throws(SimulationError) -> RunMetrics {
        if case .candidate(let index) = policy, !candidates.indices.contains(index) || candidates[index].spec == nil {
            throw SimulationError(code: "bad_work_unit", message: "\(spec): the search has no valid candidate c\(index)")
        }
        guard tuner.inputs.indices.contains(input) else {
            throw SimulationError(code: "bad_work_unit", message: "\(spec): the search has \(tuner.inputs.count) inputs")
        }
        let scenario = tuner.scenarios(rung: rung)[input]
        return BacktestRun.run(scenario, policy: tuner.policySpec(policy, candidates: candidates), limit: limit).metrics
    }
}
