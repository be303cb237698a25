import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeewayServer
import Testing

/// Oracle safety through the live server: the same engine rules as replay, plus the ticker that
/// reports a stale mark when it happens with no other traffic.
@Suite("HTTP API: oracle safety")
struct ServerOracleSafetyTests {
    @Test("a spike is held and shown in /v1/markets; the ticker pauses liquidations on a stale mark; a fresh mark resumes them")
    func spikeAndStaleMarkThroughTheServer() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        let t0 = fixture.clock.now
        try await fixture.app().test(.router) { client in
            let setup = """
            {"type":"asset","asset":"USDC","price":"1","weight":"1"}
            {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005","max_mark_age_ms":60000,"max_mark_move":"0.1","confirm_ms":30000}
            {"type":"policy","mode":"soft","grace_ms":600000}
            {"type":"mark","market":"BTC-PERP","price":"10000"}
            {"type":"deposit","account":"alice","asset":"USDC","amount":"1000"}
            {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000"}
            """
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: setup).status == 200)
            fixture.clock.now = t0 + 5_000
            let spike = try await client.call(.post, "/v1/commands", key: ServerFixture.oracleKey,
                                              body: #"{"type":"mark","market":"BTC-PERP","price":"5000"}"#)
            #expect(spike.body.contains(#""type":"alert","account":null,"market":"BTC-PERP","code":"mark_held""#))
            #expect(!spike.body.contains("liquidation_fill"))
            let held = try await client.call(.get, "/v1/markets", key: ServerFixture.readerKey)
            #expect(held.body.contains(#""held_mark":{"price":"5000","ts":\#(t0 + 5_000)}"#))
            #expect(held.body.contains(#""mark":"10000""#))

            // No traffic for 61 s: the ticker's `time` command reports the held mark's end and the pause.
            fixture.clock.now = t0 + 61_000
            await fixture.host.tick()
            let events = try await client.call(.get, "/v1/events?after=0", key: ServerFixture.readerKey)
            #expect(events.body.contains(#""code":"mark_spike_discarded""#))
            fixture.clock.now = t0 + 62_000
            await fixture.host.tick()
            let paused = try await client.call(.get, "/v1/events?after=0", key: ServerFixture.readerKey)
            #expect(paused.body.contains(#""code":"liquidations_paused""#))
            let markets = try await client.call(.get, "/v1/markets", key: ServerFixture.readerKey)
            #expect(markets.body.contains(#""liquidations_paused":true"#))
            let metrics = try await client.call(.get, "/metrics", key: ServerFixture.readerKey)
            #expect(metrics.body.contains(#"leeway_market_liquidations_paused{market="BTC-PERP"} 1"#))

            fixture.clock.now = t0 + 70_000
            let fresh = try await client.call(.post, "/v1/commands", key: ServerFixture.oracleKey,
                                              body: #"{"type":"mark","market":"BTC-PERP","price":"9080"}"#)
            #expect(fresh.body.contains(#""code":"liquidations_resumed""#))
            #expect(fresh.body.contains(#""type":"margin_call""#))
        }
    }
}
