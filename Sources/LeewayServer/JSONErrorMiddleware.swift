import Hummingbird
import HTTPTypes
import LeewayWire
import NIOCore
import NIOHTTP1

/// Gives the router's own refusals (no such route: 404, a method the route does not take: 405)
/// the API's JSON error body, `{"error":{"code","message"}}`, instead of an empty one.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            guard response.status == .notFound || response.status == .methodNotAllowed, response.body.contentLength == 0 else { return response }
            return Self.error(response.status, request: request)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            return Self.error(error.status, request: request)
        }
    }

    static func error(_ status: HTTPResponse.Status, request: Request) -> Response {
        let error = status == .notFound
            ? ServerError(status: 404, code: "not_found", message: "no route \(request.method.rawValue) \(request.uri.path); see /openapi.json for the API")
            : ServerError(status: 405, code: "method_not_allowed", message: "\(request.uri.path) does not take \(request.method.rawValue); see /openapi.json")
        return error.response
    }
}

extension ServerError {
    /// The API's error response: this status, `{"error":{"code","message"}}`, and `Retry-After`
    /// when set. The one place an error becomes a response.
    var response: Response {
        var response = Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: jsonBody)))
        if let retryAfterSeconds { response.headers[.retryAfter] = String(retryAfterSeconds) }
        return response
    }

    /// `{"error":{"code","message"}}`: the body of every API error, whichever layer answers.
    var jsonBody: String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("error")
        writer.beginObject()
        writer.field("code", code)
        writer.field("message", message)
        writer.endObject()
        writer.endObject()
        return writer.text
    }

    /// The answer to a request head NIO's decoder refused: too large (431) or malformed (400).
    static func parserRefusal(_ error: HTTPParserError) -> ServerError {
        error == .headerOverflow
            ? ServerError(status: 431, code: "header_too_large",
                          message: "the request head is over the server's max_header_bytes; send fewer or shorter headers")
            : ServerError(status: 400, code: "malformed_request", message: "the request is not valid HTTP/1.1 (\(error)); the connection is closed")
    }
}
