/// An array kept as fixed-size chunks, each its own copy-on-write buffer, so that a copy of the
/// whole is shared piece by piece rather than all at once.
///
/// Why: the server snapshots the engine by copying `EngineState` (O(1), copy-on-write) and encoding
/// the copy on another thread while the engine goes on applying commands. With one `Array`, the
/// first write after the copy duplicates every element (96 MB and three retains per account at a
/// million accounts: the slowest command after a capture took 26.8 ms in `leeway bench` row (h),
/// 2.3 ms with chunks). Here the first write copies the chunk table (one reference per `chunkSize`
/// elements) and the one chunk it touches; every other chunk stays shared until it is written.
///
/// Indices are `0..<count`; reading or writing outside them traps, as `Array` does. The order and
/// the elements are exactly those of the equivalent `Array` (`Array(chunked) == elements`).
public struct ChunkedArray<Element> {
    /// log₂ of the elements per chunk.
    @inlinable public static var chunkShift: Int { 7 }
    /// Elements per chunk (128): a chunk of 96-byte accounts copies in about a microsecond.
    @inlinable public static var chunkSize: Int { 1 << chunkShift }
    @inlinable static var chunkMask: Int { chunkSize - 1 }

    /// Every chunk holds `chunkSize` elements except the last, which holds 1...chunkSize.
    @usableFromInline var chunks: [[Element]]
    @usableFromInline var elementCount: Int
    @inlinable public var count: Int { elementCount }

    // The members on every access path are @inlinable so other modules (the snapshot reader,
    // the simulator) get them specialized, as they would an `Array`'s.

    @inlinable public init() {
        chunks = []
        elementCount = 0
    }

    public init(_ elements: some Sequence<Element>) {
        self.init()
        for element in elements { append(element) }
    }

    @inlinable public mutating func append(_ element: Element) {
        if count & Self.chunkMask == 0 {
            var chunk: [Element] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunk.append(element)
            chunks.append(chunk)
        } else {
            chunks[chunks.count - 1].append(element)
        }
        elementCount += 1
    }

    /// Removes and returns the last element; the collection must not be empty.
    @discardableResult
    public mutating func removeLast() -> Element {
        precondition(count > 0, "removeLast on an empty ChunkedArray")
        let last = chunks[chunks.count - 1].removeLast()
        if chunks[chunks.count - 1].isEmpty { chunks.removeLast() }
        elementCount -= 1
        return last
    }

    /// Room for `capacity` elements in the chunk table (chunks themselves are made full size).
    public mutating func reserveCapacity(_ capacity: Int) {
        chunks.reserveCapacity((capacity + Self.chunkMask) >> Self.chunkShift)
    }

    /// Calls `body` with a pointer to the element at `position`, without copying the element
    /// (a read: nothing is made unique).
    @inlinable public func withUnsafePointer<Result>(to position: Int, _ body: (UnsafePointer<Element>) throws -> Result) rethrows -> Result {
        precondition(position >= 0 && position < count, "ChunkedArray index out of range")
        return try chunks[position >> Self.chunkShift].withUnsafeBufferPointer { chunk in
            try body(chunk.baseAddress! + (position & Self.chunkMask))
        }
    }
}

extension ChunkedArray: RandomAccessCollection, MutableCollection {
    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    @inlinable public subscript(position: Int) -> Element {
        get { chunks[position >> Self.chunkShift][position & Self.chunkMask] }
        _modify { yield &chunks[position >> Self.chunkShift][position & Self.chunkMask] }
    }
}

extension ChunkedArray: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension ChunkedArray: Sendable where Element: Sendable {}

extension ChunkedArray: Equatable where Element: Equatable {
    public static func == (left: Self, right: Self) -> Bool {
        left.count == right.count && left.chunks == right.chunks
    }
}

extension ChunkedArray: Hashable where Element: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for element in self { hasher.combine(element) }
    }
}

/// Encoded exactly as the equivalent `Array`: one unkeyed list of the elements.
extension ChunkedArray: Codable where Element: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try [Element](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws { try encodeElements(to: encoder) }
}

extension Sequence where Element: Encodable {
    /// Encodes the elements as one unkeyed list, as an `Array` of them is encoded.
    func encodeElements(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for element in self { try container.encode(element) }
    }
}
