import ArgumentParser
import Foundation
import LeewayCore
import LeewayMarketData
import LeewaySimulation

/// `leeway backtest`: several liquidation policies over one historical price path and one
/// population, side by side, with liquidation cascades through a depth model.
struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Compare liquidation policies on a historical price file with a simulated population.",
        discussion: "Example: leeway backtest --prices ../shared/data/prices/ethusdt-1m-2024-08-05.json.gz --accounts 10000 --seed 1 --policy hard --policy soft --policy soft-adaptive --report eth.html"
    )

    @Option(help: "Candle file: Curve/Binance JSON (.json, .json.gz) or Binance CSV (.csv, .csv.gz).")
    var prices: String

    @Option(help: "Interpolation steps per candle leg (open → extreme → extreme → close).")
    var subSteps = 1

    @Flag(help: "Also run each policy with the naive full scan (every account re-evaluated each step) and report the speed-up.")
    var compareNaive = false

    @OptionGroup var options: SimulationOptions

    func validate() throws {
        guard (1...60).contains(subSteps) else { throw ValidationError("--sub-steps must be between 1 and 60") }
    }

    func run() async throws {
        let policies = try options.policySpecs()
        let candles = try CandleInput.load(path: prices)
        let path = CandleExpansion.path(from: candles, subSteps: subSteps)
        let tiers = BacktestScenario.defaultTiers
        let population = options.populationSpec().draw(seed: options.seed, pathLength: path.count) {
            BacktestScenario.maximumLeverage(tiers: tiers, notional: $0)
        }
        let scenario = BacktestScenario(path: path, accounts: population, tiers: tiers, depth: options.depthModel(),
                                        insuranceFund: try options.insuranceFundAmount())
        let progress = ProgressBar(total: policies.count, label: "backtest")
        let start = ContinuousClock.now
        let results = await Self.runAll(scenario, policies: policies, threads: options.threads, recordSeries: options.report != nil || options.charts != nil, progress: progress)
        let elapsed = ContinuousClock.now - start
        var output = StandardOutput()
        let summary = SimulationSummary(source: prices, accounts: options.accounts, seed: options.seed, pathPoints: path.count)
        if options.json {
            output.line(SimulationFormatter.backtestJSON(results, summary: summary))
        } else if options.csv {
            output.line(SimulationFormatter.backtestCSV(results))
        } else {
            output.line(SimulationFormatter.backtestTable(results, summary: summary, elapsed: elapsed))
        }
        if compareNaive {
            let naiveStart = ContinuousClock.now
            for policy in policies { _ = BacktestRun.run(scenario, policy: policy, markEvaluation: .everyHolder) }
            let naive = ContinuousClock.now - naiveStart
            let accountMinutes = Double(options.accounts) * Double(candles.count) * Double(policies.count)
            output.line(SimulationFormatter.speedComparison(accountMinutes: accountMinutes, indexed: elapsed, naive: naive, threads: options.threads))
        }
        output.flush()
        if let directory = options.charts {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                for chart in HTMLReport.backtestCharts(results) {
                    try chart.svg.write(toFile: (directory as NSString).appendingPathComponent(chart.name), atomically: true, encoding: .utf8)
                }
            } catch {
                throw usageFailure("cannot write charts into \(directory): \(error.localizedDescription)")
            }
        }
        if let report = options.report {
            let html = HTMLReport.backtest(results, title: "Backtest: \((prices as NSString).lastPathComponent)", summary: summary.description)
            do { try html.write(toFile: report, atomically: true, encoding: .utf8) } catch {
                throw usageFailure("cannot write the report to \(report): \(error.localizedDescription)")
            }
        }
    }

    /// Runs every policy, `threads` at a time; results come back in the policies' order.
    static func runAll(_ scenario: BacktestScenario, policies: [PolicySpec], threads: Int, recordSeries: Bool,
                       progress: ProgressBar) async -> [BacktestResult] {
        let workers = Swift.max(1, Swift.min(threads, policies.count))
        var results: [BacktestResult?] = Array(repeating: nil, count: policies.count)
        await withTaskGroup(of: [(Int, BacktestResult)].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var done: [(Int, BacktestResult)] = []
                    for index in stride(from: worker, to: policies.count, by: workers) {
                        done.append((index, BacktestRun.run(scenario, policy: policies[index], recordSeries: recordSeries)))
                        progress.advance()
                    }
                    return done
                }
            }
            for await batch in group { for (index, result) in batch { results[index] = result } }
        }
        return results.compactMap { $0 }
    }
}
