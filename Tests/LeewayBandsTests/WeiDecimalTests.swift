import LeewayBands
import Testing

/// Exact decimal text ↔ wei, and every refusal of exact mode's amounts.
@Suite("WeiDecimal: exact amounts in wei")
struct WeiDecimalTests {
    @Test("decimals become value × 10^18 wei and print back unchanged", arguments: [
        ("2.5", "2500000000000000000"),
        ("0.000000000000000001", "1"),
        ("1.000000000000000000000", "1000000000000000000"),  // trailing zeros beyond 18 decimals are not a fraction of a wei
        (".5", "500000000000000000"),
        ("0", "0"),
    ])
    func parses(text: String, wei: String) throws {
        let value = try WeiDecimal.parse(text, field: "amount")
        #expect(value.description == wei)
        #expect(try WeiDecimal.parse(WeiDecimal.text(value), field: "amount") == value)
    }

    @Test("a negative, fractional-wei, malformed or over-2^256 amount is refused with its code", arguments: [
        ("-1", "bands.negative_amount"),
        ("0.0000000000000000001", "bands.fractional_wei"),
        ("1e18", "bands.invalid_field"),
        ("1.2.3", "bands.invalid_field"),
        (" 1", "bands.invalid_field"),
        ("", "bands.invalid_field"),
        ("115792089237316195423570985008687907853269984665640564039458", "bands.amount_too_large"),
    ])
    func refusesDecimals(text: String, code: String) {
        #expect(throws: BandsError.self) { try WeiDecimal.parse(text, field: "amount") }
        do { _ = try WeiDecimal.parse(text, field: "amount") } catch {
            #expect(error.code == code)
            #expect(error.message.contains("amount"))
        }
    }

    @Test("integer wei amounts refuse a sign, a point, other characters and 2^256", arguments: [
        ("-5", "bands.negative_amount"),
        ("5.0", "bands.fractional_wei"),
        ("5x", "bands.invalid_field"),
        ("115792089237316195423570985008687907853269984665640564039457584007913129639936", "bands.amount_too_large"),
    ])
    func refusesIntegers(text: String, code: String) {
        do {
            _ = try WeiDecimal.parseInteger(text, field: "shares")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code == code)
        }
    }

    @Test("the largest amount, 2^256 − 1 wei, is accepted")
    func largestAmount() throws {
        let largest = try WeiDecimal.parseInteger("115792089237316195423570985008687907853269984665640564039457584007913129639935", field: "shares")
        #expect(largest.description == "115792089237316195423570985008687907853269984665640564039457584007913129639935")
    }
}
