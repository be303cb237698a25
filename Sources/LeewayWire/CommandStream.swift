public import LeewayCore

/// Applies JSON Lines input to an engine: the one path from text to events that the CLI, the
/// server's import and the tests share.
public enum CommandStream {
    /// Applies one input line (1-based `lineNumber`) and returns its events; blank and `#` lines
    /// return none. An invalid line becomes one `rejected` event naming its id or line.
    public static func apply(line: Substring, lineNumber: Int, to engine: inout Engine) -> [Event] {
        switch CommandDecoder.decodeLine(line, lineNumber: lineNumber) {
        case .skip:
            return []
        case .command(let envelope):
            return engine.apply(envelope)
        case .invalid(let error, let id):
            return engine.reject(id.map(CommandReference.id) ?? .line(lineNumber), code: error.code, message: error.message)
        }
    }

    /// Applies every line of `text` in order, handing each event to `sink`.
    public static func apply(text: String, to engine: inout Engine, sink: (Event) -> Void) {
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            for event in apply(line: line, lineNumber: lineNumber, to: &engine) { sink(event) }
        }
    }
}
