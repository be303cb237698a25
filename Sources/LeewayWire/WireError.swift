public import LeewayCore

/// Why a line of input could not become a command: a stable code and a sentence a person can act on.
public struct WireError: Error, Sendable, Hashable {
    public let code: RejectionCode
    public let message: String

    public init(code: RejectionCode, message: String) {
        self.code = code
        self.message = message
    }
}
