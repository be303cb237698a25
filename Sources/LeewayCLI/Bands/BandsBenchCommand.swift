import ArgumentParser
import Foundation
import LeewayBands
import LeewayMarketData

/// `leeway bands bench`: Monte-Carlo loss samples per second, on one thread and on all, against the
/// cost of Curve's Python simulator: measured in the same run by `scripts/bands-bench/side-by-side.sh`
/// (which passes `--python-seconds`), else the 2.6 ms per 72-minute sample quoted in
/// reference/bands/simulator-model.md.
struct BandsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time Monte-Carlo loss samples (72-minute windows) on 1 and N threads."
    )

    /// Curve's Python simulator per 72-minute sample (CPython 3.11), seconds, as quoted in the reference.
    static let quotedPythonSecondsPerSample = 2.6e-3

    @Option(help: "Candle file.") var prices = "../shared/data/prices/ethusdt-1m-2024-08-05.json.gz"
    @Option(help: "Samples per measurement.") var samples = 200_000
    @Option(help: "Window length in days (0.05 = 72 minutes).") var days = 0.05
    @Option(name: .customLong("A"), help: "Amplification.") var a = 100
    @Option(help: "Bands N.") var bands = 4
    @Option(help: "Threads for the parallel measurement.") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Curve's simulator's seconds per sample, measured beside this run (scripts/bands-bench/side-by-side.sh); default: the 2.6 ms quoted in the reference.")
    var pythonSeconds: Double?

    func run() async throws {
        let parameters = LossSimulationParameters(a: a, bands: bands, fee: 0.002)
        do { try parameters.validate() } catch { throw usageFailure(error.message) }
        guard samples >= 1, threads >= 1 else { throw usageFailure("--samples and --threads must be at least 1.") }
        if let pythonSeconds, !(pythonSeconds > 0 && pythonSeconds.isFinite) {
            throw usageFailure("--python-seconds must be a positive number of seconds (the script prints PYTHON_SECONDS_PER_SAMPLE).")
        }
        let python = pythonSeconds ?? Self.quotedPythonSecondsPerSample
        let pythonLabel = pythonSeconds == nil ? "quoted" : "measured"
        let series: PriceSeries
        let candles = try CandleInput.load(path: prices)
        do { series = try PriceSeries(candles: candles, halfLifeSeconds: 600, reversed: true) } catch {
            throw usageFailure("\(error)")
        }
        print("LLAMMA loss Monte-Carlo: \(samples) samples of \(days) d windows, A=\(a), N=\(bands), \(URL(fileURLWithPath: prices).lastPathComponent) (+ reversed)")
        _ = await LossSimulator.monteCarlo(series: series, parameters: parameters, samples: Swift.min(samples, 2_000), days: days, top: 1, seed: 7, threads: 1)
        var rows: [(threads: Int, seconds: Double, loss: Double)] = []
        for count in Array(Set([1, threads])).sorted() {
            let start = DispatchTime.now().uptimeNanoseconds
            let result = await LossSimulator.monteCarlo(series: series, parameters: parameters, samples: samples, days: days,
                                                        top: samples, seed: 42, threads: count)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            rows.append((count, seconds, result.loss))
        }
        let single = rows[0].seconds
        print("threads\tseconds\tµs/sample\tsamples/s\tvs Curve Python (\(String(format: "%.3f", python * 1e3)) ms/sample, \(pythonLabel))\tscaling vs 1 thread\tmean loss")
        for row in rows {
            let perSample = row.seconds / Double(samples)
            print(String(format: "%d\t%.3f\t%.2f\t%.0f\t%.0f×\t%.2f×\t%.6f", row.threads, row.seconds, perSample * 1e6,
                         Double(samples) / row.seconds, python / perSample, single / row.seconds, row.loss))
        }
    }
}
