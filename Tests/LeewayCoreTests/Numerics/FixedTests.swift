import LeewayCore
import Testing

@Suite("Fixed-point decimals")
struct FixedTests {
    @Test("parses and prints decimals exactly", arguments: [
        ("0", "0"), ("1", "1"), ("-1", "-1"), ("10000.5", "10000.5"), ("0.00000001", "0.00000001"),
        ("1.50000000", "1.5"), ("-0.004", "-0.004"), ("92233720368.54775807", "92233720368.54775807"),
        ("1e3", "1000"), ("1.5E-2", "0.015"), ("000123.4500", "123.45"),
    ])
    func roundTrip(input: String, canonical: String) throws {
        #expect(try Fixed(parsing: input).description == canonical)
    }

    @Test("refuses what is not an exact in-range decimal", arguments: [
        ("", "invalid_decimal"), ("NaN", "invalid_decimal"), ("Infinity", "invalid_decimal"), ("+1", "invalid_decimal"),
        (" 1", "invalid_decimal"), ("1.", "invalid_decimal"), (".", "invalid_decimal"), ("1.2.3", "invalid_decimal"),
        ("0.000000001", "too_precise"), ("1.123456789", "too_precise"), ("92233720368.54775808", "out_of_range"),
        ("1e50", "out_of_range"), ("1e-9", "too_precise"), ("abc", "invalid_decimal"),
    ])
    func refusals(input: String, code: String) {
        #expect(throws: DecimalParseError.self) { try Fixed(parsing: input) }
        do { _ = try Fixed(parsing: input) } catch { #expect(error.code.rawValue == code) }
    }

    @Test("division rounds in the named direction", arguments: [
        (RoundingRule.down, "3.33333333", "-3.33333334"), (.up, "3.33333334", "-3.33333333"),
        (.towardZero, "3.33333333", "-3.33333333"), (.awayFromZero, "3.33333334", "-3.33333334"),
        (.toNearestOrEven, "3.33333333", "-3.33333333"),
    ])
    func divisionRounding(rule: RoundingRule, positive: String, negative: String) throws {
        let ten = try Fixed(10), three = try Fixed(3)
        #expect(try ten.divided(by: three, rounding: rule).description == positive)
        #expect(try ten.negated.divided(by: three, rounding: rule).description == negative)
    }

    @Test("overflow and division by zero are errors, not traps")
    func overflowIsAnError() throws {
        #expect(throws: ArithmeticError.overflow) { try Fixed.max.adding(.ulp) }
        #expect(throws: ArithmeticError.overflow) { try Fixed.min.subtracting(.ulp) }
        #expect(throws: ArithmeticError.overflow) { try Fixed.max.multiplied(by: try Fixed(2), rounding: .down) }
        #expect(throws: ArithmeticError.divisionByZero) { try Fixed.one.divided(by: .zero, rounding: .down) }
    }

    @Test("formatting to fewer digits rounds as told")
    func formatting() throws {
        let price = try Fixed(parsing: "9036.14457831")
        #expect(try price.formatted(digits: 4, rounding: .up) == "9036.1446")
        #expect(try price.formatted(digits: 4, rounding: .down) == "9036.1445")
        #expect(try Fixed(5).formatted(digits: 2, rounding: .down) == "5.00")
    }

    /// The reference: floor/ceil division written with Int128's own `/` and `%` only.
    static func referenceDivide(_ n: Int128, _ d: Int128, _ rule: RoundingRule) -> Int128 {
        let q = n / d, r = n % d
        guard r != 0 else { return q }
        let negative = (n < 0) != (d < 0)
        switch rule {
        case .towardZero: return q
        case .awayFromZero: return negative ? q - 1 : q + 1
        case .down: return negative ? q - 1 : q
        case .up: return negative ? q : q + 1
        case .toNearestOrEven:
            let twice = r.magnitude * 2, divisor = d.magnitude
            if twice > divisor { return negative ? q - 1 : q + 1 }
            if twice < divisor { return q }
            return q % 2 == 0 ? q : (negative ? q - 1 : q + 1)
        }
    }

    @Test("the 64-bit fast path of wide division agrees with generic 128-bit division")
    func wideDivisionFastPathMatchesReference() {
        var generator = SeededGenerator(seed: 7)
        let rules: [RoundingRule] = [.down, .up, .towardZero, .awayFromZero, .toNearestOrEven]
        for _ in 0..<20_000 {
            let a = Int64.random(in: -Int64.max...Int64.max, using: &generator) >> Int64.random(in: 0...62, using: &generator)
            let b = Int64.random(in: -Int64.max...Int64.max, using: &generator) >> Int64.random(in: 0...62, using: &generator)
            var d = Int128(Int64.random(in: -Int64.max...Int64.max, using: &generator) >> Int64.random(in: 0...62, using: &generator))
            if d == 0 { d = 3 }
            if Bool.random(using: &generator) { d = Int128(Fixed.scale) * (d < 0 ? -1 : 1) }
            let n = Int128(a) * Int128(b)
            for rule in rules {
                #expect(Int128.divide(n, by: d, rounding: rule) == Self.referenceDivide(n, d, rule), "\(n) / \(d) \(rule)")
            }
        }
        // Ties and the largest quotients that still fit 64 bits.
        #expect(Int128.divide(5, by: 2, rounding: .toNearestOrEven) == 2)
        #expect(Int128.divide(-7, by: 2, rounding: .toNearestOrEven) == -4)
        let big = Int128(UInt64.max) * 3 + 2
        #expect(Int128.divide(big, by: 3, rounding: .up) == Int128(UInt64.max) + 1)
        #expect(Int128.divide(-big, by: 3, rounding: .down) == -Int128(UInt64.max) - 1)
    }
}
