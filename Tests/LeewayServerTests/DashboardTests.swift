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

@Suite("Dashboard: static files and aggregate endpoints")
struct DashboardTests {
    static func object(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    @Test("the page, its script and stylesheet are served from the binary with their content types and a same-origin policy")
    func staticFiles() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            for (path, type, marker) in [("/", "text/html; charset=utf-8", "<script src=\"/dashboard.js\""),
                                         ("/dashboard.js", "text/javascript; charset=utf-8", "/v1/dashboard/overview"),
                                         ("/dashboard.css", "text/css; charset=utf-8", "--healthy")] {
                // No key needed: the files hold no data (the API they call does).
                let response = try await client.call(.get, path)
                #expect(response.status == 200)
                #expect(response.headers[.contentType] == type)
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
                #expect(response.body.contains(marker))
            }
        }
    }

    @Test("nothing in the page refers to another host: the only URL scheme is the SVG namespace")
    func assetsAreSelfContained() {
        for asset in DashboardAssets.all {
            var rest = Substring(asset.body)
            while let range = rest.range(of: "://") {
                let before = rest[..<range.lowerBound].suffix(5)
                let after = rest[range.upperBound...].prefix(11)
                // `${scheme}://${location.host}` (the page's own origin) and the SVG namespace.
                #expect(after.hasPrefix("${location") || (before.hasSuffix("http") && after == "www.w3.org/"), "\(asset.path): …\(before)://\(after)…")
                rest = rest[range.upperBound...]
            }
        }
    }

    @Test("the overview counts phases and ranks the called account first with its countdown and distance to liquidation")
    func overviewRanksByMarginRatio() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            let response = try await client.call(.get, "/v1/dashboard/overview?limit=2", key: ServerFixture.readerKey)
            #expect(response.status == 200)
            let body = try Self.object(response.body)
            #expect(body["scope"] as? String == "venue")
            #expect(body["accounts"] as? Int == 3)
            #expect(body["accounts_at_risk"] as? Int == 1)
            let phases = try #require(body["phases"] as? [String: Int])
            #expect(phases["margin_call"] == 1 && phases["healthy"] == 2)
            let rows = try #require(body["at_risk"] as? [[String: Any]])
            #expect(rows.count == 2)
            // alice: equity 1000 − 920 = 80, MM 1 % of 9080 = 90.8, ratio 90.8 / 80 = 1.135.
            #expect(rows[0]["account"] as? String == "alice")
            #expect(rows[0]["phase"] as? String == "margin_call")
            #expect(rows[0]["margin_ratio"] as? String == "1.135")
            #expect(rows[0]["distance_to_liquidation"] as? String == "-10.8")
            #expect(rows[0]["deadline"] as? Int == 1_700_000_660_000)
            // carol (ratio 181.6 / 7840) ranks above bob (90.8 / 5920).
            #expect(rows[1]["account"] as? String == "carol")
            let markets = try #require(try Self.object(try await client.call(.get, "/v1/markets", key: ServerFixture.readerKey).body)["markets"] as? [[String: Any]])
            #expect(markets.first?["market"] as? String == "BTC-PERP")
            #expect((markets.first?["policy"] as? [String: Any])?["grace_ms"] as? Int == 600_000)
            #expect(markets.first?["policy_scope"] as? String == "global")
            #expect(try await client.call(.get, "/v1/dashboard/overview?limit=0", key: ServerFixture.readerKey).status == 400)
            #expect(try await client.call(.get, "/v1/dashboard/overview").status == 401)
        }
    }

    @Test("the liquidation map puts each position's notional at its liquidation price, longs and shorts apart")
    func liquidationMapBins() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            let response = try await client.call(.get, "/v1/markets/BTC-PERP/liquidation-map?bins=7&low=9000&high=16000", key: ServerFixture.readerKey)
            #expect(response.status == 200)
            let body = try Self.object(response.body)
            #expect(body["bin_width"] as? String == "1000")
            let bins = try #require(body["bins"] as? [[String: Any]])
            #expect(bins.count == 7)
            // alice long 1 at mark 9080, equity 80: 80 + (p − 9080) = 0.01 p → p = 9000 / 0.99, rounded up.
            #expect(bins[0]["long_notional"] as? String == "9090.90909091")
            // carol short 2, equity 7840: 7840 − 2 (p − 9080) = 0.02 p → p = 26000 / 2.02, rounded down; × 2.
            #expect(bins[3]["short_notional"] as? String == "25742.57425742")
            // bob short 1, equity 5920: p = 15000 / 1.01, rounded down.
            #expect(bins[5]["short_notional"] as? String == "14851.48514851")
            #expect(bins.map { $0["positions"] as? Int } == [1, 0, 0, 1, 0, 1, 0])
            #expect(body["outside_positions"] as? Int == 0)
            for (query, status) in [("?bins=0", 400), ("?low=10000&high=9000", 400), ("?low=abc", 400), ("?width=2", 400)] {
                #expect(try await client.call(.get, "/v1/markets/BTC-PERP/liquidation-map\(query)", key: ServerFixture.readerKey).status == status)
            }
            #expect(try await client.call(.get, "/v1/markets/NOPE/liquidation-map", key: ServerFixture.readerKey).status == 404)
            // Default range: the mark ± 25 %: alice's 9090.9 is inside, bob's 14851 is not (above 11350).
            let defaults = try Self.object(try await client.call(.get, "/v1/markets/BTC-PERP/liquidation-map", key: ServerFixture.readerKey).body)
            #expect(defaults["low"] as? String == "6810" && defaults["high"] as? String == "11350")
            #expect(defaults["outside_positions"] as? Int == 2)
        }
    }

    @Test("a trader key sees only its own accounts in the overview, the liquidation map and the history")
    func traderScope() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            await fixture.application.dashboardHistory.record(await fixture.host.dashboardSample())
            let key = ServerFixture.aliceKey
            let overview = try await client.call(.get, "/v1/dashboard/overview", key: key)
            let body = try Self.object(overview.body)
            #expect(body["scope"] as? String == "own_accounts")
            #expect(body["accounts"] as? Int == 1)
            #expect((body["phases"] as? [String: Int])?["healthy"] == 0)
            #expect(!overview.body.contains("bob") && !overview.body.contains("carol"))
            let map = try Self.object(try await client.call(.get, "/v1/markets/BTC-PERP/liquidation-map?bins=7&low=9000&high=16000", key: key).body)
            #expect((map["bins"] as? [[String: Any]])?.compactMap { $0["positions"] as? Int }.reduce(0, +) == 1)
            let history = try await client.call(.get, "/v1/dashboard/history", key: key)
            #expect(history.status == 200)
            #expect(!history.body.contains("\"phases\""))
            #expect(history.body.contains("\"BTC-PERP\":\"9080\""))
            let venue = try await client.call(.get, "/v1/dashboard/history", key: ServerFixture.readerKey)
            #expect(venue.body.contains(#""phases":{"healthy":2,"warning":0,"margin_call":1"#))
        }
    }

    @Test("the history keeps one sample per engine move, drops the oldest beyond its capacity, and answers after a time")
    func historyRing() async {
        let history = DashboardHistory(capacity: 3)
        func sample(_ wallMs: Int64, records: Int64) -> DashboardSample {
            DashboardSample(wallMs: wallMs, clockMs: records, records: records, insuranceFunds: [], phaseCounts: [1, 0, 0, 0, 0, 0], marks: [])
        }
        await history.record(sample(1, records: 1))
        await history.record(sample(2, records: 1))  // nothing moved: not kept
        for (time, records) in [(3, 2), (4, 3), (5, 4)] { await history.record(sample(Int64(time), records: Int64(records))) }
        #expect(await history.samples(afterMs: 0).map(\.wallMs) == [3, 4, 5])
        #expect(await history.samples(afterMs: 3).map(\.wallMs) == [4, 5])
    }

    @Test("a browser's WebSocket may present its key as a subprotocol, and gets leeway.v1 back")
    func streamKeyAsSubprotocol() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        #expect(StreamKeyProtocol.key(fromProtocols: "leeway.v1, " + StreamKeyProtocol.token(forKey: ServerFixture.aliceKey)) == ServerFixture.aliceKey)
        try await fixture.app().test(.live) { client in
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            var headers: HTTPFields = [:]
            headers[.secWebSocketProtocol] = "leeway.v1, " + StreamKeyProtocol.token(forKey: ServerFixture.aliceKey)
            try await client.ws("/v1/stream?after=0", configuration: .init(additionalHeaders: headers)) { inbound, _, _ in
                var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                guard case .text(let first)? = try await iterator.next() else { Issue.record("no event"); return }
                #expect(first.contains(#""account":"alice""#))
            }
            var wrong: HTTPFields = [:]
            wrong[.secWebSocketProtocol] = "leeway.v1, " + StreamKeyProtocol.token(forKey: "not-a-configured-key-000")
            await #expect(throws: (any Error).self) {
                try await client.ws("/v1/stream", configuration: .init(additionalHeaders: wrong)) { inbound, _, _ in for try await _ in inbound {} }
            }
        }
    }
}
