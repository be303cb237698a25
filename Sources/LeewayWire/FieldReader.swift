import LeewayCore

/// Reads the fields of one command object, refusing missing, mistyped and unknown fields.
struct FieldReader {
    let object: JSONObject
    let context: String
    /// Per member of `object` (by position): whether a reader asked for it. A flag array rather
    /// than a set of names: this runs for every command decoded, hashing nothing.
    private var consumed: [Bool]

    init(_ object: JSONObject, context: String) {
        self.object = object
        self.context = context
        consumed = Array(repeating: false, count: object.members.count)
    }

    mutating func value(_ name: String) -> JSONValue? {
        for (position, member) in object.members.enumerated() where member.key == name {
            consumed[position] = true
            return member.value
        }
        return nil
    }

    mutating func string(_ name: String) throws(WireError) -> String {
        guard let value = value(name) else { throw missing(name) }
        guard case .string(let text) = value, !text.isEmpty else {
            throw WireError(code: .invalidField, message: "\(context) field \"\(name)\" must be a non-empty string, got \(value.kindDescription)")
        }
        return text
    }

    mutating func optionalString(_ name: String) throws(WireError) -> String? {
        guard let value = value(name), value != .null else { return nil }
        guard case .string(let text) = value, !text.isEmpty else {
            throw WireError(code: .invalidField, message: "\(context) field \"\(name)\" must be a non-empty string, got \(value.kindDescription)")
        }
        return text
    }

    /// A decimal: a string parsed exactly, or a JSON number only if it is an integer literal.
    mutating func decimal(_ name: String) throws(WireError) -> Fixed {
        guard let value = value(name) else { throw missing(name) }
        return try Self.decimal(value, field: name, context: context)
    }

    mutating func optionalDecimal(_ name: String) throws(WireError) -> Fixed? {
        guard let value = value(name), value != .null else { return nil }
        return try Self.decimal(value, field: name, context: context)
    }

    static func decimal(_ value: JSONValue, field name: String, context: String) throws(WireError) -> Fixed {
        let text: String
        switch value {
        case .string(let string): text = string
        case .number(let literal):
            guard literal.allSatisfy({ $0 == "-" || $0.isASCII && $0.isNumber }) else {
                throw WireError(code: .invalidDecimal, message: "\(context) field \"\(name)\" is the JSON number \(literal); write non-integer amounts as decimal strings, e.g. \"\(literal)\"")
            }
            text = literal
        default:
            throw WireError(code: .invalidDecimal, message: "\(context) field \"\(name)\" must be a decimal string, got \(value.kindDescription)")
        }
        do { return try Fixed(parsing: text) } catch {
            throw WireError(code: error.code, message: "\(context) field \"\(name)\": \(error.message)")
        }
    }

    /// An integer (JSON integer literal) within Int64.
    mutating func optionalInteger(_ name: String) throws(WireError) -> Int64? {
        guard let value = value(name), value != .null else { return nil }
        guard case .number(let literal) = value, let integer = Int64(literal) else {
            throw WireError(code: .invalidField, message: "\(context) field \"\(name)\" must be a whole number (milliseconds), got \(value.kindDescription)")
        }
        return integer
    }

    mutating func integer(_ name: String) throws(WireError) -> Int64 {
        guard let integer = try optionalInteger(name) else { throw missing(name) }
        return integer
    }

    func missing(_ name: String) -> WireError {
        WireError(code: .missingField, message: "\(context) needs the field \"\(name)\"")
    }

    /// Refuses any field that was not read.
    func finish() throws(WireError) {
        for (position, member) in object.members.enumerated() where !consumed[position] {
            throw WireError(code: .unknownField, message: "\(context) has no field \"\(member.key)\"; check its spelling against docs/COMMANDS.md")
        }
    }
}
