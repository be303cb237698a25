import Foundation
import NIOCore

/// Reads HTTP/1.1 responses off one keep-alive connection of `leeway load` and reports each one's
/// status as soon as its body is complete. Only what `leeway serve` sends is understood: a status
/// line, headers with `Content-Length`, and that many body bytes (no chunked bodies: a response
/// without a length is reported as status 0 and the connection closed).
final class LoadResponseReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// Called on the event loop with each complete response's status (0: unreadable), or nil once
    /// the connection closed, and the connection.
    private let onResponse: (Int?, any Channel) -> Void
    private var pending: ByteBuffer?

    init(onResponse: @escaping (Int?, any Channel) -> Void) {
        self.onResponse = onResponse
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if pending == nil { pending = bytes } else { pending!.writeBuffer(&bytes) }
        while let status = nextResponse() {
            onResponse(status, context.channel)
            if status == 0 {
                context.close(promise: nil)
                return
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        onResponse(nil, context.channel)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Takes one complete response off `pending` and returns its status, or nil if it has not all
    /// arrived yet.
    private func nextResponse() -> Int? {
        guard let buffer = pending, let view = buffer.readableBytesView.withContiguousStorageIfAvailable({ Array($0) }) else { return nil }
        guard let headEnd = Self.endOfHead(in: view) else { return nil }
        let head = String(decoding: view[..<headEnd], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusWords = lines.first?.split(separator: " ", maxSplits: 2) ?? []
        guard statusWords.count >= 2, let status = Int(statusWords[1]) else { return 0 }
        var length: Int?
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                length = Int(parts[1].trimmingCharacters(in: .whitespaces))
            }
        }
        guard let length else { return 0 }
        let total = headEnd + 4 + length
        guard view.count >= total else { return nil }
        pending!.moveReaderIndex(forwardBy: total)
        if pending!.readableBytes == 0 { pending = nil }
        return status
    }

    /// The index of the "\r\n\r\n" that ends a response head.
    private static func endOfHead(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
