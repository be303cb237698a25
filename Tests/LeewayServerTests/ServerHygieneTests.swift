import Foundation
import HTTPTypes
import HummingbirdTesting
import LeewayCore
import LeewayJournal
import LeewayServer
import Testing

@Suite("leeway serve: HTTP hygiene")
struct ServerHygieneTests {
    @Test("unknown routes and methods get the JSON error format", arguments: [("get", "/v1/nope", 404), ("post", "/healthz", 405)])
    func unknownRoutes(method: String, path: String, status: Int) async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let response = try await client.call(method == "post" ? .post : .get, path, key: ServerFixture.adminKey, body: method == "post" ? "{}" : nil)
            #expect([404, 405].contains(response.status))
            #expect(response.body.hasPrefix(#"{"error":{"code":""#), "\(response.status) \(response.body)")
        }
    }

    static let keyHeader = "Authorization: Bearer \(ServerFixture.adminKey)\r\n"

    /// Runs `body` against a live server (on a loopback port) with a 4 KiB head limit and the
    /// given timeouts (generous unless a test is about them: tests run in parallel on few cores).
    static func live(headerTimeoutMs: Int64 = 10_000, idleTimeoutMs: Int64 = 60_000,
                     _ body: @escaping @Sendable (ServerFixture, Int) async throws -> Void) async throws {
        let fixture = try ServerFixture {
            $0.headerTimeoutMs = headerTimeoutMs
            $0.idleTimeoutMs = idleTimeoutMs
            $0.maxHeaderBytes = 4_096
        }
        defer { fixture.remove() }
        try await fixture.app().test(.live) { client in
            try await body(fixture, try #require(client.port))
        }
    }

    @Test("a request head over max_header_bytes gets 431 with the JSON error and the connection is closed, first or later on a connection",
          arguments: [false, true])
    func oversizedHead(afterAnotherRequest: Bool) async throws {
        try await Self.live { _, port in
            let connection = try RawHTTPConnection(port: port)
            let first = afterAnotherRequest ? "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" : ""
            connection.send(first + "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + String(repeating: "a", count: 8_000) + "\r\n\r\n")
            let (text, closed) = await connection.readUntilClosed(timeout: .seconds(5))
            #expect(text.contains("HTTP/1.1 431 "), "\(text)")
            #expect(text.contains(#"{"error":{"code":"header_too_large""#), "\(text)")
            #expect(closed)
        }
    }

    @Test("a connection that does not complete its request head within header_timeout_ms gets 408 and is closed (slowloris)")
    func slowHeadTimesOut() async throws {
        try await Self.live(headerTimeoutMs: 300) { _, port in
            let connection = try RawHTTPConnection(port: port)
            let started = ContinuousClock.now
            connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
            try await Task.sleep(for: .milliseconds(150))
            connection.send("X-Slow: 1\r\n")  // still trickling
            // Generous read timeouts: the whole suite runs in parallel on two cores.
            let (text, closed) = await connection.readUntilClosed(timeout: .seconds(20))
            #expect(closed)
            #expect(text.contains("HTTP/1.1 408 ") && text.contains("header_timeout"), "\(text)")
            #expect(ContinuousClock.now - started < .seconds(15))
        }
    }

    @Test("an idle keep-alive connection, or one trickling its next head, is closed after idle_timeout_ms")
    func idleConnectionIsClosed() async throws {
        try await Self.live(idleTimeoutMs: 600) { _, port in
            for next in ["", "GET /heal"] {
                let connection = try RawHTTPConnection(port: port)
                let started = ContinuousClock.now
                connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + next)
                let (text, closed) = await connection.readUntilClosed(timeout: .seconds(20))
                #expect(text.contains("HTTP/1.1 200 "), "\(text)")
                #expect(closed, "the connection was still open after 20 s")
                #expect(ContinuousClock.now - started >= .milliseconds(500))
            }
        }
    }

    @Test("a malformed chunked body gets 400 malformed_body and nothing of it is applied")
    func malformedChunkedBody() async throws {
        try await Self.live { fixture, port in
            let records = try fixture.host.journal.head().seq
            let connection = try RawHTTPConnection(port: port)
            let command = #"{"type":"insurance_deposit","amount":"5"}"#
            connection.send("POST /v1/commands HTTP/1.1\r\nHost: x\r\n\(Self.keyHeader)Transfer-Encoding: chunked\r\n\r\n"
                            + String(command.utf8.count, radix: 16) + "\r\n" + command + "\r\nzz\r\n")
            let (text, _) = await connection.readUntilClosed(timeout: .seconds(20))
            #expect(text.contains("HTTP/1.1 400 ") && text.contains(#""code":"malformed_body""#), "\(text)")
            #expect(try fixture.host.journal.head().seq == records)
        }
    }

    @Test("a WebSocket upgrade without a valid key gets 401 with the JSON error, and with a bad after 400")
    func upgradeWithoutKey() async throws {
        try await Self.live { _, port in
            let upgrade = "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            for (path, key, status, code) in [("/v1/stream", "", "401", "unauthorized"),
                                              ("/v1/stream", "Authorization: Bearer not-a-key-0123456789\r\n", "401", "unauthorized"),
                                              ("/v1/stream?after=-3", Self.keyHeader, "400", "invalid_parameter")] {
                let connection = try RawHTTPConnection(port: port)
                connection.send("GET \(path) HTTP/1.1\r\n" + upgrade + key + "\r\n")
                let (text, closed) = await connection.readUntilClosed(timeout: .seconds(3))
                #expect(text.hasPrefix("HTTP/1.1 \(status) "), "\(text)")
                #expect(text.contains(#"{"error":{"code":"\#(code)""#), "\(text)")
                #expect(closed)
            }
        }
    }

    @Test("account ids in URLs are percent-decoded, then held to the identifier rule")
    func percentDecodedAccountIDs() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.live) { client in
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            let alice = try await client.call(.get, "/v1/accounts/al%69ce", key: ServerFixture.adminKey)
            #expect(alice.status == 200 && alice.body.contains(#""account":"alice""#), "\(alice.body)")
            #expect(try await client.call(.get, "/v1/accounts/al%69ce/what-if?deposit=1", key: ServerFixture.adminKey).status == 200)
            for bad in ["a%00b", "%FF%FE", String(repeating: "x", count: 129)] {
                let response = try await client.call(.get, "/v1/accounts/\(bad)", key: ServerFixture.adminKey)
                #expect(response.status == 400 && response.body.contains(#""code":"invalid_account_id""#), "\(bad): \(response.body)")
            }
        }
    }
}
