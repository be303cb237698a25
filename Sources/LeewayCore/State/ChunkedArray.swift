/// An array kept as fixed-size chunks, each its own copy-on-write buffer, so that a copy of the
/// whole is shared piece by piece rather than all at once.
///
/// Why: the server snapshots the engine by copying `EngineState` (O(1), copy-on-write) and encoding
/// the copy on another thread while the engine goes on applying commands. With one `Array`, the
/// first write after the copy duplicates every element (96 MB and three retains per account at a
/// million accounts: a stall of the owner of about 100 ms). Here the first write copies the chunk
/// table (one reference per `chunkSize` elements) and the one chunk it touches; every other chunk
/// stays shared until it is written.
///
/// Indices are `0..<count`; reading or writing outside them traps, as `Array` does. The order and
/// the elements are exactly those of the equivalent `Array` (`Array(chunked) == elements`).
public struct ChunkedArray<Element> {
    /// log₂ of the elements per chunk.
    public static var chunkShift: Int { 7 }
    /// Elements per chunk (128): a chunk of 96-byte accounts copies in about a microsecond.
    public static var chunkSize: Int { 1 << chunkShift }
    static var chunkMask: Int { chunkSize - 1 }

    /// Every chunk holds `chunkSize` elements except the last, which holds 1...chunkSize.
    @usableFromInline var chunks: [[Element]]
    public private(set) var count: Int

    public init() {
        chunks = []
        count = 0
    }

    public init(_ elements: some Sequence<Element>) {
        self.init()
        for element in elements { append(element) }
    }

    public mutating func append(_ element: Element) {
        if count & Self.chunkMask == 0 {
            var chunk: [Element] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunk.append(element)
            chunks.append(chunk)
        } else {
            chunks[chunks.count - 1].append(element)
        }
        count += 1
    }

    /// Removes and returns the last element; the collection must not be empty.
    @discardableResult
    public mutating func removeLast() -> Element {
        precondition(count > 0, "removeLast on an empty ChunkedArray")
        let last = chunks[chunks.count - 1].removeLast()
        if chunks[chunks.count - 1].isEmpty { chunks.removeLast() }
        count -= 1
        return last
    }

    /// Room for `capacity` elements in the chunk table (chunks themselves are made full size).
    public mutating func reserveCapacity(_ capacity: Int) {
        chunks.reserveCapacity((capacity + Self.chunkMask) >> Self.chunkShift)
    }

    /// Calls `body` with a pointer to the element at `position`, without copying the element
    /// (a read: nothing is made unique).
    public func withUnsafePointer<Result>(to position: Int, _ body: (UnsafePointer<Element>) throws -> Result) rethrows -> Result {
        precondition(position >= 0 && position < count, "ChunkedArray index out of range")
        return try chunks[position >> Self.chunkShift].withUnsafeBufferPointer { chunk in
            try body(chunk.baseAddress! + (position & Self.chunkMask))
        }
    }
}

extension ChunkedArray: RandomAccessCollection, MutableCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Element {
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

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for element in self { try container.encode(element) }
    }
}
