import ArgumentParser
import Foundation
import LeewayJournal

/// The coordinator's side of a distributed run (`leeway stress|tune --postgres URL`): creates the
/// job in the work queue, adds units, waits for `leeway worker` processes to finish them (with the
/// progress bar) and hands back their results in unit order, then removes the job. Stopped by
/// SIGINT or SIGTERM, it removes the job first (its units go with it), so workers do not go on
/// computing units nobody will merge.
final class WorkCoordinator {
    let queue: WorkQueue
    let job: Int64
    private var stopping: StopSignals?
    private var nextUnit: Int64 = 0
    /// How often the queue is asked for progress while waiting.
    static let pollInterval = Duration.milliseconds(200)
    /// After this long with no unit claimed or done, standard error says that no worker is taking
    /// the job's work (once).
    static let idleNote = Duration.seconds(10)

    /// Connects and creates the job. An unusable URL, an unreachable server or refused credentials
    /// stop with exit code 2 and the reason (as `leeway serve --postgres` does).
    init(postgres url: String, job: DistributedJob) throws {
        do throws(JournalError) {
            queue = try WorkQueue(address: try PostgresAddress(url), name: "\(job.kind) coordinator")
            self.job = try queue.createJob(kind: job.kind, configuration: job.encoded())
        } catch {
            throw usageFailure(WorkQueue.message(for: error))
        }
        let queue = queue, id = self.job
        stopping = StopSignals { signal in
            let removed = (try? queue.deleteJob(id)) != nil
            FileHandle.standardError.write(Data("\n\(signal): stopped; job \(id) \(removed ? "removed from" : "could not be removed from") the work queue\n".utf8))
        }
    }

    /// Adds one unit per spec, waits until every one is done (advancing `progress` by each newly
    /// done unit) and returns their results in the order of `specs`. A queue that fails while
    /// waiting stops with exit code 1 and the reason.
    func run(_ specs: [String], progress: ProgressBar) async throws -> [String] {
        let first = nextUnit
        let units = first..<(first + Int64(specs.count))
        nextUnit = units.upperBound
        do {
            try queue.addUnits(job: job, zip(units, specs).map { (unit: $0, spec: $1) })
            var done = 0, idleSince = ContinuousClock.now, noted = false
            while done < specs.count {
                try await Task.sleep(for: Self.pollInterval)
                let now = try queue.progress(job: job, units: units)
                if now.done > done {
                    progress.advance(by: now.done - done)
                    done = now.done
                }
                if now.done > 0 || now.claimed > 0 { idleSince = ContinuousClock.now }
                if !noted, ContinuousClock.now - idleSince > Self.idleNote {
                    noted = true
                    FileHandle.standardError.write(Data("note: no leeway worker has taken a unit of job \(job) in \(queue.address) for \(Self.idleNote); start one with `leeway worker --postgres URL`\n".utf8))
                }
            }
            return try queue.results(job: job, units: units)
        } catch let error as JournalError {
            FileHandle.standardError.write(Data(("error: " + WorkQueue.message(for: error) + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// Removes the job and its units (after the results are merged).
    func finish() {
        stopping?.remove()
        stopping = nil
        try? queue.deleteJob(job)
    }
}
