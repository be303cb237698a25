/// An API error: HTTP status, stable code and a sentence; rendered as
/// `{"error":{"code":…,"message":…}}`.
public struct ServerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var code: String
    public var message: String
    /// Seconds for a Retry-After header (503 when the inbox is full).
    public var retryAfterSeconds: Int?

    public init(status: Int, code: String, message: String, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { message }

    static func unauthorized() -> ServerError {
        ServerError(status: 401, code: "unauthorized", message: "missing or unknown API key: send it as \"Authorization: Bearer KEY\"")
    }

    static func forbidden(_ what: String) -> ServerError {
        ServerError(status: 403, code: "forbidden", message: "this key's role may not \(what)")
    }

    static func badRequest(_ code: String, _ message: String) -> ServerError {
        ServerError(status: 400, code: code, message: message)
    }

    static func notFound(_ message: String) -> ServerError {
        ServerError(status: 404, code: "not_found", message: message)
    }
}
