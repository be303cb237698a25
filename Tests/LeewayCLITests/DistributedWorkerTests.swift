import Foundation
import ProcessTestSupport
import PostgresTestSupport
import Testing

/// `leeway stress|tune --postgres` with `leeway worker` processes: the merged output is
/// byte-identical to one process's, a worker killed with kill -9 mid-unit loses nothing (its unit
/// is claimed again when its lease passes), and a database that cannot be used stops with exit 2.
@Suite("leeway worker: distributed stress and tune", .ownThread, .serialized,
       .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
struct DistributedWorkerTests {
    /// A `leeway` process running in the background, its output in files of its own.
    final class Background: @unchecked Sendable {
        let process: ChildProcess
        let output: URL
        let errors: URL

        init(_ arguments: [String]) throws {
            let stem = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-worker-test-\(UUID().uuidString)")
            output = stem.appendingPathExtension("out")
            errors = stem.appendingPathExtension("err")
            process = try ChildProcess(LeewayProcess.binary, arguments, currentDirectory: LeewayProcess.packageRoot,
                                       standardOutput: .file(output), standardError: .file(errors))
        }

        var standardOutput: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
        var standardError: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }

        /// Waits (without blocking a thread) until the process has exited, at most `limit`.
        func exit(within limit: Duration) async throws -> Int32 {
            let deadline = ContinuousClock.now + limit
            while process.isRunning {
                guard ContinuousClock.now < deadline else {
                    process.terminate()
                    throw PostgresTestError(message: "\(process.arguments) did not finish within \(limit): \(standardError.suffix(2_000))")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            return process.terminationStatus
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: errors)
        }
    }

    /// Sends `signal` to the first of `workers` seen holding a unit while `coordinator` runs, and
    /// returns its pid (nil: none was seen). A worker logs "job J unit U claimed" before it runs a
    /// unit and "job J unit U (…) done" after: one with a claim not yet done holds that unit now.
    /// The watch runs on a thread of its own: under the whole suite the cooperative pool's threads
    /// are often all blocked in other tests' subprocesses, and a watch on it could miss the run.
    static func signalFirstHolder(of workers: [Background], with signal: Int32, while coordinator: Background) async -> Int32? {
        let watch = KillWatch()
        let watcher = Thread {
            let deadline = ContinuousClock.now + .seconds(300)
            while coordinator.process.isRunning, ContinuousClock.now < deadline {
                if let worker = workers.first(where: { holdsAUnit($0.standardError) }) {
                    kill(worker.process.processIdentifier, signal)
                    watch.finish(killed: worker.process.processIdentifier)
                    return
                }
                Thread.sleep(forTimeInterval: 0.005)
            }
            watch.finish(killed: nil)
        }
        watcher.start()
        while !watch.isFinished { try? await Task.sleep(for: .milliseconds(50)) }
        return watch.killed
    }

    /// What the kill watch's thread did: finished, and the pid it killed (nil: none).
    final class KillWatch: @unchecked Sendable {
        private let lock = NSLock()
        private var finished = false
        private var pid: Int32?

        func finish(killed: Int32?) { lock.withLock { finished = true; pid = killed } }
        var isFinished: Bool { lock.withLock { finished } }
        var killed: Int32? { lock.withLock { pid } }
    }

    /// Whether a worker's log shows a claimed unit it has not reported done.
    static func holdsAUnit(_ log: String) -> Bool {
        var open = Set<String>()
        for line in log.split(separator: "\n") {
            guard let range = line.range(of: #"job \d+ unit \d+"#, options: .regularExpression) else { continue }
            let unit = String(line[range])
            if line.contains(" claimed") { open.insert(unit) } else if line.contains(" done in ") { open.remove(unit) }
        }
        return !open.isEmpty
    }

    static func workers(_ count: Int, on database: PostgresTestDatabase) throws -> [Background] {
        try (0..<count).map { _ in try Background(["worker", "--postgres", database.url, "--lease-seconds", "2"]) }
    }

    @Test("stress on 3 workers, one killed with kill -9 while it holds a unit: the output is byte-identical to --threads 1")
    func stressSurvivesAKilledWorker() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let stress = ["stress", "--model", "jump", "--paths", "12", "--horizon", "4h", "--accounts", "200", "--seed", "5", "--json"]
            let single = try LeewayProcess.run(stress + ["--threads", "1"])
            #expect(single.status == 0, "\(single.standardError)")
            let workers = try Self.workers(3, on: database)
            defer { for worker in workers { worker.stop() } }
            let coordinator = try Background(stress + ["--postgres", database.url])
            defer { coordinator.stop() }
            // Kill the first worker seen holding a unit, while the run is under way.
            let killed = await Self.signalFirstHolder(of: workers, with: SIGKILL, while: coordinator)
            #expect(killed != nil, "no worker was seen holding a unit")
            let status = try await coordinator.exit(within: .seconds(300))
            #expect(status == 0, "\(coordinator.standardError)")
            #expect(coordinator.standardOutput == single.standardOutput)
            #expect(!coordinator.standardOutput.isEmpty)
            // The killed worker's unit was run again by a survivor, and the finished job was removed.
            let survivors = workers.filter { $0.process.processIdentifier != killed }
            #expect(survivors.contains { $0.standardError.contains("attempt 2") }, "\(survivors.map(\.standardError))")
            #expect(try await database.strings("SELECT count(*)::text FROM leeway_work.units") == ["0"])
        }
    }

    @Test("a worker stopped with SIGTERM gives back the unit it holds at once, and a coordinator stopped with SIGINT removes its job")
    func stopSignals() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let stress = ["stress", "--model", "jump", "--paths", "12", "--horizon", "4h", "--accounts", "200", "--seed", "5", "--json"]
            let single = try LeewayProcess.run(stress + ["--threads", "1"])
            // Leases of 120 s: only a unit given back is run again within the test.
            let first = try Background(["worker", "--postgres", database.url, "--lease-seconds", "120"])
            defer { first.stop() }
            let coordinator = try Background(stress + ["--postgres", database.url])
            defer { coordinator.stop() }
            #expect(await Self.signalFirstHolder(of: [first], with: SIGTERM, while: coordinator) != nil, "the worker was seen holding a unit")
            #expect(try await first.exit(within: .seconds(30)) == 128 + SIGTERM)
            #expect(first.standardError.contains("SIGTERM: stopping; gave back 1 unit"), "\(first.standardError)")
            let second = try Background(["worker", "--postgres", database.url, "--lease-seconds", "120"])
            defer { second.stop() }
            #expect(try await coordinator.exit(within: .seconds(100)) == 0, "\(coordinator.standardError)")
            #expect(coordinator.standardOutput == single.standardOutput)
            #expect(second.standardError.contains("attempt 2"), "the given-back unit ran again: \(second.standardError)")

            // A coordinator with no worker, interrupted: its job leaves the queue with it.
            second.stop()
            let interrupted = try Background(stress + ["--postgres", database.url])
            defer { interrupted.stop() }
            while (try? await database.strings("SELECT count(*)::text FROM leeway_work.units")) != ["12"], interrupted.process.isRunning {
                try await Task.sleep(for: .milliseconds(50))
            }
            kill(interrupted.process.processIdentifier, SIGINT)
            #expect(try await interrupted.exit(within: .seconds(30)) == 128 + SIGINT)
            #expect(interrupted.standardError.contains("SIGINT: stopped; job"), "\(interrupted.standardError)")
            #expect(try await database.strings("SELECT count(*)::text FROM leeway_work.jobs") == ["0"])
            #expect(try await database.strings("SELECT count(*)::text FROM leeway_work.units") == ["0"])
        }
    }

    @Test("tune on 2 workers (--once) gives byte-identical --json output to --threads 1, and the workers stop when its job is merged")
    func tuneOnWorkers() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let tune = ["tune", "--prices", "../shared/data/prices/btcusdt-1m-2024-08-05.json.gz", "--accounts", "120", "--seed", "4",
                        "--candidates", "6", "--json"]
            let single = try LeewayProcess.run(tune + ["--threads", "1"])
            #expect(single.status == 0, "\(single.standardError)")
            let distributed = try Background(tune + ["--postgres", database.url])
            defer { distributed.stop() }
            // Workers with --once, started once the job is in the queue: they carry on across the
            // rungs (the gap while the coordinator ranks one rung and adds the next) and stop by
            // themselves when the coordinator has removed its job.
            while (try? await database.strings("SELECT count(*)::text FROM leeway_work.jobs")) != ["1"], distributed.process.isRunning {
                try await Task.sleep(for: .milliseconds(50))
            }
            let workers = try (0..<2).map { _ in try Background(["worker", "--postgres", database.url, "--lease-seconds", "2", "--once"]) }
            defer { for worker in workers { worker.stop() } }
            #expect(try await distributed.exit(within: .seconds(600)) == 0, "\(distributed.standardError)")
            #expect(distributed.standardOutput == single.standardOutput)
            for worker in workers { #expect(try await worker.exit(within: .seconds(30)) == 0, "\(worker.standardError)") }
            #expect(workers.contains { $0.standardError.contains("(rung 2 ") }, "the last rung ran on --once workers: \(workers.map(\.standardError))")
        }
    }

    @Test("a worker with --once stops when no unit is left; an unreachable server or refused credentials stop worker, stress and tune with exit code 2")
    func onceAndRefusals() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let idle = try LeewayProcess.run(["worker", "--postgres", database.url, "--once"])
            #expect(idle.status == 0, "\(idle.standardError)")
            let unreachable = ServePostgresTests.url(database.url, port: 1)
            let refused = ServePostgresTests.url(database.url, password: "wrong")
            let stress = ["stress", "--model", "gbm", "--paths", "2", "--horizon", "1h", "--accounts", "20"]
            let tune = ["tune", "--model", "gbm", "--paths", "1", "--horizon", "1h", "--accounts", "20", "--candidates", "1"]
            for (arguments, says) in [
                (["worker", "--postgres", unreachable], "cannot connect to PostgreSQL"),
                (["worker", "--postgres", refused], "refused the credentials"),
                (["worker", "--postgres", "mysql://db/x"], "is not a PostgreSQL URL"),
                (stress + ["--postgres", unreachable], "cannot connect to PostgreSQL"),
                (stress + ["--postgres", refused], "refused the credentials"),
                (tune + ["--postgres", refused], "refused the credentials"),
            ] {
                let result = try LeewayProcess.run(arguments)
                #expect(result.status == 2, "\(arguments): \(result.standardError)")
                #expect(result.standardError.contains(says), "\(arguments): \(result.standardError)")
            }
        }
    }
}
