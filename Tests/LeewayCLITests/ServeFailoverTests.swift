import Foundation
import ProcessTestSupport
import PostgresTestSupport
import Testing

/// Several `leeway serve --postgres` processes on one database: one leads, the others stand by
/// (`--standby`, following the journal: `ServeFollowerTests`) and take over when it dies or stops
/// renewing its lease; an old leader that wakes up cannot write (the database fences its epoch).
@Suite("leeway serve --postgres --standby: failover and fencing", .ownThread, .serialized,
       .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
struct ServeFailoverTests {
    typealias Server = ServeCrashTests.Server

    /// Waits until one of `servers` (other than `excluded`) answers /healthz ok as the leader;
    /// returns its index and how long that took.
    static func newLeader(among servers: [Server], excluding excluded: Int?, since start: ContinuousClock.Instant) async throws -> (Int, Duration) {
        for _ in 0..<400 {
            for (index, server) in servers.enumerated() where index != excluded {
                if let health = try? await server.get("/healthz"), health["status"] as? String == "ok", health["role"] as? String == "leader" { return (index, ContinuousClock.now - start) }
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw PostgresTestError(message: "no server took over within 10 s")
    }

    /// The command ids in the journal, in order (from `leeway export`).
    static func journaledIDs(_ journal: [String]) throws -> [Int] {
        let export = try LeewayProcess.run(["export"] + journal)
        #expect(export.status == 0, "\(export.standardError)")
        return export.lines.compactMap { line -> Int? in
            guard let range = line.range(of: #""id":"c"#) else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
    }

    @Test("three processes, the leader killed with kill -9 three times: a standby leads within 5 s, every acknowledged command is journaled exactly once, and every process ends on a clean replay of export")
    func failover() async throws {
        try await ServePostgresTests.withDatabaseAndConfig(snapshotEvery: 2_000) { database, config in
            let journal = ["--postgres", database.url]
            var servers = [try Server(journal: journal, config: config)]
            _ = try await servers[0].waitUntilReady()
            servers += [try Server(journal: journal + ["--standby"], config: config), try Server(journal: journal + ["--standby"], config: config)]
            defer { for server in servers { server.terminate() } }
            #expect(await servers[0].post(ServeCrashTests.setup))
            var leader = 0, start = 0
            var acknowledged: [Int] = []
            for round in 1...3 {
                let (acked, _) = await ServeCrashTests.streamUntilKilled(servers[leader], start: start, batchSize: 100, minimumCommands: 2_000)
                let killed = ContinuousClock.now
                acknowledged += acked
                #expect(acked.count >= 100, "round \(round): nothing was acknowledged before the kill")
                let (next, took) = try await Self.newLeader(among: servers, excluding: leader, since: killed)
                #expect(took < .seconds(5), "round \(round): the takeover took \(took); the new leader's \(servers[next].diagnosis)")
                servers[leader] = try Server(journal: journal + ["--standby"], config: config)  // back, as a standby
                leader = next
                start = try Self.journaledIDs(journal).count  // the next command after what the journal holds
            }
            let (records, digests) = try await ServeFollowerTests.settledStatus(servers)
            for server in servers { server.terminate() }

            let ids = try Self.journaledIDs(journal)
            #expect(Set(acknowledged).isSubset(of: Set(ids)), "acknowledged commands are missing")
            #expect(ids == Array(0..<ids.count), "the journal is not each command once, in order")
            #expect(ids.count % 100 == 0, "a request was half-applied")
            // Every process (the leader and the two following it) is on a clean replay of the export.
            let replayed = try ServeFollowerTests.replayDigest(journal, records: records)
            for (index, digest) in digests.enumerated() { #expect(replayed == digest, "process \(index)") }
            #expect(try LeewayProcess.run(["verify"] + journal).status == 0)
        }
    }

    @Test("a leader paused (SIGSTOP) past its lease is replaced; woken (SIGCONT), its writes are refused and nothing of them is journaled")
    func pausedLeaderIsFenced() async throws {
        try await ServePostgresTests.withDatabaseAndConfig { database, config in
            let journal = ["--postgres", database.url]
            let old = try Server(journal: journal, config: config)
            defer { old.terminate() }
            _ = try await old.waitUntilReady()
            let standby = try Server(journal: journal + ["--standby"], config: config)
            defer { standby.terminate() }
            #expect(await old.post(ServeCrashTests.setup))
            #expect(await old.post(ServeCrashTests.commands(from: 0, count: 100)))

            kill(old.process.processIdentifier, SIGSTOP)
            let (index, _) = try await Self.newLeader(among: [old, standby], excluding: 0, since: .now)
            #expect(index == 1)
            #expect(await standby.post(ServeCrashTests.commands(from: 100, count: 100)))
            kill(old.process.processIdentifier, SIGCONT)

            let (status, body) = try await ServePostgresTests.request(old, "POST", "/v1/commands", body: ServeCrashTests.commands(from: 200, count: 100).joined(separator: "\n"))
            #expect(status == 503, "\(body)")
            let error = body["error"] as? [String: Any]
            #expect(["not_leader", "journal_unavailable"].contains(error?["code"] as? String ?? ""), "\(body)")
            #expect((error?["message"] as? String)?.contains("epoch") == true, "\(body)")
            #expect(await standby.post(ServeCrashTests.commands(from: 200, count: 100)))
            old.terminate()
            standby.terminate()

            #expect(try Self.journaledIDs(journal) == Array(0..<300))
            #expect(try LeewayProcess.run(["verify"] + journal).status == 0)
        }
    }
}
