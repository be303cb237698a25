/// Why a line of input could not become a command: a stable code and a sentence a person can act on.
public struct WireError: Error, Sendable, Hashable {
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
