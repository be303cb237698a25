import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1.1 + WebSocket-upgrade channel with the server's connection hygiene:
/// NIO's decoder limited to `max_header_bytes`, Hummingbird's idle timeout (`idle_timeout_ms`,
/// between requests), `RequestBoundaryGuard` on every HTTP connection, and `FirstRequestGuard`
/// right after the decoder until the first head is in (`header_timeout_ms`, 431/400 answers, the
/// WebSocket key check).
struct GuardedHTTPChannel: ServerChildChannel {
    /// The upgrade channel's value, with whether the guard refused the connection.
    struct Value: ServerChildChannelValue {
        let inner: HTTP1WebSocketUpgradeChannel.Value
        let refused: FirstRequestGuard.Flag
        var channel: any Channel { inner.channel }
    }

    let inner: HTTP1WebSocketUpgradeChannel
    let headerTimeout: TimeAmount
    let upgradeRefusal: @Sendable (HTTPRequestHead) -> ServerError?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let headerTimeout = headerTimeout, upgradeRefusal = upgradeRefusal
        let refused = FirstRequestGuard.Flag()
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(FirstRequestGuard(headerTimeout: headerTimeout, refused: refused, refusal: upgradeRefusal),
                                    position: .after(decoder))
            return Value(inner: value, refused: refused)
        }
    }

    /// Hummingbird logs a connection closed before its upgrade decision as an error; for one the
    /// guard refused (already answered), that is expected and logged at debug level instead, so
    /// bad clients cannot flood the log.
    func handle(value: Value, logger: Logger) async {
        let refused = value.refused
        let quiet = Logger(label: logger.label) { _ in RefusedConnectionLogHandler(wrapped: logger.handler, refused: refused) }
        await inner.handle(value: value.inner, logger: quiet)
    }

    /// The server builder for `Application(server:)`.
    static func builder<WebSocketRouter: HTTPResponderBuilder>(webSocketRouter: WebSocketRouter, configuration: ServerConfiguration,
                                                               upgradeRefusal: @escaping @Sendable (HTTPRequestHead) -> ServerError?)
        -> HTTPServerBuilder where WebSocketRouter.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestBoundaryGuard()],
            idleTimeout: .milliseconds(configuration.idleTimeoutMs),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: configuration.maxHeaderBytes, maxHeaderListSize: configuration.maxHeaderBytes))
        let channelConfiguration = HTTP1WebSocketUpgradeChannel.Configuration(http1: http1)
        let headerTimeout = TimeAmount.milliseconds(configuration.headerTimeoutMs)
        return HTTPServerBuilder { responder in
            GuardedHTTPChannel(inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder,
                                                                   configuration: channelConfiguration),
                               headerTimeout: headerTimeout, upgradeRefusal: upgradeRefusal)
        }
    }
}
