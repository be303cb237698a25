import LeewayCore
import LeewayWire

/// The body of `POST /v1/commands`: one JSON object, a JSON array of objects, or JSON Lines.
/// Every command is decoded before anything is queued; one bad command refuses the whole batch
/// (400, listing each problem), so nothing of a refused request is applied or journaled.
enum CommandBatch {
    /// The commands of `bytes`, each decoded and written as its journal line (`PreparedCommand`).
    static func parse(_ bytes: [UInt8], maximumCount: Int) throws(ServerError) -> [PreparedCommand] {
        var values: [JSONValue] = []
        do {
            switch try JSONParser.parse(bytes: bytes) {
            case .array(let elements): values = elements
            case let other: values = [other]
            }
        } catch {
            values = try jsonLines(bytes)
        }
        guard !values.isEmpty else { throw ServerError.badRequest("empty_batch", "the body holds no commands") }
        guard values.count <= maximumCount else {
            throw ServerError(status: 413, code: "batch_too_large", message: "\(values.count) commands in one request; the limit is \(maximumCount)")
        }
        var commands: [PreparedCommand] = []
        commands.reserveCapacity(values.count)
        var problems: [String] = []
        for (index, value) in values.enumerated() {
            guard case .object(let object) = value else {
                if case .invalid(let error, _) = CommandDecoder.decode(value, lineNumber: index + 1) {
                    problems.append("command \(index + 1): \(error.code): \(error.message)")
                }
                continue
            }
            let command = PreparedCommand(object)
            if case .invalid(let error, _) = command.decoded { problems.append("command \(index + 1): \(error.code): \(error.message)") }
            commands.append(command)
        }
        guard problems.isEmpty else {
            let code = values.count == 1 ? firstCode(values[0]) : "invalid_batch"
            throw ServerError.badRequest(code, "nothing was applied; " + problems.prefix(20).joined(separator: "; "))
        }
        return commands
    }

    /// Not one JSON document: JSON Lines, one command per line, split and parsed on the bytes.
    /// A line whose first character other than space, tab and CR is `#`, or that holds nothing
    /// else, is skipped: exactly the lines `leeway replay` skips (`CommandDecoder.decodeLine`).
    static func jsonLines(_ bytes: [UInt8]) throws(ServerError) -> [JSONValue] {
        var values: [JSONValue] = []
        var lineStart = 0, lineNumber = 0
        while lineStart <= bytes.count {
            lineNumber += 1
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            defer { lineStart = lineEnd + 1 }
            var first = lineStart
            while first < lineEnd, bytes[first] == 0x20 || bytes[first] == 0x09 || bytes[first] == 0x0D { first += 1 }
            guard first < lineEnd, bytes[first] != UInt8(ascii: "#") else { continue }
            do { values.append(try JSONParser.parse(bytes: bytes, in: first..<lineEnd)) } catch {
                throw ServerError.badRequest("malformed_json", "line \(lineNumber) of the body is not valid JSON: \(error.description)")
            }
        }
        return values
    }

    static func firstCode(_ value: JSONValue) -> String {
        if case .invalid(let error, _) = CommandDecoder.decode(value, lineNumber: 1) { return error.code.rawValue }
        return "invalid_batch"
    }
}
