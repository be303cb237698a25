import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import LeewayServer
import LeewayWire
import Testing
import WSClient
import WSCore

@Suite("WebSocket stream and OpenAPI document")
struct StreamAndDocumentTests {
    /// Event seqs in stream messages.
    static func seqs(_ messages: [String]) -> [Int] {
        messages.compactMap { message in
            guard let range = message.range(of: #""seq":"#) else { return nil }
            return Int(message[range.upperBound...].prefix { $0.isNumber })
        }
    }

    @Test("the stream replays stored events after a seq, then live ones, with nothing missed or repeated")
    func streamResumes() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.live) { client in
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            var headers: HTTPFields = [:]
            headers[.authorization] = "Bearer \(ServerFixture.adminKey)"
            let live = #"{"type":"deposit","account":"alice","asset":"USDC","amount":"500","ts":1700000120000}"#
            let application = fixture.application
            try await client.ws("/v1/stream?after=0", configuration: .init(additionalHeaders: headers)) { inbound, _, _ in
                var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                var received: [String] = []
                // The backlog: events 1 and 2 (warning, margin_call) of the scenario.
                for _ in 0..<2 {
                    if let text = Self.text(try await iterator.next()) { received.append(text) }
                }
                // A live command while connected: its `cured` event arrives next.
                _ = try await application.host.submit([try Self.object(live)])
                if let text = Self.text(try await iterator.next()) { received.append(text) }
                #expect(Self.seqs(received) == [1, 2, 3])
                #expect(received.last?.contains(#""type":"cured""#) == true)
            }
        }
    }

    @Test("resuming after a seq starts exactly after it")
    func streamAfter() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.live) { client in
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            var headers: HTTPFields = [:]
            headers[.authorization] = "Bearer \(ServerFixture.adminKey)"
            try await client.ws("/v1/stream?after=1", configuration: .init(additionalHeaders: headers)) { inbound, _, _ in
                var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                let first = Self.text(try await iterator.next())
                #expect(first.map { Self.seqs([$0]) } == [2])
            }
        }
    }

    @Test("a trader's stream carries only its own accounts' events")
    func traderStream() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.live) { client in
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            var headers: HTTPFields = [:]
            headers[.authorization] = "Bearer \(ServerFixture.aliceKey)"
            let application = fixture.application
            try await client.ws("/v1/stream?after=0", configuration: .init(additionalHeaders: headers)) { inbound, _, _ in
                var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                // bob's and carol's new events must not arrive; alice's cure must.
                _ = try await application.host.submit([
                    try Self.object(#"{"type":"deposit","account":"bob","asset":"USDC","amount":"1","ts":1700000120000}"#),
                    try Self.object(#"{"type":"withdraw","account":"carol","asset":"USDC","amount":"999999","ts":1700000120000}"#),
                    try Self.object(#"{"type":"deposit","account":"alice","asset":"USDC","amount":"500","ts":1700000120000}"#),
                ])
                var received: [String] = []
                for _ in 0..<3 {
                    if let text = Self.text(try await iterator.next()) { received.append(text) }
                }
                #expect(received.allSatisfy { $0.contains(#""account":"alice""#) })
                #expect(received.last?.contains(#""type":"cured""#) == true)
            }
        }
    }

    @Test("the stream refuses a missing key")
    func streamNeedsKey() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.live) { client in
            // The closure's value would be the refusal's error; the #expect is what this checks.
            _ = await #expect(throws: (any Error).self) {
                try await client.ws("/v1/stream") { inbound, _, _ in for try await _ in inbound {} }
            }
        }
    }

    @Test("the OpenAPI document lists exactly the served routes, and each answers with a documented status")
    func openAPIMatchesServer() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let document = try await client.call(.get, "/openapi.json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(document.body.utf8)) as? [String: Any])
            #expect(object["openapi"] as? String == "3.0.3")
            let paths = try #require(object["paths"] as? [String: [String: Any]])
            var documented: [String] = []
            for (path, operations) in paths { for method in operations.keys { documented.append("\(method) \(path)") } }
            #expect(documented.sorted() == ServerRoute.all.map { "\($0.method) \($0.path)" }.sorted())
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            for route in ServerRoute.all where route.path != "/v1/stream" {
                let path = route.path.replacingOccurrences(of: "{id}", with: "alice").replacingOccurrences(of: "{market}", with: "BTC-PERP") + (route.path.hasSuffix("what-if") ? "?deposit=1" : "")
                let body = route.method == "post" ? #"{"type":"time","ts":1700000100000}"# : nil
                for key in [ServerFixture.adminKey, nil, ServerFixture.readerKey] {
                    let response = try await client.call(route.method == "post" ? .post : .get, path, key: key, body: body)
                    let operation = paths[route.path]?[route.method] as? [String: Any]
                    let responses = operation?["responses"] as? [String: Any] ?? [:]
                    #expect(responses[String(response.status)] != nil, "\(route.method) \(path) answered \(response.status), not documented")
                }
            }
        }
    }

    static func text(_ message: WebSocketMessage?) -> String? {
        guard case .text(let text) = message else { return nil }
        return text
    }

    static func object(_ text: String) throws -> LeewayWire.JSONObject {
        guard case .object(let object) = try JSONParser.parse(text) else { throw CancellationError() }
        return object
    }
}
