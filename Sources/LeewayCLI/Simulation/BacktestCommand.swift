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

    @Option(help: ArgumentHelp("A one-point oracle spike: MINUTE:FACTOR (minutes after the first candle; the mark sent there is the price × FACTOR, e.g. 20:0.6). Repeatable.", valueName: "minute:factor"))
    var feedSpike: [String] = []

    @Option(help: ArgumentHelp("A frozen oracle feed: FROM:UNTIL in minutes after the first candle; no mark reaches the engine meanwhile (the clock still moves). Repeatable.", valueName: "from:until"))
    var feedOutage: [String] = []

    @Option(help: ArgumentHelp("A gap in the data: FROM:UNTIL in minutes after the first candle; those candles are dropped. Repeatable.", valueName: "from:until"))
    var feedGap: [String] = []

    @OptionGroup var options: SimulationOptions

    func validate() throws {
        guard (1...60).contains(subSteps) else { throw ValidationError("--sub-steps must be between 1 and 60") }
        for text in feedSpike {
            guard let (_, factor) = Self.pair(text), factor > 0, factor.isFinite else {
                throw ValidationError("--feed-spike must be MINUTE:FACTOR with MINUTE ≥ 0 and FACTOR > 0 (e.g. 20:0.6), got \"\(text)\"")
            }
        }
        for (name, texts) in [("--feed-outage", feedOutage), ("--feed-gap", feedGap)] {
            for text in texts {
                guard let (from, until) = Self.pair(text), until > from else {
                    throw ValidationError("\(name) must be FROM:UNTIL in minutes with 0 ≤ FROM < UNTIL (e.g. 55:70), got \"\(text)\"")
                }
            }
        }
    }

    /// `A:B` as two non-negative numbers (minutes, or a minute and a factor).
    static func pair(_ text: String) -> (Double, Double)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = Double(parts[0]), let second = Double(parts[1]), first >= 0, first.isFinite, second.isFinite else { return nil }
        return (first, second)
    }

    /// The oracle faults of `--feed-spike` / `--feed-outage`, at ms after `startMs`.
    func oracleFeed(startMs: Int64) -> OracleFeed {
        let ms = { (minutes: Double) in startMs + Int64((minutes * 60_000).rounded()) }
        return OracleFeed(spikes: feedSpike.compactMap(Self.pair).map { OracleFeed.Spike(atMs: ms($0.0), factor: $0.1) },
                          outages: feedOutage.compactMap(Self.pair).map { OracleFeed.Outage(fromMs: ms($0.0), untilMs: ms($0.1)) })
    }

    func run() async throws {
        let policies = try options.policySpecs()
        let candles = try CandleInput.load(path: prices)
        var path = CandleExpansion.path(from: candles, subSteps: subSteps)
        let startMs = path.timesMs.first ?? 0
        for (from, until) in feedGap.compactMap(Self.pair) {
            path = path.removing(fromMs: startMs + Int64((from * 60_000).rounded()), untilMs: startMs + Int64((until * 60_000).rounded()))
        }
        guard path.count > 0 else { throw usageFailure("--feed-gap removed every candle of \(prices)") }
        let tiers = BacktestScenario.defaultTiers
        let population = options.populationSpec().draw(seed: options.seed, pathLength: path.count) {
            BacktestScenario.maximumLeverage(tiers: tiers, notional: $0)
        }
        let scenario = BacktestScenario(path: path, accounts: population, tiers: tiers, depth: options.depthModel(),
                                        insuranceFund: try options.insuranceFundAmount(), oracleFeed: oracleFeed(startMs: startMs),
                                        options: options.optionMarketSpec())
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
