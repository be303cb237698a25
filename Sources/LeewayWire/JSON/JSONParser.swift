/// A strict RFC 8259 JSON parser over UTF-8 bytes.
///
/// It is ours rather than Foundation's because the engine needs what Foundation does not give:
/// numbers kept as their exact literal text (so `"0.1"` and `1e400` can be judged exactly), duplicate
/// keys refused, a nesting limit, and the same behaviour on every platform. It allocates only the
/// values it returns.
public struct JSONParser {
    /// Nesting deeper than this is refused, so hostile input cannot exhaust the stack.
    public static let maximumDepth = 64

    private let bytes: [UInt8]
    private var index: Int
    /// Where the text parsed ends in `bytes` (and `start` where it begins: error offsets count from it).
    private let end: Int
    private let start: Int

    private init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        index = range.lowerBound
        start = range.lowerBound
        end = range.upperBound
    }

    /// Parses one complete JSON text; anything but white space after the value is an error.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try parse(bytes: Array(text.utf8))
    }

    public static func parse(bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        try parse(bytes: bytes, in: 0..<bytes.count)
    }

    /// Parses the JSON text in `bytes[range]` (one line of a JSON Lines body, without copying it);
    /// error offsets count from `range.lowerBound`.
    public static func parse(bytes: [UInt8], in range: Range<Int>) throws(JSONSyntaxError) -> JSONValue {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "the range lies inside the bytes")
        var parser = JSONParser(bytes, range: range)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.end else {
            throw parser.error("unexpected text after the JSON value")
        }
        return value
    }

    private func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: index - start, message: message)
    }

    private mutating func skipWhitespace() {
        while index < end {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw error("JSON nested more than \(Self.maximumDepth) levels deep") }
        guard index < end else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            throw error("NaN and Infinity are not JSON; write amounts as decimal strings")
        default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
        }
    }

    private mutating func expectLiteral(_ literal: String) throws(JSONSyntaxError) {
        let expected = Array(literal.utf8)
        guard index + expected.count <= end, bytes[index..<index + expected.count].elementsEqual(expected) else {
            throw error("invalid literal")
        }
        index += expected.count
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONObject {
        index += 1  // {
        var object = JSONObject()
        // Duplicate keys: a linear scan while the object is small (a command has a dozen keys at
        // most), a set beyond that.
        var seen: Set<String>? = nil
        skipWhitespace()
        if index < end, bytes[index] == UInt8(ascii: "}") { index += 1; return object }
        while true {
            skipWhitespace()
            guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
            let key = try parseString()
            if seen == nil, object.members.count >= 16 { seen = Set(object.members.map(\.key)) }
            let duplicate = seen.map { $0.contains(key) } ?? object.members.contains { $0.key == key }
            guard !duplicate else { throw error("duplicate key \"\(key)\"") }
            seen?.insert(key)
            skipWhitespace()
            guard index < end, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\"") }
            index += 1
            skipWhitespace()
            object.append(key, try parseValue(depth: depth + 1))
            skipWhitespace()
            guard index < end else { throw error("unexpected end of input in an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return object }
            throw error("expected ',' or '}' in an object")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> [JSONValue] {
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < end, bytes[index] == UInt8(ascii: "]") { index += 1; return elements }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard index < end else { throw error("unexpected end of input in an array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return elements }
            throw error("expected ',' or ']' in an array")
        }
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end, isDigit(bytes[index]) else { throw error("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < end, isDigit(bytes[index]) { index += 1 }
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < end, isDigit(bytes[index]) else { throw error("invalid number: digits must follow '.'") }
            while index < end, isDigit(bytes[index]) { index += 1 }
        }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < end, isDigit(bytes[index]) else { throw error("invalid number exponent") }
            while index < end, isDigit(bytes[index]) { index += 1 }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes. All-ASCII text (the usual case) needs no UTF-8 validation.
        var highBits: UInt8 = 0
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let end = index
                index += 1
                if highBits < 0x80 {
                    return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
                }
                guard let text = String(validating: bytes[start..<end], as: UTF8.self) else { throw error("string is not valid UTF-8") }
                return text
            }
            highBits |= byte
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("control character in a string") }
            index += 1
        }
        var scalars = Array(bytes[start..<index])
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                guard let text = String(validating: scalars, as: UTF8.self) else { throw error("string is not valid UTF-8") }
                return text
            }
            if byte < 0x20 { throw error("control character in a string") }
            if byte != UInt8(ascii: "\\") { scalars.append(byte); index += 1; continue }
            index += 1
            guard index < end else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append(0x22)
            case UInt8(ascii: "\\"): scalars.append(0x5C)
            case UInt8(ascii: "/"): scalars.append(0x2F)
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                if (0xD800...0xDBFF).contains(code) {
                    guard index + 1 < end, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate in a \\u escape")
                    }
                    index += 2
                    let low = try parseHex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in a \\u escape") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(code) {
                    throw error("unpaired surrogate in a \\u escape")
                }
                guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: throw error("invalid escape in a string")
            }
        }
        throw error("unterminated string")
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= end else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in a \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}

// MARK: - Pulling values one at a time

/// Where a pull reader is inside one object or array: whether a member was read yet (so a ','
/// is required before the next).
public struct JSONContainerCursor: Sendable {
    fileprivate var started = false
}

extension JSONParser {
    /// A pull reader over all of `bytes`, for input too large to build as one `JSONValue` tree (a
    /// snapshot of a million accounts): the caller walks objects and arrays with `beginObject` /
    /// `nextKey` and `beginArray` / `nextElement`, reads scalars with `readString` and
    /// `readNumberLiteral`, takes any subtree whole with `readValue`, and ends with `finish`.
    /// The grammar is the tree parser's, byte for byte; but duplicate keys are the caller's to
    /// refuse (it knows which members it has read).
    public init(pulling bytes: [UInt8]) {
        self.init(bytes, range: 0..<bytes.count)
        skipWhitespace()
    }

    /// Consumes the `{` of an object.
    public mutating func beginObject() throws(JSONSyntaxError) -> JSONContainerCursor {
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: "{") else { throw error("expected an object") }
        index += 1
        return JSONContainerCursor()
    }

    /// The next member's key, the reader then at its value; nil after the object's `}`.
    public mutating func nextKey(_ cursor: inout JSONContainerCursor) throws(JSONSyntaxError) -> String? {
        skipWhitespace()
        guard index < end else { throw error("unexpected end of input in an object") }
        if bytes[index] == UInt8(ascii: "}") { index += 1; return nil }
        if cursor.started {
            guard bytes[index] == UInt8(ascii: ",") else { throw error("expected ',' or '}' in an object") }
            index += 1
            skipWhitespace()
        }
        cursor.started = true
        guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
        let key = try parseString()
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\"") }
        index += 1
        skipWhitespace()
        return key
    }

    /// Consumes the `[` of an array.
    public mutating func beginArray() throws(JSONSyntaxError) -> JSONContainerCursor {
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: "[") else { throw error("expected an array") }
        index += 1
        return JSONContainerCursor()
    }

    /// True with the reader at the next element; false after the array's `]`.
    public mutating func nextElement(_ cursor: inout JSONContainerCursor) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard index < end else { throw error("unexpected end of input in an array") }
        if bytes[index] == UInt8(ascii: "]") { index += 1; return false }
        if cursor.started {
            guard bytes[index] == UInt8(ascii: ",") else { throw error("expected ',' or ']' in an array") }
            index += 1
            skipWhitespace()
        }
        cursor.started = true
        return true
    }

    /// A string value.
    public mutating func readString() throws(JSONSyntaxError) -> String {
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string") }
        return try parseString()
    }

    /// A number value, as its literal text.
    public mutating func readNumberLiteral() throws(JSONSyntaxError) -> String {
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: "-") || isDigit(bytes[index]) else { throw error("expected a number") }
        return try parseNumber()
    }

    /// Consumes a `null` and returns true, or returns false (consuming nothing) for any other value.
    public mutating func readNull() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: "n") else { return false }
        try expectLiteral("null")
        return true
    }

    /// The whole value at the reader, as a tree; `depth` is how deep the reader already is.
    public mutating func readValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        return try parseValue(depth: depth)
    }

    /// Checks that nothing but white space follows the value read.
    public mutating func finish() throws(JSONSyntaxError) {
        skipWhitespace()
        guard index == end else { throw error("unexpected text after the JSON value") }
    }
}

/// A JSON syntax error with the byte offset where it was found.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let message: String
    public var description: String { "\(message) (at byte \(offset))" }
}
