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
}
