import Foundation
import ProcessTestSupport
import PostgresTestSupport
import Testing

/// Runs the real `leeway serve`, streams commands at it, kills it with SIGKILL at a random moment
/// and checks what survived.
@Suite("leeway serve survives kill -9", .ownThread, .serialized)
struct ServeCrashTests {
    /// A running server process on a loopback port.
    final class Server: @unchecked Sendable {
        let process: ChildProcess
        let port: Int

        /// `leeway serve` on the SQLite journal in `data`.
        convenience init(data: String, config: String) throws {
            try self.init(journal: ["--data", data], config: config)
        }

        /// `leeway serve` on the journal `journal` names (`--data DIR` or `--postgres URL`); its
        /// log goes to `log` when given.
        init(journal: [String], config: String, log: URL? = nil) throws {
            // Below Linux's ephemeral range (32768 and up), which the in-process servers and every client socket draw from.
            port = Int.random(in: 20_000...32_000)
            // Standard error goes to a file, the caller's or a temporary one, so that a server that
            // never becomes ready can say why.
            stderrFile = log ?? FileManager.default.temporaryDirectory.appendingPathComponent("leeway-serve-\(UUID().uuidString).log")
            ownsStderrFile = log == nil
            process = try ChildProcess(LeewayProcess.binary, ["serve"] + journal + ["--port", String(port), "--config", config],
                                       standardOutput: .null, standardError: .file(stderrFile))
        }

        deinit {
            if ownsStderrFile { try? FileManager.default.removeItem(at: stderrFile) }
        }

        /// Where the server's standard error goes.
        let stderrFile: URL
        private let ownsStderrFile: Bool

        /// Whether the process runs, its exit status if not, and the last lines it wrote to
        /// standard error: what a test reports when the server did not do what it expected.
        var diagnosis: String {
            let state = process.isRunning ? "still running" : "exited with status \(process.terminationStatus)"
            let lines = ((try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "").split(separator: "\n").suffix(5)
            return "process \(process.processIdentifier) \(state); last lines of its standard error:\n" + lines.joined(separator: "\n")
        }

        var base: String { "http://127.0.0.1:\(port)" }

        /// Waits for the server to answer `/healthz`. A readiness wait, not a measured target:
        /// generous, because a process starting while the rest of the suite loads both cores has
        /// taken over 10 s to answer in a clean-clone CI run.
        func waitUntilReady(within limit: Duration = .seconds(30)) async throws -> [String: Any] {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if let health = try? await read("/healthz", timeout: 2).body { return health }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw ServerNotReady(port: port, limit: limit, diagnosis: diagnosis)
        }

        func get(_ path: String) async throws -> [String: Any] {
            try await read(path).body
        }

        /// `GET path`: the HTTP status, the JSON body and the `Leeway-Applied-Seq` header. A
        /// readiness poll passes a short `timeout` (seconds), so that one stalled connection does
        /// not use up its wait.
        func read(_ path: String, timeout: TimeInterval = 60) async throws -> (status: Int, body: [String: Any], appliedSeq: Int64?) {
            guard let url = URL(string: base + path) else { throw CancellationError() }
            let response = try await LoopbackHTTP.get(url, timeout: timeout)
            return (response.status, response.json, response.headers["leeway-applied-seq"].flatMap { Int64($0) })
        }

        /// Posts a batch; true when the server acknowledged it (HTTP 200).
        func post(_ lines: [String]) async -> Bool {
            guard let url = URL(string: base + "/v1/commands"),
                  let response = try? await LoopbackHTTP.send("POST", url, body: Data(lines.joined(separator: "\n").utf8)) else { return false }
            return response.status == 200
        }

        func kill() {
            process.signal(SIGKILL)
            process.waitUntilExit()
        }

        func terminate() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Deterministic commands: setup, then deposits, fills and a random walk of marks, each with an
    /// id and an increasing ts.
    static func commands(from start: Int, count: Int) -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (start..<(start + count)).map { index in
            let ts = 1_700_000_000_000 + Int64(index) * 10
            let account = "acct\(index % 500)"
            switch index % 10 {
            case 0, 1, 2:
                return #"{"type":"deposit","account":"\#(account)","asset":"USDC","amount":"\#(100 + index % 900)","ts":\#(ts),"id":"c\#(index)"}"#
            case 3, 4, 5, 6:
                let size = (index % 2 == 0 ? "" : "-") + "0.0\(1 + index % 9)"
                return #"{"type":"fill","account":"\#(account)","market":"BTC-PERP","size":"\#(size)","price":"10000","ts":\#(ts),"id":"c\#(index)"}"#
            default:
                let price = 9_000 + Int.random(in: 0...2_000, using: &generator)
                return #"{"type":"mark","market":"BTC-PERP","price":"\#(price)","ts":\#(ts),"id":"c\#(index)"}"#
            }
        }
    }

    static let setup = [
        #"{"type":"asset","asset":"USDC","price":"1","weight":"1","ts":1699999999000}"#,
        #"{"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005","ts":1699999999000}"#,
        #"{"type":"insurance_deposit","amount":"100000","ts":1699999999000}"#,
        #"{"type":"mark","market":"BTC-PERP","price":"10000","ts":1699999999000}"#,
    ]

    /// A count shared between the streaming loop and the killer.
    final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        var count: Int { lock.lock(); defer { lock.unlock() }; return value }
        func add(_ amount: Int) { lock.lock(); value += amount; lock.unlock() }
    }

    /// Streams batches from `start` until the server dies: it is killed at a random moment (up to
    /// a second) after at least `minimumCommands` were acknowledged, however fast the machine is.
    /// Returns the ids acknowledged and how many commands were sent.
    static func streamUntilKilled(_ server: Server, start: Int, batchSize: Int, minimumCommands: Int) async -> (acknowledged: [Int], sent: Int) {
        let progress = Progress()
        let killer = Task(executorPreference: OwnThreadExecutor.current) {
            for _ in 0..<6_000 where progress.count < minimumCommands { try? await Task.sleep(for: .milliseconds(10)) }
            try? await Task.sleep(for: .milliseconds(Int.random(in: 0...1_000)))
            server.kill()
        }
        var acknowledged: [Int] = []
        var next = start
        while true {
            let batch = commands(from: next, count: batchSize)
            guard await server.post(batch) else { break }
            acknowledged += Array(next..<(next + batchSize))
            progress.add(batchSize)
            next += batchSize
            if next - start >= minimumCommands * 4 { break }
        }
        _ = await killer.value
        return (acknowledged, next - start)
    }

    @Test("every acknowledged command survives, nothing is half-applied, and recovery equals a clean replay (from the journal, then from a snapshot plus tail)")
    func killNine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.crashTwiceAndRecover(journal: ["--data", directory.appendingPathComponent("data").path], directory: directory)
    }

    @Test("on PostgreSQL too: every acknowledged command survives kill -9 and recovery equals a clean replay",
          .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
    func killNineOnPostgres() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await PostgresTestDatabase.withDatabase { database in
            try await Self.crashTwiceAndRecover(journal: ["--postgres", database.url], directory: directory)
        }
    }

    /// Two rounds of: stream batches, kill -9 at a random moment, restart, and check the journal
    /// (`journal`: the `--data` or `--postgres` arguments) against what was acknowledged.
    static func crashTwiceAndRecover(journal: [String], directory: URL) async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("config.json").path
        try Data(#"{"snapshot_every": 3000, "ticker_ms": 50}"#.utf8).write(to: URL(fileURLWithPath: config))
        let batchSize = 100

        var server = try Server(journal: journal, config: config)
        _ = try await server.waitUntilReady()
        #expect(await server.post(Self.setup))
        var totalAcknowledged: [Int] = []
        var start = 0
        for round in 1...2 {
            let (acknowledged, _) = await Self.streamUntilKilled(server, start: start, batchSize: batchSize, minimumCommands: 10_000)
            totalAcknowledged += acknowledged
            #expect(acknowledged.count >= batchSize, "round \(round): the server acknowledged nothing before the kill")

            server = try Server(journal: journal, config: config)
            _ = try await server.waitUntilReady()
            let recoveredDigest = try await server.get("/v1/status")["digest"] as? String
            server.terminate()

            let export = try LeewayProcess.run(["export"] + journal)
            #expect(export.status == 0, "\(export.standardError)")
            let ids = export.lines.compactMap { line -> Int? in
                guard let range = line.range(of: #""id":"c"#) else { return nil }
                return Int(line[range.upperBound...].prefix { $0.isNumber })
            }
            // Every acknowledged command is in the journal, in order, and the journal holds whole
            // requests only: the commands sent, up to a batch boundary.
            #expect(Set(totalAcknowledged).isSubset(of: Set(ids)), "round \(round): acknowledged commands are missing")
            #expect(ids == Array(0..<ids.count), "round \(round): the journal is not a prefix of what was sent")
            #expect(ids.count % batchSize == 0, "round \(round): a request was half-applied")
            // The recovered state is exactly a clean replay of the exported journal.
            let replay = try LeewayProcess.run(["replay", "-", "--digest"], input: export.standardOutput)
            #expect(replay.lines.last == #"{"type":"digest","digest":"\#(recoveredDigest ?? "")"}"#, "round \(round)")
            let verify = try LeewayProcess.run(["verify"] + journal)
            #expect(verify.status == 0, "\(verify.standardError)")
            if round == 2 { #expect(verify.standardOutput.contains("snapshots reproduced") && !verify.standardOutput.contains(" 0 snapshots")) }

            start = ids.count
            if round == 1 {
                server = try Server(journal: journal, config: config)
                _ = try await server.waitUntilReady()
            }
        }
        #expect(start >= 20_000, "only \(start) commands were journaled before the kills")
    }
}

/// A test server that never answered `/healthz`.
struct ServerNotReady: Error, CustomStringConvertible {
    let port: Int
    let limit: Duration
    let diagnosis: String
    var description: String { "the server on port \(port) did not answer /healthz within \(limit): \(diagnosis)" }
}
