/// A unit of work a worker holds: which job and unit, what to run (`spec`), and the claim's token,
/// without which its result is not accepted (`WorkQueue.complete`).
public struct ClaimedUnit: Sendable, Equatable {
    public var job: Int64
    public var unit: Int64
    public var spec: String
    public var token: Int64
    /// How many times the unit has been claimed, this claim included (above 1: a worker before
    /// this one lost its lease on it).
    public var attempts: Int

    public init(job: Int64, unit: Int64, spec: String, token: Int64, attempts: Int) {
        self.job = job
        self.unit = unit
        self.spec = spec
        self.token = token
        self.attempts = attempts
    }
}
