import ArgumentParser
import Foundation
import LeewayCore
import LeewayMarketData
import LeewaySimulation

/// `leeway stress`: Monte Carlo over synthetic price paths; distributions of the backtest metrics,
/// the probability of bad debt and the insurance fund's value-at-risk and expected shortfall.
struct StressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "Monte Carlo over synthetic price paths: metric distributions, bad-debt probability, insurance-fund VaR and ES.",
        discussion: "Example: leeway stress --model jump --paths 1000 --horizon 1d --accounts 1000 --seed 7 --threads 2"
    )

    enum Model: String, ExpressibleByArgument, CaseIterable {
        case gbm, jump, garch, bootstrap
    }

    @Option(help: "Price model: gbm, jump (Merton), garch (GARCH(1,1) fitted to --prices) or bootstrap (blocks of --prices returns).")
    var model: Model

    @Option(help: "Number of paths.") var paths = 100
    @Option(help: "Length of each path: e.g. 1d, 12h, 90m.") var horizon = "1d"
    @Option(help: "Candle file to fit (garch), resample (bootstrap) or take the start price and volume from.") var prices: String?
    @Option(help: "Start price when no --prices is given.") var startPrice = 2_500.0
    @Option(help: "Base-asset volume per minute for the depth model when no --prices is given.") var minuteVolume = 2_000.0
    @Option(help: "Annualised volatility (gbm, jump).") var volatility = 0.8
    @Option(help: "Annualised drift (gbm, jump).") var drift = 0.0
    @Option(help: "Expected jumps per day (jump).") var jumpsPerDay = 2.0
    @Option(help: "Mean log jump size (jump).") var jumpMean = -0.04
    @Option(help: "Standard deviation of log jump size (jump).") var jumpVolatility = 0.04
    @Option(help: "Block length in minutes (bootstrap).") var block = 60
    @Option(help: "Bad debt (USDC) above which a path counts as a bad-debt path.") var badDebtThreshold = 1.0
    @Option(help: "Vol of vol η of the options' implied volatility (annualised; with --option-share): vol × exp(η·W − η²t/2), W each path's own Brownian motion.")
    var volOfVol = 0.0

    @Flag(help: "Also time the first two paths with the naive full scan (every account re-evaluated each step) and report the per-path speed-up.")
    var compareNaive = false

    @Option(help: "Run the paths on `leeway worker` processes through the work queue in this PostgreSQL database (postgres://USER:PASSWORD@HOST:PORT/DATABASE), then merge: the same output as one process.")
    var postgres: String?

    @OptionGroup var options: SimulationOptions

    func validate() throws {
        guard (1...1_000_000).contains(paths) else { throw ValidationError("--paths must be between 1 and 1,000,000") }
        guard Self.horizonMs(horizon) != nil else { throw ValidationError("--horizon must look like 1d, 12h, 90m or 3600s, got \"\(horizon)\"") }
        guard startPrice > 0, minuteVolume > 0, volatility >= 0, jumpsPerDay >= 0, jumpVolatility >= 0 else {
            throw ValidationError("--start-price and --minute-volume must be positive; --volatility, --jumps-per-day and --jump-volatility ≥ 0")
        }
        guard block >= 1 else { throw ValidationError("--block must be at least 1") }
        guard volOfVol >= 0, volOfVol <= 10 else { throw ValidationError("--vol-of-vol must be between 0 and 10 (annualised), got \(volOfVol)") }
        if model == .garch || model == .bootstrap, prices == nil {
            throw ValidationError("--model \(model.rawValue) needs --prices FILE to fit or resample")
        }
    }

    /// The path model for `model` (the defaults are `stress`'s option defaults; garch and bootstrap
    /// fit or resample `returns`). `leeway tune --model` uses the same.
    static func syntheticModel(_ model: Model, returns: [Double], drift: Double = 0, volatility: Double = 0.8, jumpsPerDay: Double = 2,
                               jumpMean: Double = -0.04, jumpVolatility: Double = 0.04, block: Int = 60) -> SyntheticModel {
        switch model {
        case .gbm: return .geometricBrownian(annualDrift: drift, annualVolatility: volatility)
        case .jump: return .jumpDiffusion(annualDrift: drift, annualVolatility: volatility, jumpsPerDay: jumpsPerDay,
                                          jumpMean: jumpMean, jumpVolatility: jumpVolatility)
        case .garch: return .garch(Garch11.fit(returns: returns))
        case .bootstrap: return .blockBootstrap(returns: returns, blockLength: block)
        }
    }

    /// "1d" → 86,400,000 ms; units d, h, m, s.
    static func horizonMs(_ text: String) -> Int64? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value > 0 else { return nil }
        let scale: Int64
        switch unit {
        case "d": scale = 86_400_000
        case "h": scale = 3_600_000
        case "m": scale = 60_000
        case "s": scale = 1_000
        default: return nil
        }
        let (ms, overflow) = value.multipliedReportingOverflow(by: scale)
        return overflow || ms < 60_000 || ms > 366 * 86_400_000 ? nil : ms
    }

    /// The run the options describe, with `--prices` and `--policies` read through `files` (the
    /// disk, or on a worker the job's copy: the same configuration either way).
    func makeConfiguration(files: InputFiles) throws -> StressConfiguration {
        let policies = try options.policySpecs(files: files)
        var start = startPrice, volume = minuteVolume
        var returns: [Double] = []
        if let prices {
            let candles = try CandleInput.load(path: prices, files: files)
            let closes = PricePath(timesMs: candles.map(\.openTimeMs), prices: candles.map(\.close), minuteVolumes: candles.map(\.volume))
            returns = closes.logReturns.filter(\.isFinite)
            start = candles.last?.close ?? start
            let volumes = candles.map(\.volume).sorted()
            volume = volumes[volumes.count / 2]
        }
        let synthetic = Self.syntheticModel(model, returns: returns, drift: drift, volatility: volatility, jumpsPerDay: jumpsPerDay,
                                            jumpMean: jumpMean, jumpVolatility: jumpVolatility, block: block)
        let steps = Int((Self.horizonMs(horizon) ?? 86_400_000) / 60_000)
        let tiers = BacktestScenario.defaultTiers
        let population = options.populationSpec().draw(seed: options.seed, pathLength: steps + 1) {
            BacktestScenario.maximumLeverage(tiers: tiers, notional: $0)
        }
        var configuration = StressConfiguration(
            model: synthetic, paths: paths, steps: steps, startPrice: start, minuteVolume: volume, seed: options.seed,
            population: population, tiers: tiers, depth: options.depthModel(), insuranceFund: try options.insuranceFundAmount(),
            policies: policies, badDebtThreshold: badDebtThreshold)
        configuration.options = options.optionMarketSpec(volOfVol: volOfVol)
        return configuration
    }

    /// The summaries of `configuration`'s paths run by workers through the queue at `url`: a unit
    /// per range of paths (`StressWorkUnit`), merged in path order.
    static func distributedSummaries(_ configuration: StressConfiguration, postgres url: String, files: InputFiles) async throws -> [PolicyStressSummary] {
        let coordinator = try WorkCoordinator(postgres: url, job: DistributedJob(
            kind: "stress", arguments: DistributedJob.commandLineArguments(of: "stress"), files: files.contents))
        defer { coordinator.finish() }
        let units = StressWorkUnit.split(paths: configuration.paths)
        let results = try await coordinator.run(units.map(\.spec), progress: ProgressBar(total: units.count, label: "stress"))
        var byPath: [[RunMetrics]] = []
        for (unit, text) in zip(units, results) {
            do throws(SimulationError) { byPath += try unit.metrics(resultText: text, policies: configuration.policies.count) } catch {
                FileHandle.standardError.write(Data("error: a worker's result cannot be read: \(error.message)\n".utf8))
                throw ExitCode(1)
            }
        }
        return StressRunner.summaries(configuration, byPath: byPath)
    }

    func run() async throws {
        let files = InputFiles.disk()
        let configuration = try makeConfiguration(files: files)
        let policies = configuration.policies
        let clockStart = ContinuousClock.now
        let summaries: [PolicyStressSummary]
        if let postgres {
            summaries = try await Self.distributedSummaries(configuration, postgres: postgres, files: files)
        } else {
            let progress = ProgressBar(total: paths, label: "stress")
            summaries = await StressRunner.run(configuration, threads: options.threads) { progress.advance(by: $0) }
        }
        let elapsed = ContinuousClock.now - clockStart
        var output = StandardOutput()
        let header = [("model", model.rawValue), ("paths", String(paths)), ("horizon", horizon), ("accounts", String(options.accounts)),
                      ("seed", String(options.seed))]
        if options.json {
            output.line(SimulationFormatter.stressJSON(summaries, header: header))
        } else if options.csv {
            output.line(SimulationFormatter.stressCSV(summaries))
        } else {
            let title = "stress: " + header.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            output.line(SimulationFormatter.stressTable(summaries, header: title, elapsed: elapsed))
        }
        if compareNaive {
            var naive = configuration
            naive.paths = Swift.min(paths, 2)
            naive.markEvaluation = .everyHolder
            let naiveStart = ContinuousClock.now
            _ = await StressRunner.run(naive, threads: 1)
            let naiveElapsed = ContinuousClock.now - naiveStart
            let perPathNaive = SimulationFormatter.seconds(naiveElapsed) / Double(naive.paths)
            let perPathIndexed = SimulationFormatter.seconds(elapsed) / Double(paths)
            output.line(String(format: "\nper path (all policies): %.3f s with trigger bands (%d thread%@, %d paths), %.3f s with the naive full scan (1 thread, %d paths): %.0f× faster",
                               perPathIndexed, options.threads, options.threads == 1 ? "" : "s", paths, perPathNaive, naive.paths,
                               perPathNaive / Swift.max(perPathIndexed, 1e-9)))
        }
        output.flush()
        if let report = options.report {
            let sample = BacktestRun.run(configuration.scenario(0), policy: policies[0], recordSeries: true)
            let html = HTMLReport.stress(summaries, sample: sample, title: "Stress: \(model.rawValue), \(paths) paths × \(horizon)",
                                         summary: header.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
            do { try html.write(toFile: report, atomically: true, encoding: .utf8) } catch {
                throw usageFailure("cannot write the report to \(report): \(error.localizedDescription)")
            }
        }
    }
}
