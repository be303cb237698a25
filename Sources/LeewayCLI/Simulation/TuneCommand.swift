import ArgumentParser
import Foundation
import LeewayCore
import LeewayMarketData
import LeewaySimulation
import LeewayWire

/// `leeway tune`: finds the liquidation policy a venue should run — fewest accounts fully
/// liquidated and lowest liquidation costs, with solvency no worse than a baseline on every input.
struct TuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Search liquidation policies (successive halving over Latin-hypercube candidates) for one that liquidates fewer accounts than a baseline at no cost in solvency.",
        discussion: """
        Example: leeway tune --prices ../shared/data/prices/ethusdt-1m-2024-08-05.json.gz --accounts 2000 --seed 1 --out policy.json --report tune.html
        Each --prices file is an input with and without cascade feedback (--feedback). With --model, --paths synthetic paths are inputs too, \
        and the 99 % expected shortfall of deficit_total over them is a constraint. The space file is JSON: \
        {"call_level": {"min": "1", "max": "2.5"}, "toxic_close": {"values": [true, false]}}; the default space covers call_level, grace, \
        step fractions and cooldowns above and below MM, hard_fraction, cure_buffer, the zone fee, toxic_close and dynamic margin.
        """
    )

    enum Feedback: String, ExpressibleByArgument, CaseIterable { case both, on, off }
    typealias Model = StressCommand.Model

    @Option(name: .customLong("prices"), help: "A candle file to tune on (repeatable).") var priceFiles: [String] = []
    @Option(help: "Cascade feedback on the price files: both, on or off.") var feedback: Feedback = .both
    @Option(help: "Also tune on synthetic stress paths from this model (gbm, jump; garch and bootstrap fit the first --prices file).") var model: Model?
    @Option(help: "Number of stress paths (with --model).") var paths = 20
    @Option(help: "Length of each stress path: e.g. 1d, 12h.") var horizon = "1d"
    @Option(help: "The policy to beat (a preset with overrides, as --policy of backtest).") var baseline = "hard"
    @Option(help: "The preset whose fields the space's parameters override.") var base = "guarded"
    @Option(help: "A JSON file of parameter ranges (default: the standard space).") var space: String?
    @Option(help: "Number of candidates drawn (Latin hypercube).") var candidates = 100
    @Option(help: "Write the recommended policy as a policy command (JSON) to this file.") var out: String?
    @Option(help: "Run the search's runs on `leeway worker` processes through the work queue in this PostgreSQL database (postgres://USER:PASSWORD@HOST:PORT/DATABASE): the same result as one process.")
    var postgres: String?
    @OptionGroup var options: SimulationOptions

    func validate() throws {
        guard candidates >= 1, candidates <= 100_000 else { throw ValidationError("--candidates must be between 1 and 100,000 (a budget of zero candidates tunes nothing)") }
        guard !priceFiles.isEmpty || model != nil else { throw ValidationError("give at least one --prices FILE or a --model for stress paths") }
        guard (1...10_000).contains(paths) else { throw ValidationError("--paths must be between 1 and 10,000") }
        guard StressCommand.horizonMs(horizon) != nil else { throw ValidationError("--horizon must look like 1d, 12h or 90m, got \"\(horizon)\"") }
        guard options.policyTexts.isEmpty, options.policies == nil else { throw ValidationError("tune searches the policies itself: give the policy to beat with --baseline") }
        guard !options.csv, options.charts == nil else { throw ValidationError("tune prints tables or --json and writes --report; --csv and --charts are backtest options") }
        if model == .garch || model == .bootstrap, priceFiles.isEmpty { throw ValidationError("--model \(model!.rawValue) needs a --prices file to fit") }
    }

    /// The search the options describe, with `--space` and `--prices` read through `files` (the
    /// disk, or on a worker the job's copy: the same search either way).
    func makeTuner(files: InputFiles) throws -> Tuner {
        let baselineSpec: PolicySpec
        do { baselineSpec = try PolicySpec.parse(baseline) } catch { throw usageFailure("--baseline: \(error.message)") }
        guard PolicySpec.presetNames.contains(base) else { throw usageFailure("--base must be one of \(PolicySpec.presetNames.joined(separator: ", ")), got \"\(base)\"") }
        var searchSpace = TuningSpace.standard
        if let space {
            guard let data = files.bytes(space) else { throw usageFailure("cannot read the space file \(space)") }
            let text = String(decoding: data, as: UTF8.self)
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw usageFailure("the space file \(space) is empty") }
            do { searchSpace = try TuningSpace.parse(text, base: base) } catch { throw usageFailure("\(space): \(error.message)") }
        }
        let inputs = try buildInputs(files: files)
        return Tuner(inputs: inputs, space: searchSpace, candidateCount: candidates, seed: options.seed, baseline: baselineSpec, base: base)
    }

    /// The search run by workers through the queue at `url`: rung by rung, each batch of
    /// `Tuner.run` (the baseline, then the surviving candidates under its limits) a unit per
    /// (policy, input) run (`TuningWorkUnit`), its results put back in order.
    static func distributedResult(_ tuner: Tuner, postgres url: String, files: InputFiles, progress: ProgressBar) async throws -> TuningResult {
        let coordinator = try WorkCoordinator(postgres: url, job: DistributedJob(
            kind: "tune", arguments: DistributedJob.commandLineArguments(of: "tune"), files: files.contents))
        defer { coordinator.finish() }
        return try await tuner.run(candidates: tuner.candidates()) { batch in
            let units = TuningWorkUnit.units(of: batch, inputs: tuner.inputs.count)
            var metrics: [RunMetrics] = []
            for text in try await coordinator.run(units.map(\.spec), progress: progress) {
                do throws(SimulationError) { metrics.append(try RunMetrics(exactText: text)) } catch {
                    FileHandle.standardError.write(Data("error: a worker's result cannot be read: \(error.message)\n".utf8))
                    throw ExitCode(1)
                }
            }
            return TuningWorkUnit.metrics(metrics, of: batch, inputs: tuner.inputs.count)
        }
    }

    func run() async throws {
        let files = InputFiles.disk()
        let tuner = try makeTuner(files: files)
        let inputs = tuner.inputs, baselineSpec = tuner.baseline
        let progress = ProgressBar(total: Tuner.plannedRuns(candidates: candidates, inputs: inputs.count), label: "tune")
        let start = ContinuousClock.now
        let result: TuningResult
        if let postgres {
            result = try await Self.distributedResult(tuner, postgres: postgres, files: files, progress: progress)
        } else {
            result = await tuner.run(threads: options.threads) { _, _ in progress.advance() }
        }
        let elapsed = ContinuousClock.now - start
        let recommendedPolicy = result.recommended.flatMap { result.candidates[$0].spec?.policy } ?? baselineSpec.policy
        let command = PolicyEncoder.command(recommendedPolicy)
        // Deterministic for a seed (the JSON and the report); the timing goes on the text header only.
        let summary = "\(inputs.count) inputs, \(options.accounts) accounts, seed \(options.seed), \(candidates) candidates, baseline \(baselineSpec.name), base \(base)"
        let timing = postgres == nil ? String(format: "%.1f s on %d thread(s)", SimulationFormatter.seconds(elapsed), options.threads)
            : String(format: "%.1f s on leeway workers", SimulationFormatter.seconds(elapsed))
        var output = StandardOutput()
        if options.json {
            var writer = JSONWriter()
            writer.beginObject()
            writer.field("summary", summary)
            writer.key("recommended"); if let index = result.recommended { writer.string("c\(index)") } else { writer.null() }
            writer.key("policy"); writer.rawNumber(command)
            writer.key("frontier"); writer.beginArray()
            for index in result.frontier {
                let totals = result.totals(result.evaluations[index]?.metrics ?? [])
                writer.beginObject()
                writer.field("candidate", "c\(index)")
                writer.field("accounts_liquidated", totals.liquidated)
                writer.field("liquidation_costs", String(format: "%.2f", totals.costs))
                writer.field("parameters", result.candidates[index].overrides.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
            output.line(writer.text)
        } else {
            output.line("leeway tune: " + summary + "; " + timing)
            output.line("")
            output.line(TuningReport.frontierTable(result))
            output.line("")
            output.line(TuningReport.comparisonTable(result))
            if result.recommended != nil { output.line(TuningReport.verdict(result)) }  // else the last line says why not
            output.line("")
            output.line(TuningReport.perInputTable(result))
            output.line("")
            output.line(result.recommended == nil
                        ? "No candidate was as solvent as the baseline on every input; the baseline stays the recommendation."
                        : "Recommended policy (send as a policy command):")
            output.line(command)
        }
        output.flush()
        if let out {
            do { try (command + "\n").write(toFile: out, atomically: true, encoding: .utf8) } catch {
                throw usageFailure("cannot write the policy to \(out): \(error.localizedDescription)")
            }
        }
        if let report = options.report {
            do { try TuningReport.html(result, summary: summary).write(toFile: report, atomically: true, encoding: .utf8) } catch {
                throw usageFailure("cannot write the report to \(report): \(error.localizedDescription)")
            }
        }
    }

    /// Each price file with the chosen feedback settings, then the stress paths.
    func buildInputs(files: InputFiles) throws -> [TuningInput] {
        let tiers = BacktestScenario.defaultTiers
        let fund = try options.insuranceFundAmount()
        let population = options.populationSpec()
        func scenario(_ path: PricePath, feedback: Bool) -> BacktestScenario {
            let accounts = population.draw(seed: options.seed, pathLength: path.count) { BacktestScenario.maximumLeverage(tiers: tiers, notional: $0) }
            var depth = options.depthModel()
            depth.feedback = feedback
            return BacktestScenario(path: path, accounts: accounts, tiers: tiers, depth: depth, insuranceFund: fund,
                                    options: options.optionMarketSpec())
        }
        var inputs: [TuningInput] = []
        var firstCandles: [Candle] = []
        for file in priceFiles {
            let candles = try CandleInput.load(path: file, files: files)
            if firstCandles.isEmpty { firstCandles = candles }
            let path = CandleExpansion.path(from: candles)
            let window = TuningInput.crashWindow(of: path)
            let settings: [Bool] = feedback == .both ? [true, false] : [feedback == .on]
            for setting in settings {
                inputs.append(TuningInput(name: "\((file as NSString).lastPathComponent), \(setting ? "feedback" : "no feedback")",
                                          full: scenario(path, feedback: setting), window: scenario(window, feedback: setting)))
            }
        }
        if let model {
            let closes = PricePath(timesMs: firstCandles.map(\.openTimeMs), prices: firstCandles.map(\.close), minuteVolumes: firstCandles.map(\.volume))
            let returns = closes.logReturns.filter(\.isFinite)
            let synthetic = StressCommand.syntheticModel(model, returns: returns)
            let startPrice = firstCandles.last?.close ?? 2_500
            let volumes = firstCandles.map(\.volume).sorted()
            let volume = volumes.isEmpty ? 2_000 : volumes[volumes.count / 2]
            let steps = Int((StressCommand.horizonMs(horizon) ?? 86_400_000) / 60_000)
            for index in 0..<paths {
                let path = synthetic.path(seed: SplitMix64.derivedSeed(options.seed, UInt64(index)), startPrice: startPrice,
                                          startMs: 1_700_000_000_000, steps: steps, stepMs: 60_000, minuteVolume: volume)
                let stressed = scenario(path, feedback: true)
                inputs.append(TuningInput(name: "\(model.rawValue) path \(index + 1)", full: stressed, window: stressed, isStress: true))
            }
        }
        return inputs
    }
}
