import ArgumentParser
import Foundation
import LeewayBands
import LeewayMarketData
import LeewaySimulation

/// `leeway bands simulate`: Curve's LLAMMA loss simulation on a candle file.
struct BandsSimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Loss of a band-liquidated position (Curve's llamma-simulator model) on real candles.",
        discussion: """
        One deterministic window (--position P --size S, fractions of the file; default the whole file),
        or Monte-Carlo with --samples N (windows of --days D at uniform random starts, seeded, mean of
        the --top K worst; default K = N/20 as Curve). --scan A=50,70,100 (or fee=…, bands=…, ranges
        as start:end:step) prints a table and writes an SVG of loss and liquidation discount.
        Example: leeway bands simulate --prices ../shared/data/prices/ethusdt-1m-2024-08-05.json.gz --A 100 --bands 4 --fee 0.002
        """
    )

    @Option(help: "Candle file (Curve/Binance JSON or CSV, optionally .gz).") var prices: String
    @Option(name: .customLong("A"), help: "Amplification A (bands are 1/A wide).") var a: Int = 100
    @Option(help: "Number of bands N.") var bands: Int = 4
    @Option(help: "Base AMM fee (fraction).") var fee: Double = 0.006
    @Option(help: "Oracle EMA half-life, seconds.") var texp: Double = 600
    @Option(help: "Arbitrageur's external fee (fraction).") var extFee: Double = 0.0005
    @Option(help: "Band-distance fee multiplier (0: off).") var dynamicFeeMultiplier: Double = 0
    @Option(help: "Oracle-change fee delay (1: no oracle-change fee).") var poFeeDelay: Double = 2
    @Option(help: "Start of the deterministic window, fraction of the file.") var position: Double = 0
    @Option(help: "Length of the deterministic window, fraction of the file.") var size: Double = 1
    @Option(help: "Monte-Carlo samples (enables Monte-Carlo).") var samples: Int?
    @Option(help: "Monte-Carlo window length, days.") var days: Double = 1
    @Option(help: "Average the K worst samples (default samples/20).") var top: Int?
    @Option(help: "Seed of the Monte-Carlo window draws.") var seed: UInt64 = 1
    @Flag(help: "Extend the prices with their time-reversed copy.") var reverse = false
    @Option(help: "Worker threads for Monte-Carlo.") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Scan one parameter: A=…, fee=… or bands=… as a list (a,b,c) or range (start:end:step).") var scan: String?
    @Option(help: "Where the scan's SVG goes (default bands-scan-PARAM.svg).") var svg: String?
    @Flag(help: "Print JSON instead of text.") var json = false

    func parameters(a: Int? = nil, bands: Int? = nil, fee: Double? = nil) -> LossSimulationParameters {
        LossSimulationParameters(a: a ?? self.a, bands: bands ?? self.bands, fee: fee ?? self.fee, halfLifeSeconds: texp, externalFee: extFee,
                                 dynamicFeeMultiplier: dynamicFeeMultiplier, usePriceOracleFee: true, priceOracleFeeDelay: poFeeDelay)
    }

    func validateCommon() throws {
        if let samples, samples < 1 { throw usageFailure("--samples must be at least 1; got \(samples).") }
        if let top, top < 1 { throw usageFailure("--top must be at least 1; got \(top).") }
        guard threads >= 1 else { throw usageFailure("--threads must be at least 1; got \(threads).") }
        guard days.isFinite, days > 0 else { throw usageFailure("--days must be positive; got \(days).") }
        guard position.isFinite, position >= 0, position < 1 else { throw usageFailure("--position must be in [0, 1); got \(position).") }
        guard size.isFinite, size > 0 else { throw usageFailure("--size must be positive; got \(size).") }
    }

    func run() async throws {
        try validateCommon()
        do { try parameters().validate() } catch { throw usageFailure(error.message) }
        let candles = try CandleInput.load(path: prices)
        let series: PriceSeries
        do { series = try PriceSeries(candles: candles, halfLifeSeconds: texp, reversed: reverse) } catch { throw usageFailure(error.message) }
        if let scan {
            try await runScan(scan, series: series)
            return
        }
        let result = try await evaluate(parameters(), series: series)
        print(format(loss: result, parameters: parameters()))
    }

    /// Loss for one parameter set: Monte-Carlo when --samples is given, else the deterministic window.
    func evaluate(_ parameters: LossSimulationParameters, series: PriceSeries) async throws -> Double {
        if let samples {
            let result = await LossSimulator.monteCarlo(series: series, parameters: parameters, samples: samples, days: days,
                                                        top: top ?? Swift.max(1, samples / 20), seed: seed, threads: threads)
            return result.loss
        }
        let rows = series.window(position: position, size: size)
        guard !rows.isEmpty else { throw usageFailure("the window --position \(position) --size \(size) holds no candles.") }
        do { return try LossSimulator.loss(series: series, rows: rows, parameters: parameters) } catch {
            throw usageFailure("the simulation left the AMM's bands far behind the price (Curve's model raises here); try a larger A or N.")
        }
    }

    func format(loss: Double, parameters: LossSimulationParameters) -> String {
        let discount = parameters.liquidationDiscount(loss: loss)
        if json { return "{\"loss\": \(loss), \"liq_discount\": \(discount)}" }
        return "loss\t\(loss)\nliq_discount\t\(discount)"
    }

    func runScan(_ text: String, series: PriceSeries) async throws {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["A", "fee", "bands", "N"].contains(parts[0]) else {
            throw usageFailure("--scan takes A=…, fee=… or bands=… (a list a,b,c or a range start:end:step); got \(text).")
        }
        let name = parts[0] == "N" ? "bands" : parts[0]
        let values = try Self.values(parts[1])
        var rows: [(value: Double, loss: Double, discount: Double)] = []
        for value in values {
            let p: LossSimulationParameters
            switch name {
            case "A": p = parameters(a: Int(value))
            case "bands": p = parameters(bands: Int(value))
            default: p = parameters(fee: value)
            }
            do { try p.validate() } catch { throw usageFailure("\(name)=\(value): \(error.message)") }
            let loss = try await evaluate(p, series: series)
            rows.append((value, loss, p.liquidationDiscount(loss: loss)))
        }
        if json {
            let items = rows.map { "{\"\(name)\": \($0.value), \"loss\": \($0.loss), \"liq_discount\": \($0.discount)}" }
            print("[" + items.joined(separator: ", ") + "]")
        } else {
            print("\(name)\tloss\tliq_discount")
            for row in rows { print("\(Self.label(row.value))\t\(row.loss)\t\(row.discount)") }
        }
        let chart = SVGChart.lines(title: "LLAMMA loss vs \(name) (\(URL(fileURLWithPath: prices).lastPathComponent))", series: [
            .init(name: "loss", color: "#c0392b", points: rows.map { ($0.value, $0.loss) }),
            .init(name: "liq_discount", color: "#2980b9", points: rows.map { ($0.value, $0.discount) }),
        ])
        let path = svg ?? "bands-scan-\(name).svg"
        do { try chart.write(toFile: path, atomically: true, encoding: .utf8) } catch { throw usageFailure("cannot write \(path): \(error.localizedDescription)") }
        FileHandle.standardError.write(Data("wrote \(path)\n".utf8))
    }

    static func label(_ value: Double) -> String { value == value.rounded() && Swift.abs(value) < 1e9 ? String(Int(value)) : "\(value)" }

    /// Parses "a,b,c" or "start:end:step" (inclusive end).
    static func values(_ text: String) throws -> [Double] {
        if text.contains(":") {
            let bounds = text.split(separator: ":").map { Double($0) }
            guard bounds.count == 3, let start = bounds[0], let end = bounds[1], let step = bounds[2], step > 0, end >= start, (end - start) / step <= 10_000 else {
                throw usageFailure("a scan range is start:end:step with step > 0 and end ≥ start; got \(text).")
            }
            var values: [Double] = []
            var index = 0.0
            while start + index * step <= end + step * 1e-9 { values.append(start + index * step); index += 1 }
            return values
        }
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0?.isFinite) ?? false }) else { throw usageFailure("scan values must be numbers separated by commas; got \(text).") }
        return values.compactMap { $0 }
    }
}
