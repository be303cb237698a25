/// A signed 256-bit integer in two's complement over `UInt256`: the EVM's `int256`, only as far as
/// the contract's exp/ln code needs it (`unsafe_add/sub/mul` wrap, `unsafe_div` truncates toward
/// zero like SDIV, `>>` is the arithmetic SAR, `<<` the wrapping SHL).
public struct Int256: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Two's complement bits.
    public var bits: UInt256

    public init(bits: UInt256) { self.bits = bits }

    public init(_ value: Int) {
        if value >= 0 {
            bits = UInt256(UInt64(value))
        } else {
            bits = UInt256.zero.wrappingSubtracting(UInt256(UInt64(value.magnitude)))
        }
    }

    /// A non-negative constant from its decimal digits (constants of the contract's polynomials).
    public init(_ digits: StaticString) {
        let text = digits.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
        guard let value = UInt256(decimal: text), value.w3 >> 63 == 0 else { preconditionFailure("bad Int256 constant \(text)") }
        bits = value
    }

    public static let zero = Int256(bits: .zero)

    public var isNegative: Bool { bits.w3 >> 63 == 1 }
    /// |a| as unsigned (−2^255 gives 2^255).
    public var magnitude: UInt256 { isNegative ? UInt256.zero.wrappingSubtracting(bits) : bits }

    public static func < (lhs: Int256, rhs: Int256) -> Bool {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative }
        return lhs.bits < rhs.bits
    }

    public func wrappingAdding(_ other: Int256) -> Int256 { Int256(bits: bits.wrappingAdding(other.bits)) }
    public func wrappingSubtracting(_ other: Int256) -> Int256 { Int256(bits: bits.wrappingSubtracting(other.bits)) }
    /// a · b modulo 2^256 (the low word of the product is the same for signed and unsigned).
    public func wrappingMultiplied(by other: Int256) -> Int256 { Int256(bits: bits.wrappingMultiplied(by: other.bits)) }

    /// a / b truncated toward zero (SDIV; b = 0 gives 0).
    public func wrappingDivided(by other: Int256) -> Int256 {
        if other.bits.isZero { return .zero }
        let quotient = magnitude.quotientAndRemainder(dividingBy: other.magnitude).quotient
        return isNegative != other.isNegative ? Int256(bits: UInt256.zero.wrappingSubtracting(quotient)) : Int256(bits: quotient)
    }

    /// a · 2^k modulo 2^256 (SHL).
    public func shiftedLeft(_ k: Int) -> Int256 { Int256(bits: bits.shiftedLeft(k)) }

    /// ⌊a / 2^k⌋, rounding toward −∞ (SAR).
    public func shiftedRight(_ k: Int) -> Int256 {
        guard isNegative else { return Int256(bits: bits.shiftedRight(k)) }
        // ⌊a / 2^k⌋ = −⌈|a| / 2^k⌉ = ¬(¬a >> k) in two's complement.
        let inverted = UInt256.max.wrappingSubtracting(bits)
        return Int256(bits: UInt256.max.wrappingSubtracting(inverted.shiftedRight(k)))
    }

    public var description: String { isNegative ? "-\(magnitude)" : bits.description }
}
