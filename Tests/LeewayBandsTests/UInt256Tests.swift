import LeewayBands
import Testing

/// The 256-bit word of the exact mode: values checked against Python's integers.
@Suite("UInt256")
struct UInt256Tests {
    static func u(_ text: String) -> UInt256 { UInt256(decimal: text)! }
    static let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935"

    @Test("decimal text round-trips, and parsing refuses 2^256 and non-digits", arguments: [
        "0", "1", "18446744073709551615", "18446744073709551616", "340282366920938463463374607431768211456", max,
    ])
    func decimalRoundTrip(text: String) {
        #expect(UInt256(decimal: text)?.description == text)
    }

    @Test("parsing refuses what is not a 256-bit integer", arguments: [
        "115792089237316195423570985008687907853269984665640564039457584007913129639936", "-1", "1.5", "", "1e18",
    ])
    func refusesBadText(text: String) { #expect(UInt256(decimal: text) == nil) }

    struct Case: Sendable, CustomStringConvertible {
        let a: String, b: String, product: String?, quotient: String, remainder: String
        var description: String { "\(a) op \(b)" }
    }

    // Expected values from Python: a*b (None past 2^256), a//b, a%b.
    static let cases: [Case] = [
        Case(a: "3000000000000000000000", b: "1000000000000000000", product: "3000000000000000000000000000000000000000", quotient: "3000", remainder: "0"),
        Case(a: "123456789012345678901234567890123456789012345678901234567890", b: "98765432109876543210987654321", product: nil, quotient: "1249999988609375000142382812499", remainder: "46440971104644097110464409711"),
        Case(a: "115792089237316195423570985008687907853269984665640564039457584007913129639935", b: "340282366920938463463374607431768211457", product: nil, quotient: "340282366920938463463374607431768211455", remainder: "0"),
        Case(a: "115792089237316195423570985008687907853269984665640564039457584007913129639935", b: "18446744073709551617", product: nil, quotient: "6277101735386680763495507056286727952657427581105975853055", remainder: "0"),
        Case(a: "57896044618658097711785492504343953926634992332820282019728792003956564819968", b: "57896044618658097711785492504343953926634992332820282019728792003956564819967", product: nil, quotient: "1", remainder: "1"),
        Case(a: "1000000000000000000000000000000000000000000000", b: "7", product: "7000000000000000000000000000000000000000000000", quotient: "142857142857142857142857142857142857142857142", remainder: "6"),
        Case(a: "6277101735386680763835789423207666416102355444464034512895", b: "6277101735386680763835789423207666416102355444464034512895", product: nil, quotient: "1", remainder: "0"),
        Case(a: "1606938044258990275541962092341162602522202993782792835313721", b: "1361129467683753853853498429727072845827", product: nil, quotient: "1180591620717411303423", remainder: "1361129467683753850311723567574838947900"),
    ]

    @Test("multiplication, division and remainder agree with Python's integers", arguments: cases)
    func arithmetic(c: Case) throws {
        let a = Self.u(c.a), b = Self.u(c.b)
        if let product = c.product {
            #expect(try a.multiplied(by: b) == Self.u(product))
        } else {
            #expect(throws: UInt256.Overflow.self) { try a.multiplied(by: b) }
        }
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        #expect(q == Self.u(c.quotient))
        #expect(r == Self.u(c.remainder))
    }

    @Test("checked operations throw where the contract reverts, the unsafe ones wrap")
    func overflowThrowsNeverTraps() {
        let max = UInt256.max
        #expect(throws: UInt256.Overflow.self) { try max.adding(.one) }
        #expect(throws: UInt256.Overflow.self) { try UInt256.zero.subtracting(.one) }
        #expect(throws: UInt256.Overflow.self) { try UInt256.one.divided(by: .zero) }
        #expect(max.wrappingAdding(.one) == .zero)
        #expect(UInt256.zero.wrappingSubtracting(.one) == max)
        #expect(UInt256.one.wrappingDivided(by: .zero) == .zero)
        #expect(max.wrappingMultiplied(by: 2) == max.wrappingSubtracting(.one))
    }

    @Test("division with remainder rebuilds the dividend across limb sizes")
    func divisionIdentity() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return state ^ (state >> 29) }
        for round in 0..<2000 {
            let a = UInt256(w0: next(), w1: next(), w2: round % 3 == 0 ? 0 : next(), w3: round % 5 == 0 ? 0 : next() >> UInt64(round % 64))
            let width = round % 4
            var b = UInt256(w0: next() | 1, w1: width >= 1 ? next() : 0, w2: width >= 2 ? next() : 0, w3: width >= 3 ? next() >> UInt64(round % 63) : 0)
            if round % 7 == 0 { b = b.shiftedRight(round % 200) }
            if b.isZero { b = .one }
            let (q, r) = a.quotientAndRemainder(dividingBy: b)
            #expect(r < b)
            #expect(try q.multiplied(by: b).adding(r) == a)
        }
    }

    @Test("isqrt is the floor of the square root", arguments: ["0", "1", "3", "4", "1000000000000000000000000000000000000", max])
    func squareRoot(text: String) throws {
        let n = Self.u(text)
        let r = n.squareRoot()
        #expect(try r.multiplied(by: r) <= n)
        let next = r.wrappingAdding(.one)
        let (square, overflow) = next.multipliedReportingOverflow(by: next)
        #expect(overflow || square > n)
    }

    @Test("shifts move bits across limbs")
    func shifts() {
        #expect(UInt256.one.shiftedLeft(255).shiftedRight(255) == .one)
        #expect(UInt256.one.shiftedLeft(256) == .zero)
        #expect(Self.u("18446744073709551616").shiftedRight(1) == Self.u("9223372036854775808"))
        #expect(Int256(-8).shiftedRight(1) == Int256(-4))
        #expect(Int256(-7).shiftedRight(1) == Int256(-4))
        #expect(Int256(-7).wrappingDivided(by: Int256(2)) == Int256(-3))
    }

    @Test("the contract's constants for A = 100: ln_int, wad_ln and isqrt as deployed")
    func bandConstants() throws {
        let ratio = UInt256.wad.wrappingMultiplied(by: 100).wrappingDivided(by: 99)
        #expect(ExactMath.factoryLn(ratio).description == "10050335853501431")
        #expect(ratio.wrappingMultiplied(by: .wad).squareRoot().description == "1005037815259212075")
        #expect(try ExactMath.wadExp(Int256(0)).description == "1000000000000000000")
        #expect(try ExactMath.classicExp(Int256(0)).description == "1000000000000000000")
        #expect(try ExactMath.wadLn(Int256(bits: .wad)).description == "0")
    }
}
