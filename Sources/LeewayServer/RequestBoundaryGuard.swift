import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a refused request head after the first on a keep-alive connection (the first is
/// `FirstRequestGuard`'s) with the API's JSON error: 431 `header_too_large` over `max_header_bytes`
/// (NIO's decoder limit), else 400 `malformed_request`, then closes (Hummingbird would send an
/// empty 400). A decoder error inside a request body is passed on, so the handler reading the body
/// sees it (and answers 400 `malformed_body`): a truncated body is never taken as complete. While
/// a response is being written the connection is only closed, so no answer is interleaved.
final class RequestBoundaryGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var readingRequest = false
    private var responding = false

    init() {}

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: readingRequest = true
        case .end: readingRequest = false
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.kind != .informational: responding = true
        case .end: responding = false
        default: break
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !readingRequest, let parserError = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        guard !responding else { return context.close(promise: nil) }
        let error = ServerError.parserRefusal(parserError)
        let body = context.channel.allocator.buffer(string: error.jsonBody)
        let head = HTTPResponse(status: .init(code: error.status),
                                headerFields: [.contentType: "application/json", .connection: "close", .contentLength: String(body.readableBytes)])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
