import LeewayCore
import LeewayWire

/// The body of `POST /v1/commands`: one JSON object, a JSON array of objects, or JSON Lines.
/// Every command is decoded before anything is queued; one bad command refuses the whole batch
/// (400, listing each problem), so nothing of a refused request is applied or journaled.
enum CommandBatch {
    static func parse(_ bytes: [UInt8], maximumCount: Int) throws(ServerError) -> [JSONObject] {
        var values: [JSONValue] = []
        do {
            switch try JSONParser.parse(bytes: bytes) {
            case .array(let elements): values = elements
            case let other: values = [other]
            }
        } catch {
            // Not one JSON document: JSON Lines, one command per line; blank lines and lines
            // starting with `#` are skipped, exactly as `leeway replay` skips them.
            let text = String(decoding: bytes, as: UTF8.self)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingWhitespace
                guard !trimmed.isEmpty, trimmed.first != "#" else { continue }
                do { values.append(try JSONParser.parse(String(trimmed))) } catch {
                    throw ServerError.badRequest("malformed_json", "line \(index + 1) of the body is not valid JSON: \(error.description)")
                }
            }
        }
        guard !values.isEmpty else { throw ServerError.badRequest("empty_batch", "the body holds no commands") }
        guard values.count <= maximumCount else {
            throw ServerError(status: 413, code: "batch_too_large", message: "\(values.count) commands in one request; the limit is \(maximumCount)")
        }
        var objects: [JSONObject] = []
        var problems: [String] = []
        for (index, value) in values.enumerated() {
            switch CommandDecoder.decode(value, lineNumber: index + 1) {
            case .command:
                if case .object(let object) = value { objects.append(object) }
            case .invalid(let error, _):
                problems.append("command \(index + 1): \(error.code): \(error.message)")
            case .skip:
                problems.append("command \(index + 1): empty")
            }
        }
        guard problems.isEmpty else {
            let code = values.count == 1 ? firstCode(values[0]) : "invalid_batch"
            throw ServerError.badRequest(code, "nothing was applied; " + problems.prefix(20).joined(separator: "; "))
        }
        return objects
    }

    static func firstCode(_ value: JSONValue) -> String {
        if case .invalid(let error, _) = CommandDecoder.decode(value, lineNumber: 1) { return error.code.rawValue }
        return "invalid_batch"
    }
}

extension Substring {
    var trimmingWhitespace: Substring {
        var text = self
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
