import LeewayCore
import LeewayWire
import Testing

/// `JSONValueDecoder` reads `Codable` types from a parsed JSON value (snapshots use it).
@Suite("JSONValueDecoder: Codable from a parsed JSON value")
struct JSONValueDecoderTests {
    struct Sample: Codable, Equatable {
        var count: Int64
        var name: String
        var amount: Fixed
        var flags: [Bool]
        var ratio: Double?
        var byAccount: [Int: String]
        var phase: Phase
    }

    enum Phase: Codable, Equatable {
        case calm
        case called(deadlineMs: Int64)
    }

    @Test("objects, arrays, optionals, integer-keyed dictionaries, enums with payloads and exact decimals round-trip")
    func readsWhatCodableWrites() throws {
        let text = #"{"count":9007199254740993,"name":"é-ok","amount":"0.00000001","flags":[true,false],"byAccount":{"3":"x","10":"y"},"phase":{"called":{"deadlineMs":1700000000000}}}"#
        let sample = try JSONValueDecoder().decode(Sample.self, from: Array(text.utf8))
        #expect(sample == Sample(count: 9_007_199_254_740_993, name: "é-ok", amount: Fixed(raw: 1), flags: [true, false], ratio: nil,
                                 byAccount: [3: "x", 10: "y"], phase: .called(deadlineMs: 1_700_000_000_000)))
    }

    @Test("a wrong kind, a missing key and an integer out of range are errors naming the path", arguments: [
        (#"{"count":"1","name":"a","amount":"1","flags":[],"byAccount":{},"phase":{"calm":{}}}"#, "count"),
        (#"{"count":1,"amount":"1","flags":[],"byAccount":{},"phase":{"calm":{}}}"#, "name"),
        (#"{"count":9223372036854775808,"name":"a","amount":"1","flags":[],"byAccount":{},"phase":{"calm":{}}}"#, "count"),
        (#"{"count":1,"name":"a","amount":"1","flags":[1],"byAccount":{},"phase":{"calm":{}}}"#, "flags"),
    ])
    func errorsNameThePath(text: String, field: String) {
        do {
            _ = try JSONValueDecoder().decode(Sample.self, from: Array(text.utf8))
            Issue.record("decoded \(text)")
        } catch {
            #expect("\(error)".contains(field), "\(error)")
        }
    }
}
