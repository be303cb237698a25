/// A `Decoder` over a parsed `JSONValue`: reads any `Decodable` type (the engine state of a
/// snapshot) through its own `Codable` conformance, so the types keep one decoding description,
/// without Foundation's `JSONDecoder` (which spent most of a million-account restart in its own
/// bookkeeping). Numbers are read from their exact literal text; a number that does not fit the
/// requested type, a missing key or a wrong kind is a `DecodingError` naming the coding path.
public struct JSONValueDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try T(from: ValueDecoder(value: value, codingPath: []))
    }

    /// Parses `bytes` with `JSONParser` and decodes `T` from the result.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decode(type, from: try JSONParser.parse(bytes: bytes))
    }
}

/// A coding key made from an object member's name or an array position.
struct JSONCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue; intValue = Int(stringValue) }
    init(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}

struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw mismatch(value, expected: "an object", codingPath) }
        return KeyedDecodingContainer(KeyedValueContainer<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch(value, expected: "an array", codingPath) }
        return UnkeyedValueContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath)
    }
}

/// The error for a value of the wrong kind.
func mismatch(_ value: JSONValue, expected: String, _ codingPath: [any CodingKey]) -> DecodingError {
    .typeMismatch(Any.self, DecodingError.Context(codingPath: codingPath, debugDescription: "expected \(expected), found \(value.kindDescription)"))
}

/// Reads primitives out of one `JSONValue` (shared by the three container kinds).
enum PrimitiveReader {
    static func bool(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(value, expected: "a boolean", path()) }
        return flag
    }

    static func string(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> String {
        guard case .string(let text) = value else { throw mismatch(value, expected: "a string", path()) }
        return text
    }

    static func double(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Double {
        guard case .number(let literal) = value, let number = Double(literal) else { throw mismatch(value, expected: "a number", path()) }
        return number
    }

    static func integer<T: FixedWidthInteger>(_ value: JSONValue, _ type: T.Type, _ path: @autoclosure () -> [any CodingKey]) throws -> T {
        guard case .number(let literal) = value else { throw mismatch(value, expected: "an integer", path()) }
        guard let number = T(literal) else {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: path(), debugDescription: "\(literal) is not a \(T.self)"))
        }
        return number
    }

    static func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> T {
        // The primitives directly: a decoder per Int64 or String would dominate a large state.
        if T.self == Int64.self { return try integer(value, Int64.self, path()) as! T }
        if T.self == Int.self { return try integer(value, Int.self, path()) as! T }
        if T.self == String.self { return try string(value, path()) as! T }
        if T.self == Bool.self { return try bool(value, path()) as! T }
        if T.self == Double.self { return try double(value, path()) as! T }
        return try T(from: ValueDecoder(value: value, codingPath: path()))
    }
}

struct KeyedValueContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONObject
    let codingPath: [any CodingKey]

    var allKeys: [Key] { object.members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    func value(_ key: Key) throws -> JSONValue {
        guard let found = object[key.stringValue] else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(codingPath: codingPath, debugDescription: "no member \"\(key.stringValue)\""))
        }
        return found
    }

    func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try PrimitiveReader.bool(value(key), path(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try PrimitiveReader.string(value(key), path(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try PrimitiveReader.double(value(key), path(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try PrimitiveReader.double(value(key), path(key))) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try PrimitiveReader.integer(value(key), Int.self, path(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try PrimitiveReader.integer(value(key), Int8.self, path(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try PrimitiveReader.integer(value(key), Int16.self, path(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try PrimitiveReader.integer(value(key), Int32.self, path(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try PrimitiveReader.integer(value(key), Int64.self, path(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try PrimitiveReader.integer(value(key), UInt.self, path(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try PrimitiveReader.integer(value(key), UInt8.self, path(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try PrimitiveReader.integer(value(key), UInt16.self, path(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try PrimitiveReader.integer(value(key), UInt32.self, path(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try PrimitiveReader.integer(value(key), UInt64.self, path(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try PrimitiveReader.decode(type, value(key), path(key)) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let found = object[key.stringValue], found != .null else { return nil }
        return try PrimitiveReader.decode(type, found, path(key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: value(key), codingPath: path(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: value(key), codingPath: path(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { ValueDecoder(value: .object(object), codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder { ValueDecoder(value: try value(key), codingPath: path(key)) }
}

struct UnkeyedValueContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// The next element and its position (its coding path is built only when needed).
    mutating func next() throws -> (JSONValue, Int) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, DecodingError.Context(codingPath: codingPath, debugDescription: "the array has only \(elements.count) elements"))
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], currentIndex)
    }

    func path(_ position: Int) -> [any CodingKey] { codingPath + [JSONCodingKey(intValue: position)] }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, position) = try next()
        return try PrimitiveReader.decode(type, value, self.path(position))
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool { let (value, position) = try next(); return try PrimitiveReader.bool(value, self.path(position)) }
    mutating func decode(_ type: String.Type) throws -> String { let (value, position) = try next(); return try PrimitiveReader.string(value, self.path(position)) }
    mutating func decode(_ type: Double.Type) throws -> Double { let (value, position) = try next(); return try PrimitiveReader.double(value, self.path(position)) }
    mutating func decode(_ type: Float.Type) throws -> Float { let (value, position) = try next(); return Float(try PrimitiveReader.double(value, self.path(position))) }
    mutating func decode(_ type: Int.Type) throws -> Int { let (value, position) = try next(); return try PrimitiveReader.integer(value, Int.self, self.path(position)) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { let (value, position) = try next(); return try PrimitiveReader.integer(value, Int8.self, self.path(position)) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { let (value, position) = try next(); return try PrimitiveReader.integer(value, Int16.self, self.path(position)) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { let (value, position) = try next(); return try PrimitiveReader.integer(value, Int32.self, self.path(position)) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { let (value, position) = try next(); return try PrimitiveReader.integer(value, Int64.self, self.path(position)) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { let (value, position) = try next(); return try PrimitiveReader.integer(value, UInt.self, self.path(position)) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { let (value, position) = try next(); return try PrimitiveReader.integer(value, UInt8.self, self.path(position)) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { let (value, position) = try next(); return try PrimitiveReader.integer(value, UInt16.self, self.path(position)) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { let (value, position) = try next(); return try PrimitiveReader.integer(value, UInt32.self, self.path(position)) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { let (value, position) = try next(); return try PrimitiveReader.integer(value, UInt64.self, self.path(position)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, position) = try next()
        return try ValueDecoder(value: value, codingPath: self.path(position)).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, position) = try next()
        return try ValueDecoder(value: value, codingPath: self.path(position)).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, position) = try next()
        return ValueDecoder(value: value, codingPath: self.path(position))
    }
}

struct SingleValueContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try PrimitiveReader.bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try PrimitiveReader.string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try PrimitiveReader.double(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try PrimitiveReader.double(value, codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try PrimitiveReader.integer(value, Int.self, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try PrimitiveReader.integer(value, Int8.self, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try PrimitiveReader.integer(value, Int16.self, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try PrimitiveReader.integer(value, Int32.self, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try PrimitiveReader.integer(value, Int64.self, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try PrimitiveReader.integer(value, UInt.self, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try PrimitiveReader.integer(value, UInt8.self, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try PrimitiveReader.integer(value, UInt16.self, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try PrimitiveReader.integer(value, UInt32.self, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try PrimitiveReader.integer(value, UInt64.self, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try PrimitiveReader.decode(type, value, codingPath) }
}
