import LeewayCore
import LeewayWire
import Testing

@testable import LeewayServer

@Suite("leeway serve: commands prepared off the engine's owner")
struct PreparedCommandTests {
    static let withoutTimestamp = [
        #"{"type":"deposit","account":"alice","asset":"USDC","amount":"100"}"#,
        #"{"id":"c-1","type":"fill","account":"bob \"the\" trader","market":"BTC-PERP","size":"-0.5","price":"60000","fee":"0.1"}"#,
        #"{"type":"market","market":"ETH-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.1","mmr":"0.05"}],"liquidation_fee":"0.01"}"#,
        #"{"type":"mark","market":"ETH-PERP","price":"2500.25"}"#,
        #"{"type":"time"}"#,
    ]

    @Test("stamping ts gives the line and envelope of the same command sent with that ts as its last member", arguments: withoutTimestamp)
    func stampEqualsSendingTimestamp(text: String) throws {
        guard case .object(let object) = try JSONParser.parse(text) else { Issue.record("not an object"); return }
        var stamped = PreparedCommand(object)
        #expect(!stamped.hasTimestamp)
        stamped.stamp(ms: 1_700_000_123_456)
        var sent = object
        sent.append("ts", .number("1700000123456"))
        let prepared = PreparedCommand(sent)
        #expect(stamped.line == prepared.line)
        #expect(stamped.object == prepared.object)
        // The envelope the owner applies is the one a replay of the journal line decodes.
        guard case .command(let envelope) = stamped.decoded,
              case .command(let replayed) = CommandDecoder.decodeLine(Substring(stamped.line), lineNumber: 0) else {
            Issue.record("\(text) did not decode once stamped"); return
        }
        #expect(envelope == replayed)
        #expect(envelope.timestampMs == 1_700_000_123_456)
    }

    @Test("a JSON Lines body skips exactly the lines leeway replay skips, and names the line that is not JSON",
          arguments: [
              ("{\"type\":\"time\",\"ts\":1}\n{\"type\":\"time\",\"ts\":2}", 2, nil),
              ("# a comment\n  # indented\n\t\r\n\n{\"type\":\"time\",\"ts\":1}\r\n", 1, nil),
              ("{\"type\":\"time\",\"ts\":1}\n{\"type\":\"time\",\"ts\":2}\n", 2, nil),
              ("{\"type\":\"time\",\"ts\":1}\n\n{\"type\":\"time\",\"ts\":2}\n  {\"type\":", 0, 4),
              ("{\"type\":\"time\",\"ts\":1}\n\u{00A0}{\"type\":\"time\",\"ts\":2}", 0, 2),
          ] as [(String, Int, Int?)])
    func jsonLinesGrammar(body: String, commands: Int, badLine: Int?) throws {
        let bytes = Array(body.utf8)
        do {
            let values = try CommandBatch.jsonLines(bytes)
            #expect(badLine == nil)
            #expect(values.count == commands)
            // Lines split on the byte 0x0A, as a file is read (a Character split would keep "\r\n" whole).
            let lines = body.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring(String(decoding: $0, as: UTF8.self)) }
            let replayed = lines.enumerated().filter { index, line in
                if case .skip = CommandDecoder.decodeLine(line, lineNumber: index + 1) { return false }
                return true
            }
            #expect(replayed.count == commands)
        } catch {
            #expect(error.code == "malformed_json")
            #expect(badLine.map { error.message.contains("line \($0) ") } == true, "\(error.message)")
        }
    }
}
