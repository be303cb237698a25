import Testing
@testable import LeewayCore

/// `Fixed(_:rounding:)`: binary64 → 10⁻⁸ units, floor or ceiling of the exact value.
@Suite("Fixed from a binary64 value")
struct FixedFromDoubleTests {
    @Test("floor and ceiling of the exact value", arguments: [
        (1.5, 150_000_000, 150_000_000),
        (0.1, 10_000_000, 10_000_001),  // 0.1 is 0.1000000000000000055…: × 10⁸ = 10 000 000.000000000555…
        (0.3, 29_999_999, 30_000_000),  // 0.3 is 0.2999999999999999888…: floor is one unit below 0.3
        (-0.3, -30_000_000, -29_999_999),
        (123.456789012, 12_345_678_901, 12_345_678_902),
        (0, 0, 0),
        (1e-9, 0, 1),
    ] as [(Double, Int64, Int64)])
    func floorAndCeiling(value: Double, down: Int64, up: Int64) throws {
        #expect(try Fixed(value, rounding: .down).raw == down)
        #expect(try Fixed(value, rounding: .up).raw == up)
    }

    @Test("an integer product below 2^53 with a negative rounding error goes one unit down")
    func integerProductWithNegativeError() throws {
        // 6233.47347958 × 10⁸ rounds to exactly 623 347 347 958 in binary64, but the exact product
        // of the double (6233.4734795799997…) and 10⁸ is just below it.
        let value = 6233.47347958
        #expect(value * 1e8 == 623_347_347_958)
        #expect(try Fixed(value, rounding: .down).raw == 623_347_347_957)
        #expect(try Fixed(value, rounding: .up).raw == 623_347_347_958)
    }

    @Test("large values keep every unit", arguments: [9.0e10, 12_345_678_901.25, 90_000_000_000.123])
    func largeValues(value: Double) throws {
        let down = try Fixed(value, rounding: .down).raw, up = try Fixed(value, rounding: .up).raw
        #expect(up - down <= 1)
        #expect(Double(down) <= value * 1e8 && value * 1e8 <= Double(up))
    }

    @Test("NaN, infinities and values beyond Fixed's range throw", arguments: [Double.nan, .infinity, -.infinity, 1e11, -1e11])
    func outOfRange(value: Double) {
        #expect(throws: ArithmeticError.overflow) { try Fixed(value, rounding: .down) }
    }
}
