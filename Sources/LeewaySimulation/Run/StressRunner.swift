/// Runs a stress configuration on `threads` workers. Worker w takes paths w, w + T, w + 2T…; the
/// results are put back in path order before anything is aggregated, so the output is identical
/// for a seed whatever the thread count.
///
/// The two halves are public apart so the paths can also be run by other processes (`leeway
/// worker`, each a contiguous range of paths) and merged here: `summaries` over the per-path
/// metrics in path order is the whole aggregation, so any split of the paths that puts the same
/// metrics back in the same order gives the same summaries.
public enum StressRunner {
    public static func run(_ configuration: StressConfiguration, threads: Int,
                           progress: (@Sendable (Int) -> Void)? = nil) async -> [PolicyStressSummary] {
        let byPath = await runPaths(configuration, paths: 0..<configuration.paths, threads: threads, progress: progress)
        return summaries(configuration, byPath: byPath)
    }

    /// The metrics of every policy on each path of `paths` (metrics[path − lowerBound][policy]),
    /// on `threads` workers.
    public static func runPaths(_ configuration: StressConfiguration, paths: Range<Int>, threads: Int,
                                progress: (@Sendable (Int) -> Void)? = nil) async -> [[RunMetrics]] {
        let workers = Swift.max(1, Swift.min(threads, paths.count))
        var byPath = Array(repeating: [RunMetrics](), count: paths.count)
        await withTaskGroup(of: [(Int, [RunMetrics])].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var done: [(Int, [RunMetrics])] = []
                    for index in stride(from: paths.lowerBound + worker, to: paths.upperBound, by: workers) {
                        done.append((index - paths.lowerBound, runPath(configuration, index: index)))
                        progress?(1)
                    }
                    return done
                }
            }
            for await results in group {
                for (offset, metrics) in results { byPath[offset] = metrics }
            }
        }
        return byPath
    }

    /// Every policy on path `index` (in the configuration's policy order).
    public static func runPath(_ configuration: StressConfiguration, index: Int) -> [RunMetrics] {
        let scenario = configuration.scenario(index)
        return configuration.policies.map { policy in
            BacktestRun.run(scenario, policy: policy, markEvaluation: configuration.markEvaluation).metrics
        }
    }

    /// Each policy's summary over `byPath` (every path's metrics, in path order, policies in the
    /// configuration's order).
    public static func summaries(_ configuration: StressConfiguration, byPath: [[RunMetrics]]) -> [PolicyStressSummary] {
        configuration.policies.enumerated().map { offset, policy in
            PolicyStressSummary(name: policy.name, perPath: byPath.map { $0[offset] }, badDebtThreshold: configuration.badDebtThreshold)
        }
    }
}
