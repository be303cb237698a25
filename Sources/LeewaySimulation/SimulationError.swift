/// A simulation input that cannot be used: a stable snake_case `code` and a sentence a person can
/// act on. The CLI prints the message and exits with status 2.
public struct SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
