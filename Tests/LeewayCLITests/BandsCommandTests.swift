import Foundation
import Testing

@Suite("leeway bands", .ownThread)
struct BandsCommandTests {
    static let eth = "../shared/data/prices/ethusdt-1m-2024-08-05.json.gz"

    @Test("simulate --json prints Curve's reference loss")
    func simulatePrintsReferenceLoss() throws {
        let result = try LeewayProcess.run(["bands", "simulate", "--prices", Self.eth, "--A", "100", "--bands", "4", "--fee", "0.002", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Double]
        let loss = try #require(object?["loss"])
        #expect(abs(loss - 0.08251464359152028) <= 1e-9 * 0.08251464359152028)
        #expect(object?["liq_discount"] != nil)
    }

    @Test("a scan prints one row per value and writes the SVG")
    func scanWritesTableAndChart() throws {
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("bands-scan-\(UUID().uuidString).svg").path
        let result = try LeewayProcess.run(["bands", "simulate", "--prices", Self.eth, "--fee", "0.002", "--scan", "A=60,100,140", "--svg", svg])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lines.count == 4)
        #expect(result.lines.first == "A\tloss\tliq_discount")
        let chart = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(chart.hasPrefix("<svg") && chart.contains("loss"))
        try? FileManager.default.removeItem(atPath: svg)
    }

    @Test("bad parameters exit 2 with a clear message", arguments: [
        ["--A", "1"], ["--bands", "3"], ["--bands", "51"], ["--fee", "0.5"], ["--texp", "0"], ["--samples", "0"],
    ])
    func badParametersExitTwo(arguments: [String]) throws {
        let result = try LeewayProcess.run(["bands", "simulate", "--prices", Self.eth] + arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains("error"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test("replay prints a state line per operation and stops with exit 2 at a refused line")
    func replayStateLines() throws {
        let input = """
        {"op":"amm","A":100,"base_price":"3000","fee":"0.006","oracle_price":"3000","ts":1700000000000}
        {"op":"deposit","user":"u","amount":"10","n1":5,"n2":14}
        {"op":"oracle","price":"2800","ts":1700001800000}
        {"op":"amount_for_price","price":"2800","ts":1700002400000}
        {"op":"exchange","i":0,"j":1,"amount":"5157.107070545481259889","ts":1700002400000}
        {"op":"withdraw","user":"u","frac":"0.5","ts":1700002400000}
        {"op":"withdraw","user":"u","frac":"2"}
        """
        let result = try LeewayProcess.run(["bands", "replay", "-"], input: input)
        #expect(result.status == 2)
        #expect(result.lines.count == 6)
        #expect(result.standardError.contains("line 7"))
        let exchange = try #require(JSONSerialization.jsonObject(with: Data(result.lines[4].utf8)) as? [String: Any])
        let done = try #require(exchange["exchange_result"] as? [String])
        #expect(abs((Double(done[1]) ?? 0) - 1.865320004128598301) < 1e-12)
        #expect(exchange["active_band"] as? Int == 6)
        let withdrawal = try #require(JSONSerialization.jsonObject(with: Data(result.lines[5].utf8)) as? [String: Any])
        #expect((withdrawal["returned"] as? [String])?.count == 2)
    }
}

@Suite("leeway bands replay --exact", .ownThread)
struct BandsExactReplayCommandTests {
    static let steps = """
    {"op":"amm","A":100,"base_price":"3000","fee":"0.006","oracle_price":"3000","ts":1700000000000}
    {"op":"deposit","user":"u","amount":"10","n1":5,"n2":14}
    {"op":"oracle","price":"2800","ts":1700001800000}
    {"op":"exchange","i":0,"j":1,"amount":"100","ts":1700002400000}
    """

    @Test("--exact prints every amount as a decimal with its wei integer beside it, for both contract versions", arguments: ["classic", "head"])
    func exactStateLines(version: String) throws {
        let result = try LeewayProcess.run(["bands", "replay", "--exact", "--version", version, "-"], input: Self.steps)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lines.count == 4)
        let exchange = try #require(JSONSerialization.jsonObject(with: Data(result.lines[3].utf8)) as? [String: Any])
        let keys = Set(exchange.keys)
        #expect(keys.contains { $0.hasSuffix("_wei") }, "\(keys.sorted())")
    }

    @Test("exact mode refuses a negative or fractional-wei amount with exit 2 and the reason, and --version without --exact", arguments: [
        (["bands", "replay", "--exact", "-"], #"{"op":"amm","A":100,"base_price":"3000","fee":"0.006","oracle_price":"3000","ts":1700000000000}"# + "\n" + #"{"op":"deposit","user":"u","amount":"-1","n1":5,"n2":14}"#, "negative"),
        (["bands", "replay", "--exact", "-"], #"{"op":"amm","A":100,"base_price":"3000","fee":"0.006","oracle_price":"3000","ts":1700000000000}"# + "\n" + #"{"op":"deposit","user":"u","amount":"0.0000000000000000001","n1":5,"n2":14}"#, "fraction of a wei"),
        (["bands", "replay", "--version", "head", "-"], "", "--exact"),
    ])
    func exactRefusals(arguments: [String], input: String, reason: String) throws {
        let result = try LeewayProcess.run(arguments, input: input)
        #expect(result.status == 2)
        #expect(result.standardError.contains(reason), "\(result.standardError)")
    }
}

@Suite("leeway bands bench", .ownThread)
struct BandsBenchCommandTests {
    @Test("bench prints one row per thread count with the ratio to Curve's Python")
    func benchPrintsRows() throws {
        let result = try LeewayProcess.run(["bands", "bench", "--samples", "500", "--threads", "2"])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = result.lines.filter { $0.hasPrefix("1\t") || $0.hasPrefix("2\t") }
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.contains("×") })
    }

    @Test("bench takes Curve's simulator's measured seconds per sample for the ratio, and refuses a value that is not positive")
    func benchTakesMeasuredPythonSeconds() throws {
        let measured = try LeewayProcess.run(["bands", "bench", "--samples", "200", "--threads", "1", "--python-seconds", "0.005"])
        #expect(measured.status == 0, "\(measured.standardError)")
        #expect(measured.lines.contains { $0.contains("5.000 ms/sample, measured") })
        for bad in ["0", "-1", "nan"] {
            let refused = try LeewayProcess.run(["bands", "bench", "--samples", "200", "--python-seconds", bad])
            #expect(refused.status == 2, "--python-seconds \(bad)")
            #expect(refused.standardError.contains("--python-seconds"))
        }
    }
}
