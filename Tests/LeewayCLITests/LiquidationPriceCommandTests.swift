import Foundation
import Testing

@Suite("leeway liq-price, run as a process")
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
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: String]
        // Short: W + (entry − p)·q = p·q·mmr → p = (20 + 200) / (2 · 1.01) = 108.9108…, rounded down for a short.
        #expect(object?["liquidation_price"] == "108.9108")
        #expect(object?["bankruptcy_price"] == "110.0000")
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
