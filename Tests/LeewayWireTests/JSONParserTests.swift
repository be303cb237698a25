import LeewayWire
import Testing

@Suite("Strict JSON parser")
struct JSONParserTests {
    @Test("keeps number literals as exact text")
    func numbersStayText() throws {
        let value = try JSONParser.parse(#"{"a": 0.1, "b": -12e3, "c": "x\u00e9\n"}"#)
        guard case .object(let object) = value else { Issue.record("expected an object"); return }
        #expect(object["a"] == .number("0.1"))
        #expect(object["b"] == .number("-12e3"))
        #expect(object["c"] == .string("x\u{e9}\n"))
        #expect(object.keys == ["a", "b", "c"])
    }

    @Test("refuses malformed input", arguments: [
        "", "{", "{\"a\":}", "[1,]", "{\"a\":1,\"a\":2}", "NaN", "{\"a\":Infinity}", "01", "1.", "\"\\x\"",
        "{\"a\":1} x", "\"\u{01}\"", String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func refusals(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test("writes deterministic compact JSON with escapes")
    func writer() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("type", "x\"y")
        writer.field("seq", Int64(3))
        writer.key("list"); writer.beginArray(); writer.string("a"); writer.int(1); writer.endArray()
        writer.endObject()
        #expect(writer.text == #"{"type":"x\"y","seq":3,"list":["a",1]}"#)
    }
}
