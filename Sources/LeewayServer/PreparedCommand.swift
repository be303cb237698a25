import LeewayCore
import LeewayWire

/// One command of a request, decoded and written as its journal line on the request's own thread,
/// so that the engine's owner (one thread for every request) does neither: it only stamps `ts` on
/// a command without one and applies the envelope.
public struct PreparedCommand: Sendable {
    public private(set) var object: JSONObject
    /// The journal line: `JSONWriter`'s text of `object`.
    private(set) var line: String
    /// What the decoder made of `object` (`.command` or `.invalid`, never `.skip`); an envelope's
    /// `line` is set to its journal record when it is applied.
    private(set) var decoded: CommandDecoder.Line

    public init(_ object: JSONObject) {
        self.object = object
        var writer = JSONWriter()
        writer.value(.object(object))
        line = writer.text
        decoded = CommandDecoder.decode(.object(object), lineNumber: 0)
    }

    /// Whether the command carries its own `ts`.
    var hasTimestamp: Bool { object["ts"] != nil }

    /// Stamps `ts` = `ms` on a command without one: the result is exactly what preparing `object`
    /// with `"ts": ms` appended as its last member gives (the line's closing brace makes room for it).
    mutating func stamp(ms: Int64) {
        precondition(!hasTimestamp && line.last == "}", "only a command without ts is stamped")
        let text = String(ms)
        object.append("ts", .number(text))
        line.removeLast()
        line += (object.members.count > 1 ? "," : "") + "\"ts\":" + text + "}"
        switch decoded {
        case .command(var envelope):
            envelope.timestampMs = ms
            decoded = .command(envelope)
        case .invalid, .skip:
            // Invalid without ts (a `time` needs one): judge it again with it.
            decoded = CommandDecoder.decode(.object(object), lineNumber: 0)
        }
    }
}
