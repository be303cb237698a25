import Foundation
import HTTPTypes
import HummingbirdTesting
import LeewayServer
import Testing

/// The live server owns time: its wall clock stamps commands, the ticker fires deadlines, and a
/// `ts` beyond the clock + max_clock_ahead_ms is refused before anything is queued.
@Suite("leeway serve: the server's clock")
struct ServerClockTests {
    static let now: Int64 = 1_700_000_000_000
    static let setup = """
    {"type":"asset","asset":"USDC","price":"1","weight":"1"}
    {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"}
    {"type":"policy","mode":"soft","grace_ms":600000}
    {"type":"deposit","account":"alice","asset":"USDC","amount":"1000"}
    {"type":"mark","market":"BTC-PERP","price":"10000"}
    {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000"}
    """

    /// A server with the default tolerance whose wall clock stands at `now`.
    static func fixture() throws -> ServerFixture {
        let fixture = try ServerFixture(adjust: { $0.maxClockAheadMs = ServerConfiguration().maxClockAheadMs })
        fixture.clock.now = now
        return fixture
    }

    @Test("a ts up to max_clock_ahead_ms ahead is applied; one beyond refuses the whole request and journals nothing", arguments: [
        (Int64(0), 200),
        (1_000, 200),
        (1_001, 400),
        (3_600_000, 400),
    ])
    func futureTimestamps(ahead: Int64, status: Int) async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let body = Self.setup + "\n" + #"{"type":"time","ts":\#(Self.now + ahead)}"#
            let posted = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: body)
            #expect(posted.status == status)
            let status = await fixture.host.status
            if posted.status == 200 {
                #expect(status.records == 7)
                #expect(status.clockMs == Self.now + ahead)
            } else {
                #expect(posted.body.contains(#""code":"ts_ahead_of_clock""#))
                #expect(posted.body.contains("nothing was applied; command 7: ts \(Self.now + ahead) is \(ahead) ms ahead of the server clock \(Self.now)"))
                #expect(status.records == 0)
                #expect(status.clockMs == 0)
            }
        }
    }

    @Test("commands without ts are stamped with the wall clock, and the ticker fires the grace deadline when the wall clock reaches it")
    func tickerFiresDeadlines() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let key = ServerFixture.adminKey
            #expect(try await client.call(.post, "/v1/commands", key: key, body: Self.setup).status == 200)
            fixture.clock.now = Self.now + 60_000
            let call = try await client.call(.post, "/v1/commands", key: key, body: #"{"type":"mark","market":"BTC-PERP","price":"9080"}"#)
            #expect(call.body.contains(#""deadline":\#(Self.now + 660_000)"#))
            // A time command a little ahead (inside the tolerance) does not stop the ticker.
            #expect(try await client.call(.post, "/v1/commands", key: key, body: #"{"type":"time","ts":\#(Self.now + 60_500)}"#).status == 200)
            fixture.clock.now = Self.now + 659_999
            await fixture.host.tick()
            #expect(await fixture.host.status.clockMs == Self.now + 60_500)  // nothing due yet: no time command
            fixture.clock.now = Self.now + 660_000
            await fixture.host.tick()
            let status = await fixture.host.status
            #expect(status.clockMs == Self.now + 660_000)
            let events = try await client.call(.get, "/v1/events?after=0&limit=100", key: key)
            #expect(events.body.contains(#""type":"deleveraging_started""#))
        }
    }

    @Test("max_clock_ahead_ms must be an integer of at least 0", arguments: [("-1", false), ("\"soon\"", false), ("0", true), ("5000", true)])
    func configuration(value: String, valid: Bool) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-clock-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #"{"max_clock_ahead_ms":\#(value)}"#.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            let configuration = try ServerConfiguration.load(path: path)
            #expect(valid)
            #expect(configuration.maxClockAheadMs == Int64(value))
        } catch {
            #expect(!valid)
            #expect(error.code == "config_invalid")
        }
    }
}
