/// A part of a stress run that another process can run (`leeway worker`): a contiguous range of
/// paths. Its result is each path's metrics of every policy in exact text
/// (`RunMetrics.exactText`), so the coordinator puts back, path by path in order, exactly the
/// metrics a single process computes, and `StressRunner.summaries` over them is the same output.
public struct StressWorkUnit: Sendable, Equatable {
    public var paths: Range<Int>

    public init(paths: Range<Int>) {
        self.paths = paths
    }

    /// `paths` paths cut into at most about `target` units of equal size (the last may be smaller):
    /// enough units for the workers to share, few enough that a unit's round trip through the
    /// database costs little beside its runs; a worker killed mid-unit loses at most one unit's work.
    public static func split(paths: Int, target: Int = 100) -> [StressWorkUnit] {
        let size = Swift.max(1, (paths + target - 1) / Swift.max(target, 1))
        return stride(from: 0, to: paths, by: size).map { StressWorkUnit(paths: $0..<Swift.min($0 + size, paths)) }
    }

    /// The unit as the queue stores it: "paths FIRST END" (END excluded).
    public var spec: String { "paths \(paths.lowerBound) \(paths.upperBound)" }

    /// Reads `spec` back; throws `bad_work_unit` for any other text.
    public init(spec: String) throws(SimulationError) {
        let fields = spec.split(separator: " ")
        guard fields.count == 3, fields[0] == "paths", let first = Int(fields[1]), let end = Int(fields[2]), 0 <= first, first < end else {
            throw SimulationError(code: "bad_work_unit", message: "not a stress work unit (paths FIRST END): \(spec)")
        }
        paths = first..<end
    }

    /// Runs the unit's paths (one after the other, on the calling thread): metrics[path][policy].
    public func run(_ configuration: StressConfiguration) -> [[RunMetrics]] {
        paths.map { StressRunner.runPath(configuration, index: $0) }
    }

    /// The result as the queue stores it: one line per path, its policies' exact texts joined by ";".
    public static func resultText(_ metrics: [[RunMetrics]]) -> String {
        metrics.map { $0.map(\.exactText).joined(separator: ";") }.joined(separator: "\n")
    }

    /// Reads `resultText` back, checking it holds `paths.count` paths of `policies` policies each.
    public func metrics(resultText text: String, policies: Int) throws(SimulationError) -> [[RunMetrics]] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == paths.count else {
            throw SimulationError(code: "bad_work_result", message: "the result of \(spec) holds \(lines.count) paths, expected \(paths.count)")
        }
        var metrics: [[RunMetrics]] = []
        for line in lines {
            let texts = line.split(separator: ";")
            guard texts.count == policies else {
                throw SimulationError(code: "bad_work_result", message: "the result of \(spec) holds \(texts.count) policies on a path, expected \(policies)")
            }
            var path: [RunMetrics] = []
            for text in texts { path.append(try RunMetrics(exactText: String(text))) }
            metrics.append(path)
        }
        return metrics
    }
}
