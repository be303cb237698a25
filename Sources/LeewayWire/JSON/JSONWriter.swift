/// Builds compact JSON text with members in the order they are written, so output is byte-for-byte
/// deterministic. Decimal amounts are written as strings (the wire contract), integers as numbers.
public struct JSONWriter {
    public private(set) var text: String = ""
    private var needsComma: [Bool] = []

    public init() { text.reserveCapacity(256) }

    public mutating func beginObject() { separate(); text.append("{"); needsComma.append(false) }
    public mutating func endObject() { text.append("}"); needsComma.removeLast() }
    public mutating func beginArray() { separate(); text.append("["); needsComma.append(false) }
    public mutating func endArray() { text.append("]"); needsComma.removeLast() }

    /// Writes `"key":` inside an object; the value must follow.
    public mutating func key(_ key: String) {
        separate()
        Self.appendQuoted(key, to: &text)
        text.append(":")
        if !needsComma.isEmpty { needsComma[needsComma.count - 1] = false }
    }

    public mutating func string(_ value: String) { separate(); Self.appendQuoted(value, to: &text) }
    public mutating func integer(_ value: Int64) { separate(); text.append(String(value)) }
    public mutating func int(_ value: Int) { separate(); text.append(String(value)) }
    public mutating func bool(_ value: Bool) { separate(); text.append(value ? "true" : "false") }
    public mutating func null() { separate(); text.append("null") }
    /// Writes a number whose text the caller has already formatted (e.g. a `Double`'s shortest form).
    public mutating func rawNumber(_ literal: String) { separate(); text.append(literal) }

    public mutating func field(_ name: String, _ value: String) { key(name); string(value) }
    public mutating func field(_ name: String, _ value: Int64) { key(name); integer(value) }
    public mutating func field(_ name: String, _ value: Int) { key(name); int(value) }
    public mutating func field(_ name: String, _ value: Bool) { key(name); bool(value) }

    private mutating func separate() {
        guard let last = needsComma.last else { return }
        if last { text.append(",") } else { needsComma[needsComma.count - 1] = true }
    }

    /// Appends `value` as a JSON string literal, escaping quotes, backslashes and control characters.
    public static func appendQuoted(_ value: String, to output: inout String) {
        output.append("\"")
        var needsEscape = false
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C { needsEscape = true; break }
        if !needsEscape {
            output.append(value)
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": output.append("\\\"")
                case "\\": output.append("\\\\")
                case "\n": output.append("\\n")
                case "\r": output.append("\\r")
                case "\t": output.append("\\t")
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                    } else {
                        output.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        output.append("\"")
    }
}
