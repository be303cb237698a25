import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeewayServer
import Testing

/// The live server takes every part-2 field through the same decoder and engine as replay.
@Suite("HTTP API: policy part 2")
struct ServerPolicyPart2Tests {
    @Test("a zone policy, a reserve and protect: the venue key sends them, the call is cured by auto top-up, the report shows the reserve")
    func zonePolicyAndAutoTopup() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let setup = """
            {"type":"asset","asset":"USDC","price":"1","weight":"1","ts":1700000000000}
            {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005","expected_slippage":"0.001","ts":1700000000000}
            {"type":"policy","call_level":"1.5","grace_ms":60000,"liquidation_step_fraction":"0.5","liquidation_cooldown_ms":5000,"toxic_close":true,"pre_liquidation_fee":"0.001","dynamic_margin":{"reference_volatility":"0.5","max_multiplier":"2"},"ts":1700000000000}
            {"type":"mark","market":"BTC-PERP","price":"10000","ts":1700000000000}
            """
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: setup).status == 200)
            let trading = """
            {"type":"deposit","account":"alice","asset":"USDC","amount":"1000","ts":1700000000000}
            {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000","ts":1700000000000}
            {"type":"deposit","account":"alice","asset":"USDC","amount":"500","to":"reserve","ts":1700000000000}
            {"type":"protect","account":"alice","auto_topup":{"asset":"USDC","max_amount":"300"},"ts":1700000000000}
            """
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.venueKey, body: trading).status == 200)
            let mark = try await client.call(.post, "/v1/commands", key: ServerFixture.oracleKey,
                                             body: #"{"type":"mark","market":"BTC-PERP","price":"9120","ts":1700000010000}"#)
            #expect(mark.status == 200)
            #expect(mark.body.contains(#""type":"auto_topup","account":"alice","asset":"USDC","amount":"25.92000001""#))
            #expect(!mark.body.contains("margin_call"))
            let alice = try await client.call(.get, "/v1/accounts/alice", key: ServerFixture.readerKey)
            #expect(alice.body.contains(#""reserves":{"USDC":"474.07999999"}"#))
            #expect(alice.body.contains(#""auto_topup":{"asset":"USDC","remaining":"274.07999999"}"#))
            let refused = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: #"{"type":"policy","call_level":"0.5"}"#)
            #expect(refused.status == 200)
            #expect(refused.body.contains(#""code":"invalid_policy""#))
        }
    }
}
