import Foundation
import Testing

@Suite("leeway replay, run as a process", .ownThread)
struct ReplayCommandTests {
    /// The type of each event line, in order.
    static func types(_ result: LeewayProcess.Result) -> [String] {
        result.lines.compactMap { line in
            guard let range = line.range(of: #""type":""#) else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    @Test("each shipped example replays to the events its comments describe", arguments: [
        ("examples/cured-margin-call.jsonl", ["warning", "margin_call", "cured", "state"]),
        ("examples/stepped-deleveraging.jsonl",
         ["warning", "margin_call", "rejected", "deleveraging_started", "liquidation_fill", "liquidation_fill", "cured", "warning", "state"]),
        ("examples/gap-to-bankruptcy.jsonl", ["liquidation_fill", "liquidated", "adl_fill", "bankrupt", "state"]),
        ("examples/short-put-hedge.jsonl", ["warning", "margin_call", "rejected", "cured", "state"]),
    ])
    func examplesReplay(file: String, expected: [String]) throws {
        let result = try LeewayProcess.run(["replay", file, "--state"])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        #expect(Self.types(result) == expected)
    }

    @Test("the spec example's margin call has the spec's deadline and is cured by the deposit")
    func specExample() throws {
        let result = try LeewayProcess.run(["replay", "examples/cured-margin-call.jsonl"])
        #expect(result.lines.contains { $0.contains(#""type":"margin_call","account":"alice","equity":"80","maintenance":"90.8","deadline":1700000660000"#) })
        #expect(result.lines.last?.contains(#""type":"cured""#) == true)
        #expect(!result.standardOutput.contains("liquidation_fill"))
    }

    @Test("bad lines on stdin become rejected events with stable codes and processing continues")
    func badLinesAreRejected() throws {
        let input = """
        {"type":"asset","asset":"USDC","price":"1","weight":"1"}
        {"type":"deposit","account":"a","asset":"USDC","amount":"NaN"}
        not json
        {"type":"teleport"}
        {"type":"deposit","account":"a","asset":"USDC"}
        {"type":"deposit","account":"a","asset":"USDC","amount":"-5"}
        {"type":"deposit","account":"a","asset":"USDC","amount":"1.000000001"}
        {"type":"deposit","account":"a","asset":"USDC","amount":"5","colour":"red"}
        {"type":"deposit","account":"a","asset":"USDC","amount":"5"}
        """
        let result = try LeewayProcess.run(["replay", "-", "--state"], input: input)
        #expect(result.status == 0)
        let codes = result.lines.compactMap { line -> String? in
            guard let range = line.range(of: #""code":""#) else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
        #expect(codes == ["invalid_decimal", "malformed_json", "unknown_type", "missing_field", "not_positive", "too_precise", "unknown_field"])
        let commands = result.lines.compactMap { line -> String? in
            guard let range = line.range(of: #""command":"#) else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "," })
        }
        #expect(commands == ["2", "3", "4", "5", "6", "7", "8"])
        // Only the last deposit was applied.
        #expect(result.lines.last?.contains(#""balances":{"USDC":"5"}"#) == true)
    }

    @Test("the same stream gives the same digest on every run")
    func digestIsReproducible() throws {
        let first = try LeewayProcess.run(["replay", "examples/gap-to-bankruptcy.jsonl", "--digest"])
        let second = try LeewayProcess.run(["replay", "examples/gap-to-bankruptcy.jsonl", "--digest"])
        #expect(first.lines.last?.hasPrefix(#"{"type":"digest","digest":""#) == true)
        #expect(first.standardOutput == second.standardOutput)
    }

    @Test("--report prints a trader's margin report: distances, the deposit that cures, liquidation prices")
    func marginReport() throws {
        // Stop the spec example before the curing deposit: alice is in her margin call.
        let text = try String(contentsOf: LeewayProcess.packageRoot.appendingPathComponent("examples/cured-margin-call.jsonl"), encoding: .utf8)
        let beforeDeposit = text.split(separator: "\n").dropLast().joined(separator: "\n")
        let result = try LeewayProcess.run(["replay", "-", "--report", "alice"], input: beforeDeposit)
        #expect(result.status == 0)
        let line = try #require(result.lines.last)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "report")
        let report = try #require(object["report"] as? [String: Any])
        #expect(report["phase"] as? String == "margin_call")
        #expect(report["deadline"] as? Int == 1_700_000_660_000)
        #expect(report["equity"] as? String == "80")
        #expect(report["maintenance"] as? String == "90.8")
        // Cure needs equity ≥ 90.8 × 1.1 = 99.88: a deposit of 19.88.
        #expect(report["deposit_to_cure"] as? String == "19.88")
        #expect(report["distance_to_bankruptcy"] as? String == "80")
        let position = try #require((report["positions"] as? [[String: Any]])?.first)
        #expect(position["bankruptcy_price"] as? String == "9000")
        #expect(position["liquidation_price"] as? String == "9090.90909091")

        let unknown = try LeewayProcess.run(["replay", "examples/cured-margin-call.jsonl", "--report", "nobody"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("no account named \"nobody\""))
    }

    @Test("an unreadable file or a missing argument exits 2 with a message")
    func badArguments() throws {
        let missing = try LeewayProcess.run(["replay", "no-such-file.jsonl"])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("cannot read no-such-file.jsonl"))
        let noFile = try LeewayProcess.run(["replay"])
        #expect(noFile.status == 2)
        #expect(noFile.standardError.contains("file"))
    }
}
