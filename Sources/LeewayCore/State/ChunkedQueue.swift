public import DequeModule

/// A first-in, first-out queue kept as fixed-size chunks, each its own copy-on-write buffer, so
/// that a copy of the whole is shared piece by piece rather than all at once (as `ChunkedArray`
/// does for the accounts).
///
/// Why: the idempotency window (`EngineState.appliedCommandOrder`) holds up to a million ids in
/// the order they were applied. The server snapshots by copying `EngineState` and encoding the
/// copy elsewhere; with one `Deque`, the first command with an id after the copy duplicated the
/// whole queue. Here an append copies the chunk table (one reference per `chunkSize` ids) and the
/// last chunk; a removal from the front never writes a chunk at all: it moves `head` past the
/// element and drops the first chunk once all of it is gone. A dropped element therefore stays
/// referenced by its chunk until the rest of that chunk is removed too (at most `chunkSize - 1`).
///
/// Indices are `0..<count`, the oldest first. The order and the elements are exactly those of the
/// equivalent `Deque` or `Array`; it is encoded as one unkeyed list, as they are.
public struct ChunkedQueue<Element> {
    /// log₂ of the elements per chunk.
    @inlinable public static var chunkShift: Int { 7 }
    /// Elements per chunk (128).
    @inlinable public static var chunkSize: Int { 1 << chunkShift }
    @inlinable static var chunkMask: Int { chunkSize - 1 }

    /// Every chunk holds `chunkSize` elements except the last, which holds 1...chunkSize; the
    /// first `head` elements of the first chunk are already removed.
    @usableFromInline var chunks: Deque<[Element]>
    @usableFromInline var head: Int
    @usableFromInline var elementCount: Int
    @inlinable public var count: Int { elementCount }

    @inlinable public init() {
        chunks = []
        head = 0
        elementCount = 0
    }

    public init(_ elements: some Sequence<Element>) {
        self.init()
        for element in elements { append(element) }
    }

    /// Adds `element` at the back.
    @inlinable public mutating func append(_ element: Element) {
        // The last chunk is read through the subscript, never bound to a local: a second
        // reference would make the append below copy the chunk.
        if !chunks.isEmpty && chunks[chunks.count - 1].count < Self.chunkSize {
            chunks[chunks.count - 1].append(element)
        } else {
            var chunk: [Element] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunk.append(element)
            chunks.append(chunk)
        }
        elementCount += 1
    }

    /// Removes and returns the oldest element; the queue must not be empty.
    @discardableResult
    @inlinable public mutating func removeFirst() -> Element {
        precondition(elementCount > 0, "removeFirst on an empty ChunkedQueue")
        let first = chunks[0][head]
        head += 1
        elementCount -= 1
        if head == chunks[0].count {
            chunks.removeFirst()
            head = 0
        }
        return first
    }
}

extension ChunkedQueue: RandomAccessCollection {
    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { elementCount }

    /// The element `position` places after the oldest.
    @inlinable public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < elementCount, "ChunkedQueue index out of range")
        let absolute = head + position
        return chunks[absolute >> Self.chunkShift][absolute & Self.chunkMask]
    }
}

extension ChunkedQueue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension ChunkedQueue: Sendable where Element: Sendable {}

extension ChunkedQueue: Equatable where Element: Equatable {
    /// Equal when they hold the same elements in the same order, however they are chunked.
    public static func == (left: Self, right: Self) -> Bool {
        left.count == right.count && left.elementsEqual(right)
    }
}

/// Encoded exactly as the equivalent `Deque` or `Array`: one unkeyed list, oldest first.
extension ChunkedQueue: Codable where Element: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try [Element](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws { try encodeElements(to: encoder) }
}
