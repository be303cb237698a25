import NIOCore
import NIOHTTP1
import Synchronization

/// The first request on a connection, guarded below Hummingbird, right after NIO's HTTP decoder:
/// until that request's head has been decoded, Hummingbird's WebSocket-upgrade handler holds the
/// connection, and it neither times out nor answers a bad head (a slowloris connection stayed open
/// forever; an oversized or garbled head hung). This handler
///
/// - closes the connection with 408 when no complete head arrived within `header_timeout_ms`;
/// - answers a head the decoder refuses with 431 (`header_too_large`, over `max_header_bytes`) or
///   400 (`malformed_request`), and closes;
/// - refuses a WebSocket upgrade that `refusal` objects to (no valid key: 401) with the API's JSON
///   error, instead of the upgrade handler's empty 400;
///
/// and then removes itself: later requests are Hummingbird's (idle timeout) and
/// `RequestBoundaryGuard`'s. It unwraps only the decoder's first output, which is always a head.
final class FirstRequestGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let headerTimeout: TimeAmount
    /// Why this upgrade request must not be upgraded, or nil to let it through.
    let refusal: @Sendable (HTTPRequestHead) -> ServerError?
    /// Set when this connection was refused (for `GuardedHTTPChannel`'s quieter logging).
    let refused: Flag
    private var timer: Scheduled<Void>?
    private var done = false

    /// A connection's "refused by the guard" mark, read from the connection's task.
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        init() {}
        var isSet: Bool { value.load(ordering: .acquiring) }
        func set() { value.store(true, ordering: .releasing) }
    }

    init(headerTimeout: TimeAmount, refused: Flag, refusal: @escaping @Sendable (HTTPRequestHead) -> ServerError?) {
        self.headerTimeout = headerTimeout
        self.refused = refused
        self.refusal = refusal
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armTimer(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        armTimer(context)
        context.fireChannelActive()
    }

    private func armTimer(_ context: ChannelHandlerContext) {
        guard timer == nil, !done else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: headerTimeout) {
            let (handler, context) = loopBound.value
            handler.refuse(ServerError(status: 408, code: "header_timeout",
                                       message: "the request head did not arrive within \(handler.headerTimeout.nanoseconds / 1_000_000) ms"),
                           context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused.isSet else { return }  // the rest of a refused request goes nowhere
        guard !done else { return context.fireChannelRead(data) }
        done = true
        timer?.cancel()
        timer = nil
        if case .head(let head) = unwrapInboundIn(data), Self.isUpgrade(head), let error = refusal(head) {
            refuse(error, context: context)
            return
        }
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !refused.isSet else { return }
        guard !done, let parserError = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        refuse(ServerError.parserRefusal(parserError), context: context)
    }

    static func isUpgrade(_ head: HTTPRequestHead) -> Bool {
        head.headers["upgrade"].contains { $0.lowercased() == "websocket" }
    }

    /// Writes `error` as the API's JSON error with `Connection: close`, then closes.
    private func refuse(_ error: ServerError, context: ChannelHandlerContext) {
        done = true
        refused.set()
        timer?.cancel()
        timer = nil
        let body = context.channel.allocator.buffer(string: error.jsonBody)
        var headers = HTTPHeaders([("content-type", "application/json"), ("connection", "close")])
        headers.add(name: "content-length", value: String(body.readableBytes))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: error.status), headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
