/// Runs a stress configuration on `threads` workers. Worker w takes paths w, w + T, w + 2T…; the
/// results are put back in path order before anything is aggregated, so the output is identical
/// for a seed whatever the thread count.
public enum StressRunner {
    public static func run(_ configuration: StressConfiguration, threads: Int,
                           progress: (@Sendable (Int) -> Void)? = nil) async -> [PolicyStressSummary] {
        let workers = Swift.max(1, Swift.min(threads, configuration.paths))
        var byPath = Array(repeating: [RunMetrics](), count: configuration.paths)
        await withTaskGroup(of: [(Int, [RunMetrics])].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var done: [(Int, [RunMetrics])] = []
                    for index in stride(from: worker, to: configuration.paths, by: workers) {
                        let scenario = BacktestScenario(path: configuration.path(index), accounts: configuration.population,
                                                        tiers: configuration.tiers, depth: configuration.depth,
                                                        insuranceFund: configuration.insuranceFund)
                        let metrics = configuration.policies.map { policy in
                            BacktestRun.run(scenario, policy: policy, markEvaluation: configuration.markEvaluation).metrics
                        }
                        done.append((index, metrics))
                        progress?(1)
                    }
                    return done
                }
            }
            for await results in group {
                for (index, metrics) in results { byPath[index] = metrics }
            }
        }
        return configuration.policies.enumerated().map { offset, policy in
            PolicyStressSummary(name: policy.name, perPath: byPath.map { $0[offset] }, badDebtThreshold: configuration.badDebtThreshold)
        }
    }
}
