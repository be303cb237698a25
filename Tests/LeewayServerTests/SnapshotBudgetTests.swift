import Foundation
import HTTPTypes
import HummingbirdTesting
import LeewayJournal
import Testing

@testable import LeewayServer

@Suite("leeway serve: the snapshot CPU budget")
struct SnapshotBudgetTests {
    @Test("a snapshot of d pauses the next automatic one for d·(100/p − 1), rounded up to the ms",
          arguments: [(25, 900_000, 2_700), (50, 100_000, 100), (100, 900_000, 0), (1, 10_000, 990), (10, 333_000, 2_997), (25, 1, 1)])
    func pause(percent: Int, tookMicroseconds: Int, pauseMs: Int64) {
        var budget = SnapshotBudget(percent: percent)
        let end: Int64 = 1_700_000_000_000
        #expect(budget.allows(atMs: end), "the first snapshot is never held back")
        budget.finished(atMs: end, took: .microseconds(tookMicroseconds))
        #expect(budget.pauseMs(after: .microseconds(tookMicroseconds)) == pauseMs)
        #expect(budget.allows(atMs: end + pauseMs))
        if pauseMs > 0 { #expect(!budget.allows(atMs: end + pauseMs - 1)) }
        #expect(budget.allows(atMs: end - 1), "a clock stepped back holds nothing off")
    }

    @Test("snapshot_cpu_percent must be 1 to 100", arguments: [("0", false), ("101", false), ("\"half\"", false), ("1", true), ("25", true), ("100", true)])
    func configuration(value: String, valid: Bool) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-budget-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #"{"snapshot_cpu_percent":\#(value)}"#.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            let configuration = try ServerConfiguration.load(path: path)
            #expect(valid)
            #expect(configuration.snapshotCPUPercent == Int(value))
        } catch {
            #expect(!valid)
            #expect(error.code == "config_invalid")
            #expect(error.message.contains("snapshot_cpu_percent"))
        }
    }

    @Test("under the budget, records past snapshot_every wait for the pause, and the ticker writes the snapshot once it is over")
    func throttlesAndCatchesUp() async throws {
        // 1 %: the pause is 99 times the first snapshot's duration.
        let fixture = try ServerFixture { $0.snapshotCPUPercent = 1 }
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            // A first snapshot at record 500; the fixture's clock then stands until the test moves it.
            let lines = ServerFixture.scenario.split(separator: "\n").prefix(5).map(String.init)
                + (0..<495).map { #"{"type":"deposit","account":"s\#($0)","asset":"USDC","amount":"1"}"# }
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: lines.joined(separator: "\n")).status == 200)
            await fixture.host.waitForSnapshot()
            #expect(try fixture.host.journal.snapshotIndex().map(\.seq) == [500])
            let pauseEnds = try #require(await fixture.host.snapshotBudget.earliestNextMs)
            #expect(pauseEnds > fixture.clock.now, "the server's clock stands still in the fixture: the pause is ahead of it")
            // Twice snapshot_every more records, inside the pause: no snapshot, at a tick neither.
            let deposits = (0..<10).map { #"{"type":"deposit","account":"d\#($0)","asset":"USDC","amount":"1"}"# }
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: deposits.joined(separator: "\n")).status == 200)
            await fixture.host.tick()
            await fixture.host.waitForSnapshot()
            #expect(try fixture.host.journal.snapshotIndex().map(\.seq) == [500])
            // The pause is over and no more commands come: the ticker writes the snapshot.
            fixture.clock.now = pauseEnds
            let head = try fixture.host.journal.head().seq
            await fixture.host.tick()
            await fixture.host.waitForSnapshot()
            #expect(try fixture.host.journal.snapshotIndex().map(\.seq) == [500, head])
        }
    }
}
