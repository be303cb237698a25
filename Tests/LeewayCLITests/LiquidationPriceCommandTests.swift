import Foundation
import Testing

@Suite("leeway liq-price, run as a process", .ownThread)
struct LiquidationPriceCommandTests {
    @Test("the issue's example: long 1 at 10,000, wallet 1,000, mmr 0.004 -> 9036.1446")
    func example() throws {
        let result = try LeewayProcess.run(["liq-price", "--side", "long", "--size", "1", "--entry", "10000", "--wallet", "1000", "--mmr", "0.004"])
        #expect(result.status == 0)
        #expect(result.lines == ["9036.1446", "bankruptcy price: 9000.0000"])
    }

    @Test("--json prints the liquidation and bankruptcy prices as decimal strings")
    func json() throws {
        let result = try LeewayProcess.run(["liq-price", "--side", "short", "--size", "2", "--entry", "100", "--wallet", "20", "--mmr", "0.01", "--json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        // Short: W + (entry − p)·q = p·q·mmr → p = (20 + 200) / (2 · 1.01) = 108.9108…, rounded down for a short.
        #expect(object?["liquidation_price"] as? String == "108.9108")
        #expect(object?["bankruptcy_price"] as? String == "110.0000")
        #expect(object?["below_maintenance_at_entry"] as? Bool == false)
    }

    @Test("a wallet below maintenance at entry puts the liquidation price beyond the entry, with a warning", arguments: [
        // Long: 30 + (p − 10000) = 0.004·p → p = 9970 / 0.996 = 10010.04…, above the entry.
        ("long", "10010.0402", "at or above"),
        // Short: 30 + (10000 − p) = 0.004·p → p = 10030 / 1.004 = 9990.03…, below the entry.
        ("short", "9990.0398", "at or below"),
    ])
    func warnsWhenLiquidatableAtEntry(side: String, price: String, relation: String) throws {
        let arguments = ["liq-price", "--side", side, "--size", "1", "--entry", "10000", "--wallet", "30", "--mmr", "0.004"]
        let result = try LeewayProcess.run(arguments)
        #expect(result.status == 0)
        #expect(result.lines.first == price)
        #expect(result.standardError.contains("warning: the liquidation price \(price) is \(relation) the entry 10000"))
        #expect(result.standardError.contains("maintenance margin at entry (40.00)"))
        let json = try LeewayProcess.run(arguments + ["--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        #expect(object?["below_maintenance_at_entry"] as? Bool == true)
    }

    @Test("a healthy position prints no warning")
    func noWarningWhenHealthy() throws {
        let result = try LeewayProcess.run(["liq-price", "--side", "long", "--size", "1", "--entry", "10000", "--wallet", "1000", "--mmr", "0.004"])
        #expect(result.standardError.isEmpty)
    }

    @Test("a negative number reaches the range check instead of being taken for an option", arguments: [
        (["--size", "-1"], "--size must be greater than zero (use --side for the direction)"),
        (["--size=-1"], "--size must be greater than zero (use --side for the direction)"),
        (["--size", "-0.5"], "--size must be greater than zero (use --side for the direction)"),
        (["--size", "1", "--wallet", "-5"], "--wallet must not be negative"),
    ])
    func negativeNumbers(options: [String], message: String) throws {
        var arguments = ["liq-price", "--side", "long"] + options
        for (option, value) in [("--entry", "10000"), ("--wallet", "1000"), ("--mmr", "0.004")] where !options.contains(option) {
            arguments += [option, value]
        }
        let result = try LeewayProcess.run(arguments)
        #expect(result.status == 2)
        #expect(result.standardError == "error: \(message)\n")
    }

    @Test("a mistyped option is named with the closest valid one, even when it hides a required option", arguments: [
        (["liq-price", "--side", "long", "--sise", "1", "--entry", "10000", "--wallet", "1000", "--mmr", "0.004"],
         "error: unknown option '--sise' for 'leeway liq-price': did you mean '--size'? (see 'leeway liq-price --help')\n"),
        (["liq-price", "--side", "long", "--size", "1", "--entry", "10000", "--wallet", "1000", "--mmr", "0.004", "--jsn"],
         "error: unknown option '--jsn' for 'leeway liq-price': did you mean '--json'? (see 'leeway liq-price --help')\n"),
        (["backtest", "--prices", "x.json", "--acounts", "10"],
         "error: unknown option '--acounts' for 'leeway backtest': did you mean '--accounts'? (see 'leeway backtest --help')\n"),
        (["bands", "simulate", "--prics", "x.json"],
         "error: unknown option '--prics' for 'leeway bands simulate': did you mean '--prices'? (see 'leeway bands simulate --help')\n"),
        (["liq-price", "--side", "long", "--colour=red"],
         "error: unknown option '--colour' for 'leeway liq-price'; see 'leeway liq-price --help' for its options\n"),
    ])
    func unknownOptionHint(arguments: [String], message: String) throws {
        let result = try LeewayProcess.run(arguments)
        #expect(result.status == 2)
        #expect(result.standardError == message)
        #expect(result.standardOutput.isEmpty)
    }

    @Test("bad arguments exit 2 with a message", arguments: [
        ["liq-price", "--side", "sideways", "--size", "1", "--entry", "10000", "--wallet", "1000", "--mmr", "0.004"],
        ["liq-price", "--side", "long", "--size", "-1", "--entry", "10000", "--wallet", "1000", "--mmr", "0.004"],
        ["liq-price", "--side", "long", "--size", "1", "--entry", "abc", "--wallet", "1000", "--mmr", "0.004"],
        ["liq-price", "--side", "long", "--size", "1", "--entry", "10000", "--wallet", "1000", "--mmr", "1.5"],
        ["liq-price", "--side", "long", "--size", "1", "--entry", "10000", "--wallet", "1000"],
        ["liq-price", "--side", "long", "--size", "1", "--entry", "NaN", "--wallet", "1000", "--mmr", "0.004"],
    ])
    func badArguments(arguments: [String]) throws {
        let result = try LeewayProcess.run(arguments)
        #expect(result.status == 2)
        #expect(!result.standardError.isEmpty)
        #expect(result.standardOutput.isEmpty)
    }
}
