import Foundation
import PostgresTestSupport
import Synchronization
import Testing

/// Hot standbys: a `leeway serve --postgres --standby` process that does not lead follows the
/// journal (applying what the leader committed), serves reads with its applied seq in the
/// `Leeway-Applied-Seq` header, refuses commands with 421, and takes over from what it applied.
@Suite("leeway serve --postgres --standby: followers that serve reads", .ownThread, .serialized,
       .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
struct ServeFollowerTests {
    typealias Server = ServeCrashTests.Server

    /// Waits until `server` answers /healthz ok in `role`.
    /// A readiness wait, not a measured target (takeover times are asserted where they are
    /// measured): generous, because a process starting while the rest of the suite loads both
    /// cores has taken over 10 s to answer in a clean-clone CI run.
    static func waitForRole(_ server: Server, _ role: String, within limit: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + limit
        var last = "no answer"
        while ContinuousClock.now < deadline {
            if let health = try? await server.read("/healthz", timeout: 2).body {
                if health["status"] as? String == "ok", health["role"] as? String == role { return }
                last = "status \(health["status"] ?? "none"), role \(health["role"] ?? "none")"
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw PostgresTestError(message: "the server on port \(server.port) did not answer /healthz as the \(role) within \(limit) (last: \(last)); \(server.diagnosis)")
    }

    /// The text of the log at `url` once it contains `line`, or as it is after 10 s.
    static func logOnceItContains(_ url: URL, _ line: String) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let log = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            if log.contains(line) || ContinuousClock.now >= deadline { return log }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The journal's committed head, from the database.
    static func committedHead(_ database: PostgresTestDatabase) async throws -> Int64 {
        Int64(try await database.strings("SELECT coalesce(max(seq), 0)::text FROM leeway.records").first ?? "") ?? -1
    }

    /// Waits until `server` has applied `seq` (its header says so); returns how long that took.
    static func waitUntilApplied(_ server: Server, _ seq: Int64, within limit: Duration = .seconds(5)) async throws -> Duration {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            if let applied = try? await server.read("/healthz").appliedSeq, applied >= seq { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw PostgresTestError(message: "the server on port \(server.port) did not apply record \(seq) within \(limit)")
    }

    /// The `/v1/status` of every server once they all stand at the same record (the leader's
    /// ticker may append a `time` command at any moment): the record and each server's digest.
    static func settledStatus(_ servers: [Server]) async throws -> (records: Int64, digests: [String]) {
        for _ in 0..<250 {
            var records: Set<Int64> = [], digests: [String] = []
            for server in servers {
                // A server still starting (a follower just restarted) is asked again.
                guard let status = try? await server.get("/v1/status") else { break }
                records.insert((status["records"] as? NSNumber)?.int64Value ?? -1)
                digests.append(status["digest"] as? String ?? "")
            }
            if records.count == 1, let seq = records.first { return (seq, digests) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw PostgresTestError(message: "the servers did not stand at one record within 5 s")
    }

    /// The digest `leeway replay` computes from the first `records` records of the journal's export.
    static func replayDigest(_ journal: [String], records: Int64) throws -> String? {
        let export = try LeewayProcess.run(["export"] + journal)
        let input = export.lines.prefix(Int(records)).joined(separator: "\n") + "\n"
        let replay = try LeewayProcess.run(["replay", "-", "--digest"], input: input)
        guard let last = replay.lines.last, let range = last.range(of: #""digest":""#) else { return nil }
        return String(last[range.upperBound...].prefix { $0 != "\"" })
    }

    /// `GET path` as text.
    static func text(_ server: Server, _ path: String) async throws -> String {
        guard let url = URL(string: server.base + path) else { throw CancellationError() }
        return try await LoopbackHTTP.get(url).text
    }

    /// Runs `body` with a new database, a leader on it (given the set-up commands) and a `--standby`
    /// beside it that follows; both are stopped afterwards.
    static func withLeaderAndFollower(_ body: (PostgresTestDatabase, [String], Server, Server) async throws -> Void) async throws {
        try await ServePostgresTests.withDatabaseAndConfig { database, config in
            let journal = ["--postgres", database.url]
            let leader = try Server(journal: journal, config: config)
            defer { leader.terminate() }
            try await waitForRole(leader, "leader")
            let follower = try Server(journal: journal + ["--standby"], config: config)
            defer { follower.terminate() }
            try await waitForRole(follower, "follower")
            #expect(await leader.post(ServeCrashTests.setup))
            try await body(database, journal, leader, follower)
        }
    }

    @Test("a follower serves reads with its applied seq in a header, never beyond the committed journal, keeps up with a streaming leader and ends on its digest and events")
    func followerServesReads() async throws {
        try await Self.withLeaderAndFollower { database, journal, leader, follower in

            let streaming = Task(executorPreference: OwnThreadExecutor.current) {
                var acknowledged = 0
                for batch in 0..<30 where await leader.post(ServeCrashTests.commands(from: batch * 100, count: 100)) { acknowledged += 100 }
                return acknowledged
            }
            var samples = 0, sawProgress = false
            for _ in 0..<3_000 {
                let (status, body, applied) = try await follower.read("/v1/status")
                let committed = try await Self.committedHead(database)
                #expect(status == 200)
                let records = (body["records"] as? NSNumber)?.int64Value ?? -1
                // The header is the seq applied when the request arrived: the body shows at least it,
                // and nothing the journal has not committed.
                #expect(applied != nil && applied! <= records, "header \(String(describing: applied)), body \(records)")
                #expect(records <= committed, "the follower shows record \(records), the journal has committed \(committed)")
                #expect(body["role"] as? String == "follower")
                samples += 1
                if records > 4 { sawProgress = true }
                if committed >= 3_004 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(await streaming.value == 3_000)
            #expect(samples > 1 && sawProgress, "the follower was not seen applying while the leader streamed")

            // Caught up within 2 s of the last acknowledgement, on the leader's digest.
            let lag = try await Self.waitUntilApplied(follower, try await Self.committedHead(database), within: .seconds(2))
            #expect(lag < .seconds(2))
            let (head, digests) = try await Self.settledStatus([leader, follower])
            #expect(digests[0] == digests[1] && !digests[0].isEmpty)
            #expect(try Self.replayDigest(journal, records: head) == digests[1])

            // The same reads on both: an account, the stored events, the dashboard's aggregates.
            for path in ["/v1/accounts/acct1", "/v1/events?after=0&limit=10000", "/v1/dashboard/overview", "/v1/insurance-fund"] {
                let (_, _) = try await Self.settledStatus([leader, follower])
                let onLeader = try await leader.read(path), onFollower = try await follower.read(path)
                #expect(onFollower.status == 200 && (onFollower.appliedSeq ?? 0) >= head, "\(path)")
                var leaderBody = onLeader.body, followerBody = onFollower.body
                leaderBody["now"] = nil; followerBody["now"] = nil  // the overview's wall clock
                #expect(NSDictionary(dictionary: followerBody).isEqual(to: leaderBody), "\(path) differs on the follower")
            }
            let events = try await follower.get("/v1/events?after=0&limit=10000")["events"] as? [Any]
            #expect((events?.count ?? 0) > 1_000)
            let metrics = try await Self.text(follower, "/metrics")
            #expect(metrics.contains("leeway_journal_records "), "the follower serves no metrics")
        }
    }

    @Test("a command sent to a follower is answered 421 read_only_follower naming the leader, and nothing of it is journaled")
    func followerRefusesCommands() async throws {
        try await Self.withLeaderAndFollower { database, _, leader, follower in
            let before = try await Self.committedHead(database)

            for body in [ServeCrashTests.commands(from: 0, count: 10).joined(separator: "\n"), "not json at all"] {
                let (status, answer) = try await ServePostgresTests.request(follower, "POST", "/v1/commands", body: body)
                #expect(status == 421, "\(answer)")
                let error = answer["error"] as? [String: Any]
                #expect(error?["code"] as? String == "read_only_follower", "\(answer)")
                let message = error?["message"] as? String ?? ""
                #expect(message.contains("http://127.0.0.1:\(leader.port)") && message.contains("nothing was applied"), "\(message)")
            }
            #expect(try await Self.committedHead(database) == before)
            _ = try await Self.waitUntilApplied(follower, before)
            #expect(try await follower.get("/v1/status")["records"] as? NSNumber == NSNumber(value: before))
        }
    }

    @Test("the leader killed with kill -9: a follower that was serving reads leads within 5 s from the state it applied (no second recovery), and every process ends on the digest of a clean replay of export")
    func followerTakesOver() async throws {
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-follow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        try await ServePostgresTests.withDatabaseAndConfig(snapshotEvery: 1_000) { database, config in
            let journal = ["--postgres", database.url]
            var servers = [try Server(journal: journal, config: config)]
            defer { for server in servers { server.terminate() } }
            try await Self.waitForRole(servers[0], "leader")
            for index in 1...2 {
                servers.append(try Server(journal: journal + ["--standby"], config: config, log: logs.appendingPathComponent("\(index).log")))
                try await Self.waitForRole(servers[index], "follower")
            }
            #expect(await servers[0].post(ServeCrashTests.setup))

            let reader = servers[1]
            // Stopped by a flag, not by cancelling the task: the reads' blocking socket calls run
            // on a Dispatch thread and do not answer cancellation.
            let stop = StopFlag()
            let reads = Task(executorPreference: OwnThreadExecutor.current) {
                var seen: Int64 = 0
                while !stop.isSet {
                    if let read = try? await reader.read("/v1/accounts?limit=5"), read.status == 200 { seen = max(seen, read.appliedSeq ?? 0) }
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return seen
            }
            let (acknowledged, _) = await ServeCrashTests.streamUntilKilled(servers[0], start: 0, batchSize: 100, minimumCommands: 2_000)
            let killed = ContinuousClock.now
            stop.set()
            #expect(await reads.value > 1_000, "the follower served no reads while the leader streamed")
            let (next, took) = try await ServeFailoverTests.newLeader(among: servers, excluding: 0, since: killed)
            #expect(took < .seconds(5), "the takeover took \(took)")

            // The new leader logs its takeover just after its role changes (what /healthz saw):
            // under load the line can come a moment later, so the log is read until it is there.
            let log = try await Self.logOnceItContains(logs.appendingPathComponent("\(next).log"),
                                                       "took over the journal, continuing from the state already applied")
            #expect(log.components(separatedBy: "recovered the engine").count == 2, "the new leader recovered more than once:\n\(log)")
            #expect(log.contains("took over the journal, continuing from the state already applied"), "\(log)")

            // The killed one comes back as a follower; the new leader takes more commands.
            servers[0] = try Server(journal: journal + ["--standby"], config: config)
            try await Self.waitForRole(servers[0], "follower")
            let start = try ServeFailoverTests.journaledIDs(journal).count
            #expect(Set(acknowledged).isSubset(of: Set(0..<start)), "acknowledged commands are missing")
            #expect(await servers[next].post(ServeCrashTests.commands(from: start, count: 500)))
            let (records, digests) = try await Self.settledStatus(servers)
            for server in servers { server.terminate() }

            let replayed = try Self.replayDigest(journal, records: records)
            for (index, digest) in digests.enumerated() { #expect(replayed == digest, "process \(index)") }
            #expect(try ServeFailoverTests.journaledIDs(journal) == Array(0..<(start + 500)))
            #expect(try LeewayProcess.run(["verify"] + journal).status == 0)
        }
    }
}

/// A flag one task sets and another polls (a stop signal that never cancels an in-flight request).
final class StopFlag: Sendable {
    private let state = Mutex(false)
    var isSet: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}
