import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeewayServer
import Testing

@Suite("HTTP API")
struct ServerTests {
    @Test("every endpoint answers with JSON as documented")
    func endpoints() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let key = ServerFixture.adminKey
            let posted = try await client.call(.post, "/v1/commands", key: key, body: ServerFixture.scenario)
            #expect(posted.status == 200)
            #expect(posted.body.contains(#""type":"margin_call","account":"alice""#))
            let results = try JSONSerialization.jsonObject(with: Data(posted.body.utf8)) as? [String: Any]
            #expect((results?["results"] as? [Any])?.count == 12)

            let alice = try await client.call(.get, "/v1/accounts/alice", key: key)
            #expect(alice.status == 200)
            #expect(alice.body.contains(#""phase":"margin_call""#))
            #expect(alice.body.contains(#""liquidation_price":"#))

            let atRisk = try await client.call(.get, "/v1/accounts?phase=margin_call&order=margin_ratio&limit=100", key: key)
            #expect(atRisk.status == 200)
            #expect(atRisk.body.contains(#""account":"alice""#))
            #expect(!atRisk.body.contains(#""account":"bob""#))

            let cure = try await client.call(.get, "/v1/accounts/alice/what-if?deposit=500", key: key)
            #expect(cure.status == 200)
            #expect(cure.body.contains(#""equity":"580""#))
            let reduce = try await client.call(.get, "/v1/accounts/alice/what-if?reduce=BTC-PERP:0.5", key: key)
            #expect(reduce.status == 200)
            // A called account's report and what-ifs carry its Greeks, worst scenario and the hedge that cures.
            #expect(alice.body.contains(#""underlyings":[{"market":"BTC-PERP""#) && alice.body.contains(#""worst_scenario":{"index":"#))
            #expect(alice.body.contains(#""hedges_to_cure":[{"market":"BTC-PERP""#) && alice.body.contains(#""greeks":{"delta":"#))
            let trade = try await client.call(.get, "/v1/accounts/alice/what-if?trade=BTC-PERP:-0.5", key: key)
            #expect(trade.status == 200 && trade.body.contains(#""hedges_to_cure":"#), "\(trade.body)")

            let events = try await client.call(.get, "/v1/events?after=0&limit=10", key: key)
            #expect(events.status == 200)
            #expect(events.body.contains(#""seq":1"#))

            #expect(try await client.call(.get, "/v1/markets", key: key).body.contains(#""market":"BTC-PERP""#))
            #expect(try await client.call(.get, "/v1/insurance-fund", key: key).body == #"{"insurance_funds":{"USDC":"50"}}"#)
            let health = try await client.call(.get, "/healthz")
            #expect(health.status == 200)
            #expect(health.body == #"{"status":"ok","role":"leader"}"#)  // liveness and role only: no state for anonymous callers
            let status = try await client.call(.get, "/v1/status", key: key)
            #expect(status.body.contains(#""records":12"#))
            #expect(status.body.contains(#""digest":""#))
            let metrics = try await client.call(.get, "/metrics", key: key)
            #expect(metrics.body.contains(#"leeway_commands_total{type="fill"} 3"#))
            #expect(metrics.body.contains(#"leeway_accounts{phase="margin_call"} 1"#))
            #expect(metrics.body.contains("leeway_journal_append_seconds"))
        }
    }

    @Test("keys and roles: 401 without or with a wrong key, 403 for the wrong role", arguments: [
        (nil as String?, "post", "/v1/commands", #"{"type":"time","ts":1700000000001}"#, 401),
        ("wrong-key-0123456789", "get", "/v1/markets", nil as String?, 401),
        (ServerFixture.readerKey, "post", "/v1/commands", #"{"type":"time","ts":1700000000001}"#, 403),
        (ServerFixture.aliceKey, "post", "/v1/commands", #"{"type":"time","ts":1700000000001}"#, 403),
        (ServerFixture.oracleKey, "post", "/v1/commands", #"{"type":"deposit","account":"x","asset":"USDC","amount":"1"}"#, 403),
        (ServerFixture.venueKey, "post", "/v1/commands", #"{"type":"mark","market":"BTC-PERP","price":"1"}"#, 403),
        (ServerFixture.venueKey, "post", "/v1/commands", #"{"type":"asset","asset":"ETH","price":"1","weight":"1"}"#, 403),
        (ServerFixture.oracleKey, "post", "/v1/commands", #"{"type":"time","ts":1700000000001}"#, 200),
        (ServerFixture.venueKey, "post", "/v1/commands", #"{"type":"deposit","account":"x","asset":"USDC","amount":"1"}"#, 200),
        (ServerFixture.readerKey, "get", "/v1/accounts/alice", nil, 200),
        (ServerFixture.aliceKey, "get", "/v1/accounts/alice", nil, 200),
        (ServerFixture.aliceKey, "get", "/v1/accounts/bob", nil, 403),
        (ServerFixture.aliceKey, "get", "/v1/accounts/bob/what-if?deposit=1", nil, 403),
        (nil, "get", "/metrics", nil, 401),
        (ServerFixture.aliceKey, "get", "/metrics", nil, 403),
        (ServerFixture.venueKey, "get", "/metrics", nil, 403),
        (ServerFixture.readerKey, "get", "/metrics", nil, 200),
        (nil, "get", "/v1/status", nil, 401),
        (ServerFixture.aliceKey, "get", "/v1/status", nil, 403),
        (ServerFixture.oracleKey, "get", "/v1/status", nil, 403),
        (ServerFixture.readerKey, "get", "/v1/status", nil, 200),
        (nil, "get", "/healthz", nil, 200),
        (nil, "get", "/openapi.json", nil, 200),
    ])
    func roles(key: String?, method: String, path: String, body: String?, status: Int) async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            let response = try await client.call(method == "post" ? .post : .get, path, key: key, body: body)
            #expect(response.status == status, "\(method) \(path): \(response.body)")
            if status >= 400 { #expect(response.body.contains(#"{"error":{"code":"#)) }
        }
    }

    @Test("a trader key sees only its own accounts and events on every endpoint")
    func traderIsolation() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            let key = ServerFixture.aliceKey
            let list = try await client.call(.get, "/v1/accounts?order=id", key: key)
            #expect(list.body.contains(#""account":"alice""#))
            #expect(!list.body.contains("bob") && !list.body.contains("carol"))
            let events = try await client.call(.get, "/v1/events?after=0&limit=1000", key: key)
            #expect(events.body.contains("alice"))
            #expect(!events.body.contains("bob") && !events.body.contains("carol"))
            for path in ["/v1/accounts/bob", "/v1/accounts/carol", "/v1/accounts/carol/what-if?deposit=1"] {
                #expect(try await client.call(.get, path, key: key).status == 403)
            }
            // Unknown accounts are not revealed either: 403, not 404.
            #expect(try await client.call(.get, "/v1/accounts/nobody", key: key).status == 403)
        }
    }

    @Test("bad requests get a JSON error with a stable code and change nothing", arguments: [
        ("{not json", 400, "malformed_json"),
        (#"{"type":"teleport"}"#, 400, "unknown_type"),
        (#"{"type":"deposit","account":"a","asset":"USDC","amount":"NaN"}"#, 400, "invalid_decimal"),
        (#"{"type":"deposit","account":"a","asset":"USDC","amount":"1","colour":"red"}"#, 400, "unknown_field"),
        (#"[{"type":"time","ts":1700000000001},{"type":"fill"}]"#, 400, "invalid_batch"),
        (#"[]"#, 400, "empty_batch"),
        ("[" + Array(repeating: #"{"type":"time","ts":1700000000001}"#, count: 11).joined(separator: ",") + "]", 413, "batch_too_large"),
        (String(repeating: " ", count: 3_000) + #"{"type":"time"}"#, 413, "body_too_large"),
    ])
    func badInput(body: String, status: Int, code: String) async throws {
        let fixture = try ServerFixture(maxBatch: 10, maxBodyBytes: 2_048)
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let response = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: body)
            #expect(response.status == status, "\(response.body)")
            #expect(response.body.contains(#""code":"\#(code)""#), "\(response.body)")
            #expect(try await client.call(.get, "/v1/status", key: ServerFixture.adminKey).body.contains(#""records":0"#))
        }
    }

    @Test("bad query parameters get 400 with a code", arguments: [
        "/v1/accounts?phase=sleepy", "/v1/accounts?limit=0", "/v1/accounts?order=colour", "/v1/accounts?colour=red",
        "/v1/events?after=-1", "/v1/events?limit=abc", "/v1/accounts/alice/what-if", "/v1/accounts/alice/what-if?deposit=abc",
        "/v1/accounts/alice/what-if?reduce=BTC-PERP", "/v1/accounts/alice/what-if?reduce=BTC-PERP:5",
        "/v1/accounts/alice/what-if?deposit=", "/v1/accounts/alice/what-if?reduce=", "/v1/accounts/alice/what-if?deposit=:",
        "/v1/accounts/alice/what-if?deposit=USDC:", "/v1/accounts/alice/what-if?deposit=a:b:c",
        "/v1/accounts/alice/what-if?trade=BTC-PERP", "/v1/accounts/alice/what-if?trade=BTC-PERP:0", "/v1/accounts/alice/what-if?trade=NOPE:1",
    ])
    func badParameters(path: String) async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            let response = try await client.call(.get, path, key: ServerFixture.adminKey)
            #expect(response.status == 400, "\(path): \(response.body)")
            #expect(response.body.contains(#"{"error":{"code":"#))
        }
    }

    @Test("a full inbox answers 503 with Retry-After and journals nothing")
    func overload() async throws {
        let fixture = try ServerFixture(inboxLimit: 0)
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let response = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: #"{"type":"time","ts":1700000000001}"#)
            #expect(response.status == 503)
            #expect(response.headers[.retryAfter] == "1")
            #expect(response.body.contains(#""code":"overloaded""#))
            #expect(try await client.call(.get, "/v1/status", key: ServerFixture.adminKey).body.contains(#""records":0"#))
        }
    }

    @Test("a command id is applied once, also after a restart from the journal")
    func idempotency() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-idem-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let command = #"{"type":"deposit","account":"dan","asset":"USDC","amount":"10","id":"dep-1"}"#
        let fixture = try ServerFixture(directory: directory)
        let first: String = try await fixture.app().test(.router) { client in
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            let first = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: command).body
            let again = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: command).body
            #expect(eventsPart(again) == eventsPart(first))
            #expect(again.contains(#""record":null,"retried":true"#))
            return first
        }
        await fixture.host.shutdown()
        let restarted = try ServerFixture(directory: directory)
        try await restarted.app().test(.router) { client in
            let third = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: command).body
            #expect(eventsPart(third) == eventsPart(first))
            #expect(try await client.call(.get, "/v1/accounts/dan", key: ServerFixture.adminKey).body.contains(#""USDC":"10""#))
        }
    }

    @Test("with no keys configured every local caller is admin")
    func openAccess() async throws {
        let fixture = try ServerFixture(openAccess: true)
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let posted = try await client.call(.post, "/v1/commands", body: ServerFixture.scenario)
            #expect(posted.status == 200)
            #expect(try await client.call(.get, "/metrics").status == 200)
        }
    }
}
