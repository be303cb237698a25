import Foundation
import LeewayCore
import LeewayWire
import Testing

@Suite("leeway tune, run as a process", .ownThread)
struct TuneCommandTests {
    static let btc = "../shared/data/prices/btcusdt-1m-2024-08-05.json.gz"
    static let tiny = ["tune", "--prices", btc, "--accounts", "150", "--seed", "4", "--candidates", "6"]

    @Test("tune runs end to end on a real file: frontier, comparison, a policy command in --out and an offline HTML report")
    func endToEnd() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-tune-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let policy = directory.appendingPathComponent("policy.json").path, report = directory.appendingPathComponent("tune.html").path
        let result = try LeewayProcess.run(Self.tiny + ["--out", policy, "--report", report])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("Pareto frontier"))
        #expect(result.standardOutput.contains("accounts_liquidated"))
        // Units beside the metrics, and a verdict against the baseline (or why there is none).
        #expect(result.standardOutput.contains("deficit_total                      USDC"))
        let verdict = result.standardOutput.split(separator: "\n").first { $0.hasPrefix("recommended c") && $0.contains(" vs hard: ") }
        #expect(verdict != nil || result.standardOutput.contains("No candidate was as solvent as the baseline"))
        // The recommendation is a policy command the engine's decoder reads back.
        let text = try String(contentsOfFile: policy, encoding: .utf8).trimmingCharacters(in: .newlines)
        guard case .command(let envelope) = CommandDecoder.decodeLine(Substring(text), lineNumber: 1), case .policy(let decoded, _, _) = envelope.command else {
            Issue.record("--out is not a policy command: \(text)")
            return
        }
        #expect((try? decoded.validate()) != nil)
        #expect(PolicyEncoder.command(decoded) == text)  // writing what was read gives the same text
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg") && html.contains("<circle"))
        #expect(html.contains("<h2>Verdict</h2>"))
        #expect(!html.contains("<script") && !html.contains("src="))
    }

    @Test("tune is deterministic for a seed whatever the thread count")
    func deterministic() throws {
        let one = try LeewayProcess.run(Self.tiny + ["--json", "--threads", "1"])
        let two = try LeewayProcess.run(Self.tiny + ["--json", "--threads", "2"])
        #expect(one.status == 0)
        #expect(one.standardOutput == two.standardOutput)
        #expect(one.standardOutput.contains(#""policy":{"type":"policy""#))
    }

    @Test("bad tune input exits 2 with a message and writes nothing", arguments: [
        (["--candidates", "0"], "candidates"),
        (["--space", "/nonexistent/space.json"], "cannot read"),
        (["--space", "EMPTY"], "empty"),
        (["--space", "BAD"], "colour"),
        (["--baseline", "nonsense"], "baseline"),
        (["--policy", "hard"], "--baseline"),
    ])
    func badInput(extra: [String], fragment: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-tune-bad-\(getpid())-\(fragment.hashValue)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("empty.json").path, bad = directory.appendingPathComponent("bad.json").path
        try "  \n".write(toFile: empty, atomically: true, encoding: .utf8)
        try #"{"colour": {"min": "1", "max": "2"}}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("policy.json").path
        let arguments = extra.map { $0 == "EMPTY" ? empty : $0 == "BAD" ? bad : $0 }
        let result = try LeewayProcess.run(["tune", "--prices", Self.btc, "--accounts", "50", "--out", out] + arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains(fragment), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
