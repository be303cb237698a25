import ArgumentParser
import Foundation
import LeewayJournal
import LeewaySimulation

/// `leeway worker`: runs units of distributed `leeway stress` and `leeway tune` jobs from the work
/// queue in PostgreSQL (`WorkQueue`) until stopped, or with `--once` until no work is left.
///
/// Each of `--threads` claim loops claims one unit at a time with a lease, rebuilds the unit's job
/// (once per job, `WorkerJob`), runs it and stores its result under its claim's token. A renewer
/// extends the leases of the units this process holds every quarter of the lease, on its own thread
/// and connection, so a long unit keeps its lease however busy the loops are; a process killed
/// mid-unit stops renewing and its unit is claimed again when the lease passes. SIGTERM or SIGINT
/// gives back the units it holds at once (pending for any worker) and exits 143 or 130.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run units of distributed stress and tune jobs from a PostgreSQL work queue.",
        discussion: "Example: leeway worker --postgres postgres://leeway:secret@127.0.0.1:5432/leeway --threads 2"
    )

    @Option(help: "The PostgreSQL database of the work queue: postgres://USER:PASSWORD@HOST:PORT/DATABASE.")
    var postgres: String
    @Option(help: "Units run at a time (one claim loop each).") var threads = 1
    @Flag(help: "Stop once no unit is left (none pending, none held by a worker) and no job is left, or no unit has been left for 5 s (a job whose coordinator is gone), instead of waiting for more jobs.")
    var once = false
    @Option(help: "Lease of a claimed unit, seconds: a unit whose worker stops renewing it for this long is claimed again.")
    var leaseSeconds = 30

    /// How long a loop that found nothing to claim waits before asking again.
    static let idleWait: TimeInterval = 0.2
    /// With `--once`: how long no unit may be open while a job is still in the queue before the
    /// worker stops (a tune coordinator adds its next rung's units well within it; a job whose
    /// coordinator was stopped stays in the queue with nothing open).
    static let onceGrace = Duration.seconds(5)

    func validate() throws {
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be between 1 and 64") }
        guard (1...3_600).contains(leaseSeconds) else { throw ValidationError("--lease-seconds must be between 1 and 3600") }
    }

    func run() async throws {
        var queues: [WorkQueue] = []
        let renewer: WorkQueue
        do throws(JournalError) {
            let address = try PostgresAddress(postgres)
            renewer = try WorkQueue(address: address, name: "worker renewer")
            for index in 0..<threads { queues.append(try WorkQueue(address: address, name: "worker \(index + 1)")) }
        } catch {
            throw usageFailure(WorkQueue.message(for: error))
        }
        let identity = "\(ProcessInfo.processInfo.hostName) pid \(getpid()) \(UInt32.random(in: 0...UInt32.max))"
        let leaseMs = leaseSeconds * 1_000, untilEmpty = once, loops = queues
        let state = WorkerState()
        let renewal = Thread {
            while !state.isStopped {
                Thread.sleep(forTimeInterval: Double(leaseMs) / 4_000)
                do throws(JournalError) { try renewer.renewLeases(worker: identity, leaseMilliseconds: leaseMs) } catch {
                    Self.say("cannot renew the leases (\(WorkQueue.message(for: error))); retrying")
                }
            }
        }
        renewal.start()
        let stopping = StopSignals { signal in
            state.stop()
            do throws(JournalError) {
                let released = try renewer.releaseClaims(worker: identity)
                Self.say("\(signal): stopping; gave back \(released) unit\(released == 1 ? "" : "s") for other workers")
            } catch {
                Self.say("\(signal): stopping; cannot give back the units (\(WorkQueue.message(for: error))): they are claimed again when their leases pass")
            }
        }
        defer { stopping.remove() }
        await Self.onThreads(threads) { index in
            Self.claimLoop(queue: loops[index], identity: identity, leaseMs: leaseMs, once: untilEmpty, state: state)
        }
        state.stop()
        if let failure = state.failure {
            FileHandle.standardError.write(Data(("error: " + failure + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// Claims, runs and completes units until `state` stops (or, with `once`, no unit is open).
    static func claimLoop(queue: WorkQueue, identity: String, leaseMs: Int, once: Bool, state: WorkerState) {
        var built: (id: Int64, job: WorkerJob)?
        var nothingOpenSince: ContinuousClock.Instant?
        while !state.isStopped {
            do {
                guard let unit = try queue.claim(worker: identity, leaseMilliseconds: leaseMs) else {
                    if once {
                        let open = try queue.openWork()
                        if open.units > 0 {
                            nothingOpenSince = nil
                        } else {
                            let since = nothingOpenSince ?? ContinuousClock.now
                            nothingOpenSince = since
                            if open.jobs == 0 || ContinuousClock.now - since >= onceGrace { return }
                        }
                    }
                    Thread.sleep(forTimeInterval: idleWait)
                    continue
                }
                nothingOpenSince = nil
                if built?.id != unit.job {
                    guard let stored = try queue.job(unit.job) else { continue }  // removed meanwhile: its units went with it
                    built = (unit.job, try WorkerJob.build(id: unit.job, kind: stored.kind, configuration: stored.configuration))
                }
                say("job \(unit.job) unit \(unit.unit) claimed\(unit.attempts > 1 ? ", attempt \(unit.attempts)" : "")")
                let start = ContinuousClock.now
                let result = try built!.job.run(spec: unit.spec)
                let took = String(format: "%.2f s", SimulationFormatter.seconds(ContinuousClock.now - start))
                if try queue.complete(unit, result: result) {
                    say("job \(unit.job) unit \(unit.unit) (\(unit.spec)) done in \(took)\(unit.attempts > 1 ? ", attempt \(unit.attempts)" : "")")
                } else {
                    say("job \(unit.job) unit \(unit.unit): the lease passed and another worker holds the unit; this result is dropped")
                }
            } catch let error as JournalError {
                state.fail(WorkQueue.message(for: error))
            } catch let error as SimulationError {
                state.fail("a unit cannot be run: \(error.message)")
            } catch {
                state.fail("a job cannot be run (see above)")  // a usage failure already said why
            }
        }
    }

    /// Runs `body(0..<count)` on threads of their own (the loops block on the database and run
    /// simulations: they must not hold the cooperative pool's few threads) and returns when all end.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let remaining = WorkerState.Countdown(count)
            for index in 0..<count {
                let thread = Thread {
                    body(index)
                    if remaining.finishOne() { continuation.resume() }
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
        }
    }

    static func say(_ line: String) {
        FileHandle.standardError.write(Data(("worker: " + line + "\n").utf8))
    }
}
