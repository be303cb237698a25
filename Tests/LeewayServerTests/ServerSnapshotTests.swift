import Foundation
import HTTPTypes
import HummingbirdTesting
import LeewayCore
import LeewayJournal
import LeewayServer
import Testing

@Suite("leeway serve: snapshots")
struct ServerSnapshotTests {
    @Test("snapshots are written off the engine, the newest few are kept, and recovery from them equals the live state")
    func snapshotsArePrunedAndRecoverable() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-snap-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fixture = try ServerFixture(directory: directory)  // a snapshot every 5 records, 3 kept
        let liveDigest: String = try await fixture.app().test(.router) { client in
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario).status == 200)
            for index in 0..<40 {
                let body = #"{"type":"deposit","account":"d\#(index)","asset":"USDC","amount":"1"}"#
                #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: body).status == 200)
                await fixture.host.waitForSnapshot()
            }
            let status = try await client.call(.get, "/v1/status", key: ServerFixture.adminKey).body
            return String(status.split(separator: "\"").drop { $0 != "digest" }.dropFirst(2).first ?? "")
        }
        await fixture.host.shutdown()
        let snapshots = try fixture.host.journal.snapshotIndex()
        #expect(snapshots.count == 3)
        #expect(snapshots.last?.seq == 52)
        let recovered = try Recovery.recover(fixture.host.journal)
        #expect(recovered.snapshotSeq == 52)
        #expect(recovered.engine.digest.description == liveDigest)
    }
}
