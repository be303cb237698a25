/// Exact conversion between `Fixed` and decimal text.
extension Fixed: CustomStringConvertible {
    /// The canonical decimal text: an optional `-`, the integer part, and a fractional part only if
    /// non-zero, with no trailing zeros (`"9036.14457831"`, `"1000"`, `"-0.5"`, `"0"`).
    public var description: String { Self.decimalText(raw: Int128(raw)) }

    /// The canonical decimal text of a raw count of 10⁻⁸ units (shared with `WideAmount`).
    static func decimalText(raw: Int128) -> String {
        let magnitude = raw.magnitude
        let scale = UInt128(Fixed.scale)
        var fraction = magnitude % scale
        var text = raw < 0 ? "-" : ""
        text += String(magnitude / scale)
        if fraction != 0 {
            var digits = Fixed.fractionDigits
            while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
            let fractionText = String(fraction)
            text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
        }
        return text
    }

    /// Text with exactly `digits` fractional digits, rounded in the given direction (for display).
    public func formatted(digits: Int, rounding: RoundingRule) throws(ArithmeticError) -> String {
        let value = try rounded(toDigits: digits, rounding: rounding)
        var text = value.description
        guard digits > 0 else { return text }
        if let dot = text.firstIndex(of: ".") {
            let present = text.distance(from: text.index(after: dot), to: text.endIndex)
            text += String(repeating: "0", count: digits - present)
        } else {
            text += "." + String(repeating: "0", count: digits)
        }
        return text
    }

    /// Parses a decimal exactly: `[-]digits[.digits][e[±]digits]`.
    ///
    /// Refuses empty text, signs other than a leading `-`, white space, `NaN`/`Infinity`, more than
    /// 8 significant fractional digits (`tooPrecise`), and values outside the range (`outOfRange`).
    /// Nothing is ever rounded.
    public init(parsing text: String) throws(DecimalParseError) {
        var utf8 = text
        // The text's own bytes, without copying them into an array (the journal's replay and a
        // snapshot's read parse millions of amounts).
        let parsed = utf8.withUTF8 { bytes in Result { () throws(DecimalParseError) in try Fixed(parsingUTF8: bytes) } }
        self = try parsed.get()
    }

    /// `init(parsing:)` over UTF-8 bytes.
    public init(parsingUTF8 utf8: UnsafeBufferPointer<UInt8>) throws(DecimalParseError) {
        var text: String { String(decoding: utf8, as: UTF8.self) }  // for messages only
        var bytes = utf8[...]
        guard !bytes.isEmpty else { throw .invalid("an empty string is not a decimal") }
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        var mantissa: Int128 = 0
        var fractionDigits = 0
        var sawDigit = false
        var sawDot = false
        var digitsAfterDot = 0
        var exponent = 0
        var index = bytes.startIndex
        let digitLimit: Int128 = Int128(1) << 100
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                sawDigit = true
                if sawDot { digitsAfterDot += 1 }
                if mantissa < digitLimit {
                    mantissa = mantissa * 10 + Int128(byte - UInt8(ascii: "0"))
                    if sawDot { fractionDigits += 1 }
                } else {
                    throw .outOfRange("\"\(text)\" has too many digits")
                }
            } else if byte == UInt8(ascii: ".") && !sawDot && sawDigit {
                sawDot = true
            } else if (byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")) && sawDigit && (!sawDot || digitsAfterDot > 0) {
                let exponentText = String(decoding: bytes[bytes.index(after: index)...], as: UTF8.self)
                guard let value = Int(exponentText), exponentText.first != "+" || exponentText.count > 1 else {
                    throw .invalid("\"\(text)\" has an invalid exponent")
                }
                guard (-40...40).contains(value) else { throw .outOfRange("\"\(text)\" has an exponent beyond the engine's range") }
                exponent = value
                index = bytes.endIndex
                break
            } else {
                throw .invalid("\"\(text)\" is not a decimal number (expected digits, an optional '-' and '.')")
            }
            index = bytes.index(after: index)
        }
        guard sawDigit, !sawDot || digitsAfterDot > 0 else { throw .invalid("\"\(text)\" is not a decimal number (write digits on both sides of '.')") }
        // value = mantissa × 10^(exponent − fractionDigits); express it in units of 10⁻⁸.
        var shift = Fixed.fractionDigits + exponent - fractionDigits
        var units = mantissa
        while shift < 0 {
            guard units % 10 == 0 else {
                throw .tooPrecise("\"\(text)\" has more than \(Fixed.fractionDigits) decimal places; the engine keeps 8")
            }
            units /= 10
            shift += 1
        }
        while shift > 0 {
            guard units <= Int128(Int64.max) else { break }
            units *= 10
            shift -= 1
        }
        guard shift == 0, units <= Int128(Int64.max) else {
            throw .outOfRange("\"\(text)\" is outside the engine's range of ±92233720368.54775807")
        }
        raw = negative ? -Int64(units) : Int64(units)
    }
}

/// Why a decimal string was refused. Each case carries a sentence a person can act on.
public enum DecimalParseError: Error, Sendable, Hashable {
    case invalid(String)
    case tooPrecise(String)
    case outOfRange(String)

    /// The stable error code reported on the wire.
    public var code: RejectionCode {
        switch self {
        case .invalid: return .invalidDecimal
        case .tooPrecise: return .tooPrecise
        case .outOfRange: return .outOfRange
        }
    }

    public var message: String {
        switch self {
        case .invalid(let message), .tooPrecise(let message), .outOfRange(let message): return message
        }
    }
}
