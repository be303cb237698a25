import NIOCore
import NIOHTTP1

/// Reports each HTTP response on one keep-alive connection of `leeway load` once it has ended,
/// with its status. The bytes are parsed by NIO's HTTP/1.1 client codec
/// (`addHTTPClientHandlers`), before this handler in the pipeline.
final class LoadResponseReader: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// Called on the event loop with each ended response's status, or nil once the connection
    /// closed, and the connection.
    private let onResponse: (Int?, any Channel) -> Void
    private var status: Int?

    init(onResponse: @escaping (Int?, any Channel) -> Void) {
        self.onResponse = onResponse
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = Int(head.status.code)
        case .body: break
        case .end:
            if let status { onResponse(status, context.channel) }
            status = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        onResponse(nil, context.channel)
    }

    /// An unparseable response (or a failed socket) ends the connection; its close reports it.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
