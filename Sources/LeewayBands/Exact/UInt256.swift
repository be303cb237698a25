/// An unsigned 256-bit integer: the EVM's word, for emulating the contract's arithmetic exactly.
///
/// Four 64-bit limbs, least significant first, on the stack (no allocation). Two families of
/// operations mirror Vyper's: the checked ones (`adding`, `subtracting`, `multiplied`, `divided`,
/// `remainder`) throw `UInt256.Overflow` where the contract reverts (overflow, underflow, division by
/// zero), never trap; the `wrapping…` ones are the contract's `unsafe_add/sub/mul/div` (modulo 2^256,
/// x / 0 = 0 as the EVM's DIV). Division truncates (rounds toward zero), as the EVM's DIV.
public struct UInt256: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Limbs, least significant first.
    public var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// Thrown where the contract's checked arithmetic reverts.
    public struct Overflow: Error, Sendable, Equatable, CustomStringConvertible {
        public let operation: String
        public var description: String { "256-bit \(operation) out of range (the contract reverts)" }
    }

    public init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    public init(_ value: UInt64) { self.init(w0: value, w1: 0, w2: 0, w3: 0) }

    public init(_ value: Int) {
        precondition(value >= 0, "UInt256(Int) takes a non-negative value")
        self.init(UInt64(value))
    }

    public init(_ value: UInt128) { self.init(w0: UInt64(truncatingIfNeeded: value), w1: UInt64(truncatingIfNeeded: value >> 64), w2: 0, w3: 0) }

    public static let zero = UInt256(0 as UInt64)
    public static let one = UInt256(1 as UInt64)
    public static let max = UInt256(w0: .max, w1: .max, w2: .max, w3: .max)
    /// 10^18: one coin in wei, and 1.0 in the contract's fixed point.
    public static let wad = UInt256(1_000_000_000_000_000_000 as UInt64)

    /// 10^k for k ≤ 77.
    public static func pow10(_ k: Int) -> UInt256 {
        var result = UInt256.one
        for _ in 0..<k { result = result.wrappingMultiplied(by: UInt256(10 as UInt64)) }
        return result
    }

    public var isZero: Bool { (w0 | w1 | w2 | w3) == 0 }
    /// The value as UInt128 when the two upper limbs are zero.
    var low128: UInt128? { (w2 | w3) == 0 ? UInt128(w1) << 64 | UInt128(w0) : nil }
    subscript(limb index: Int) -> UInt64 {
        switch index { case 0: w0; case 1: w1; case 2: w2; default: w3 }
    }

    /// Number of significant bits (0 for zero).
    public var bitWidth: Int {
        if w3 != 0 { return 256 - w3.leadingZeroBitCount }
        if w2 != 0 { return 192 - w2.leadingZeroBitCount }
        if w1 != 0 { return 128 - w1.leadingZeroBitCount }
        return 64 - w0.leadingZeroBitCount
    }

    public static func < (lhs: UInt256, rhs: UInt256) -> Bool {
        if lhs.w3 != rhs.w3 { return lhs.w3 < rhs.w3 }
        if lhs.w2 != rhs.w2 { return lhs.w2 < rhs.w2 }
        if lhs.w1 != rhs.w1 { return lhs.w1 < rhs.w1 }
        return lhs.w0 < rhs.w0
    }

    // MARK: Addition and subtraction

    /// a + b modulo 2^256 and whether it wrapped.
    public func addingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (r0, c0) = w0.addingReportingOverflow(other.w0)
        var (r1, c1) = w1.addingReportingOverflow(other.w1)
        var c: Bool
        if c0 { (r1, c) = r1.addingReportingOverflow(1); c1 = c1 || c }
        var (r2, c2) = w2.addingReportingOverflow(other.w2)
        if c1 { (r2, c) = r2.addingReportingOverflow(1); c2 = c2 || c }
        var (r3, c3) = w3.addingReportingOverflow(other.w3)
        if c2 { (r3, c) = r3.addingReportingOverflow(1); c3 = c3 || c }
        return (UInt256(w0: r0, w1: r1, w2: r2, w3: r3), c3)
    }

    /// a − b modulo 2^256 and whether it borrowed.
    public func subtractingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (r0, b0) = w0.subtractingReportingOverflow(other.w0)
        var (r1, b1) = w1.subtractingReportingOverflow(other.w1)
        var b: Bool
        if b0 { (r1, b) = r1.subtractingReportingOverflow(1); b1 = b1 || b }
        var (r2, b2) = w2.subtractingReportingOverflow(other.w2)
        if b1 { (r2, b) = r2.subtractingReportingOverflow(1); b2 = b2 || b }
        var (r3, b3) = w3.subtractingReportingOverflow(other.w3)
        if b2 { (r3, b) = r3.subtractingReportingOverflow(1); b3 = b3 || b }
        return (UInt256(w0: r0, w1: r1, w2: r2, w3: r3), b3)
    }

    /// a + b; throws past 2^256 − 1 (Vyper's checked `+`).
    public func adding(_ other: UInt256) throws(Overflow) -> UInt256 {
        let (value, overflow) = addingReportingOverflow(other)
        if overflow { throw Overflow(operation: "addition") }
        return value
    }

    /// a − b; throws below zero (Vyper's checked `-`).
    public func subtracting(_ other: UInt256) throws(Overflow) -> UInt256 {
        let (value, overflow) = subtractingReportingOverflow(other)
        if overflow { throw Overflow(operation: "subtraction") }
        return value
    }

    /// a + b modulo 2^256 (`unsafe_add`).
    public func wrappingAdding(_ other: UInt256) -> UInt256 { addingReportingOverflow(other).partialValue }
    /// a − b modulo 2^256 (`unsafe_sub`).
    public func wrappingSubtracting(_ other: UInt256) -> UInt256 { subtractingReportingOverflow(other).partialValue }

    // MARK: Multiplication

    /// The full 512-bit product as (high, low) words.
    public func multipliedFullWidth(by other: UInt256) -> (high: UInt256, low: UInt256) {
        var r: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &r) { raw in
            let out = raw.bindMemory(to: UInt64.self)
            for i in 0..<4 {
                let a = self[limb: i]
                if a == 0 { continue }
                var carry: UInt64 = 0
                for j in 0..<4 {
                    let (high, low) = a.multipliedFullWidth(by: other[limb: j])
                    let (s1, c1) = out[i + j].addingReportingOverflow(low)
                    let (s2, c2) = s1.addingReportingOverflow(carry)
                    out[i + j] = s2
                    carry = high &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
                }
                out[i + 4] = carry
            }
        }
        return (UInt256(w0: r.4, w1: r.5, w2: r.6, w3: r.7), UInt256(w0: r.0, w1: r.1, w2: r.2, w3: r.3))
    }

    /// a · b modulo 2^256 and whether it wrapped.
    public func multipliedReportingOverflow(by other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        if let a = low128, let b = other.low128, a >> 64 == 0 || b >> 64 == 0 {
            let (high, low) = a.multipliedFullWidth(by: b)
            return (UInt256(w0: UInt64(truncatingIfNeeded: low), w1: UInt64(truncatingIfNeeded: low >> 64),
                            w2: UInt64(truncatingIfNeeded: high), w3: UInt64(truncatingIfNeeded: high >> 64)), false)
        }
        let (high, low) = multipliedFullWidth(by: other)
        return (low, !high.isZero)
    }

    /// a · b; throws past 2^256 − 1 (Vyper's checked `*`).
    public func multiplied(by other: UInt256) throws(Overflow) -> UInt256 {
        let (value, overflow) = multipliedReportingOverflow(by: other)
        if overflow { throw Overflow(operation: "multiplication") }
        return value
    }

    /// a · b modulo 2^256 (`unsafe_mul`).
    public func wrappingMultiplied(by other: UInt256) -> UInt256 { multipliedReportingOverflow(by: other).partialValue }

    // MARK: Division

    /// ⌊a / b⌋; throws for b = 0 (Vyper's checked `/` and `//`).
    public func divided(by other: UInt256) throws(Overflow) -> UInt256 {
        if other.isZero { throw Overflow(operation: "division by zero") }
        return quotientAndRemainder(dividingBy: other).quotient
    }

    /// a mod b; throws for b = 0 (Vyper's checked `%`).
    public func remainder(dividingBy other: UInt256) throws(Overflow) -> UInt256 {
        if other.isZero { throw Overflow(operation: "modulo by zero") }
        return quotientAndRemainder(dividingBy: other).remainder
    }

    /// ⌊a / b⌋, and 0 for b = 0 (`unsafe_div`, the EVM's DIV).
    public func wrappingDivided(by other: UInt256) -> UInt256 {
        other.isZero ? .zero : quotientAndRemainder(dividingBy: other).quotient
    }

    /// Truncating division with remainder (b ≠ 0): 128-bit hardware path when both fit, a one-limb
    /// short division, else Knuth's algorithm D on 64-bit limbs.
    public func quotientAndRemainder(dividingBy divisor: UInt256) -> (quotient: UInt256, remainder: UInt256) {
        precondition(!divisor.isZero, "division by zero")
        if self < divisor { return (.zero, self) }
        if let a = low128, let b = divisor.low128 {
            let (q, r) = a.quotientAndRemainder(dividingBy: b)
            return (UInt256(q), UInt256(r))
        }
        let divisorWidth = (divisor.bitWidth + 63) / 64
        if divisorWidth == 1 { return shortDivision(by: divisor.w0) }
        return longDivision(by: divisor, limbs: divisorWidth)
    }

    func shortDivision(by d: UInt64) -> (quotient: UInt256, remainder: UInt256) {
        var r: UInt64 = 0
        var q: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        (q.3, r) = d.dividingFullWidth((r, w3))
        (q.2, r) = d.dividingFullWidth((r, w2))
        (q.1, r) = d.dividingFullWidth((r, w1))
        (q.0, r) = d.dividingFullWidth((r, w0))
        return (UInt256(w0: q.0, w1: q.1, w2: q.2, w3: q.3), UInt256(r))
    }

    func longDivision(by divisor: UInt256, limbs n: Int) -> (quotient: UInt256, remainder: UInt256) {
        let shift = divisor[limb: n - 1].leadingZeroBitCount
        let v = divisor.shiftedLeft(shift)
        let uHigh: UInt64 = shift == 0 ? 0 : w3 >> UInt64(64 - shift)
        let uShifted = shiftedLeft(shift)
        var u: (UInt64, UInt64, UInt64, UInt64, UInt64) = (uShifted.w0, uShifted.w1, uShifted.w2, uShifted.w3, uHigh)
        var q: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let m = 4 - n
        withUnsafeMutableBytes(of: &u) { uRaw in
            withUnsafeMutableBytes(of: &q) { qRaw in
                let un = uRaw.bindMemory(to: UInt64.self)
                let qn = qRaw.bindMemory(to: UInt64.self)
                let vTop = v[limb: n - 1], vNext = v[limb: n - 2]
                var j = m
                while j >= 0 {
                    let numerator = UInt128(un[j + n]) << 64 | UInt128(un[j + n - 1])
                    var qhat = numerator / UInt128(vTop)
                    var rhat = numerator % UInt128(vTop)
                    while qhat >> 64 != 0 || qhat * UInt128(vNext) > (rhat << 64 | UInt128(un[j + n - 2])) {
                        qhat -= 1
                        rhat += UInt128(vTop)
                        if rhat >> 64 != 0 { break }
                    }
                    var borrow: UInt64 = 0, carry: UInt64 = 0
                    for i in 0..<n {
                        let product = qhat * UInt128(v[limb: i]) + UInt128(carry)
                        carry = UInt64(truncatingIfNeeded: product >> 64)
                        let (d1, b1) = un[i + j].subtractingReportingOverflow(UInt64(truncatingIfNeeded: product))
                        let (d2, b2) = d1.subtractingReportingOverflow(borrow)
                        un[i + j] = d2
                        borrow = (b1 ? 1 : 0) + (b2 ? 1 : 0)
                    }
                    let (t1, b1) = un[j + n].subtractingReportingOverflow(carry)
                    let (t2, b2) = t1.subtractingReportingOverflow(borrow)
                    un[j + n] = t2
                    if b1 || b2 {
                        qhat -= 1
                        var addCarry: UInt64 = 0
                        for i in 0..<n {
                            let (s1, c1) = un[i + j].addingReportingOverflow(v[limb: i])
                            let (s2, c2) = s1.addingReportingOverflow(addCarry)
                            un[i + j] = s2
                            addCarry = (c1 ? 1 : 0) + (c2 ? 1 : 0)
                        }
                        un[j + n] &+= addCarry
                    }
                    qn[j] = UInt64(truncatingIfNeeded: qhat)
                    j -= 1
                }
            }
        }
        let remainderShifted = UInt256(w0: u.0, w1: u.1, w2: u.2, w3: u.3)
        var remainder = remainderShifted.shiftedRight(shift)
        if shift > 0, n == 4 { remainder.w3 |= u.4 << UInt64(64 - shift) }
        return (UInt256(w0: q.0, w1: q.1, w2: q.2, w3: q.3), remainder)
    }

    // MARK: Shifts, roots, powers

    /// a · 2^k modulo 2^256 (the EVM's SHL; k ≥ 256 gives 0).
    public func shiftedLeft(_ k: Int) -> UInt256 {
        if k <= 0 { return k == 0 ? self : shiftedRight(-k) }
        if k >= 256 { return .zero }
        let limbs = k / 64, bits = UInt64(k % 64)
        func part(_ i: Int) -> UInt64 {
            let source = i - limbs
            if source < 0 { return 0 }
            var value = self[limb: source] << bits
            if bits > 0, source > 0 { value |= self[limb: source - 1] >> (64 - bits) }
            return value
        }
        return UInt256(w0: part(0), w1: part(1), w2: part(2), w3: part(3))
    }

    /// ⌊a / 2^k⌋ (the EVM's SHR; k ≥ 256 gives 0).
    public func shiftedRight(_ k: Int) -> UInt256 {
        if k <= 0 { return k == 0 ? self : shiftedLeft(-k) }
        if k >= 256 { return .zero }
        let limbs = k / 64, bits = UInt64(k % 64)
        func part(_ i: Int) -> UInt64 {
            let source = i + limbs
            if source > 3 { return 0 }
            var value = self[limb: source] >> bits
            if bits > 0, source < 3 { value |= self[limb: source + 1] << (64 - bits) }
            return value
        }
        return UInt256(w0: part(0), w1: part(1), w2: part(2), w3: part(3))
    }

    /// ⌊√a⌋ (Vyper's `isqrt`): Newton's iteration from a power of two above the root, which decreases
    /// monotonically to the floor.
    public func squareRoot() -> UInt256 {
        if isZero { return .zero }
        var x = UInt256.one.shiftedLeft((bitWidth + 1) / 2)
        while true {
            let y = x.wrappingAdding(wrappingDivided(by: x)).shiftedRight(1)
            if y >= x { return x }
            x = y
        }
    }

    // MARK: Text

    /// The decimal digits.
    public var description: String {
        if isZero { return "0" }
        var chunks: [UInt64] = []
        var value = self
        let base = UInt64(10_000_000_000_000_000_000 as UInt64)
        while !value.isZero {
            let (q, r) = value.shortDivision(by: base)
            chunks.append(r.w0)
            value = q
        }
        var text = String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let digits = String(chunk)
            text += String(repeating: "0", count: 19 - digits.count) + digits
        }
        return text
    }

    /// Parses decimal digits; nil for anything else or a value ≥ 2^256.
    public init?(decimal text: some StringProtocol) {
        guard !text.isEmpty else { return nil }
        var value = UInt256.zero
        for character in text.utf8 {
            guard character >= 48, character <= 57 else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: UInt256(10 as UInt64))
            let (next, o2) = times10.addingReportingOverflow(UInt256(UInt64(character - 48)))
            if o1 || o2 { return nil }
            value = next
        }
        self = value
    }

    /// The nearest binary64 (for float comparisons and display).
    public var doubleValue: Double {
        var result = 0.0
        for limb in [w3, w2, w1, w0] { result = result * 18_446_744_073_709_551_616.0 + Double(limb) }
        return result
    }
}

extension UInt256: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: UInt64) { self.init(value) }
}
