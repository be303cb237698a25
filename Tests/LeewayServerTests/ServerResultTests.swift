import Foundation
import HTTPTypes
import HummingbirdTesting
import LeewayCore
import LeewayJournal
import LeewayServer
import Testing

@Suite("leeway serve: results name both positions")
struct ServerResultTests {
    @Test("each result gives the command's position in the request and its journal record, which a rejection refers to")
    func resultsNamePositionAndRecord() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerDefectTests.setup).status == 200)
            let body = #"{"type":"deposit","account":"alice","asset":"USDC","amount":"1"}"# + "\n"
                + #"{"type":"withdraw","account":"nobody","asset":"USDC","amount":"1"}"#
            let response = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: body)
            #expect(response.status == 200)
            #expect(response.body.contains(#"{"position":1,"record":12,"events":[]}"#), "\(response.body)")
            #expect(response.body.contains(#"{"position":2,"record":13,"events":[{"seq":"#), "\(response.body)")
            #expect(response.body.contains(#""type":"rejected","command":13,"code":"unknown_account""#), "\(response.body)")
        }
    }
}
