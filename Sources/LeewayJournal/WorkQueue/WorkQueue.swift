import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL work queue of distributed `leeway stress` and `leeway tune` (tables in
/// `WorkQueueSchema`): a coordinator creates a job and its units and waits for their results;
/// `leeway worker` processes claim units one at a time, run them and store their results.
///
/// A claim is one statement: the first unit in (job, unit) order that is pending or whose lease has
/// passed, picked with `FOR UPDATE SKIP LOCKED` (two workers never wait for, or get, the same row),
/// and marked claimed with a new token and a lease. The worker renews its leases while it runs
/// (`renewLeases`); a worker killed mid-unit stops renewing, and its unit is claimed again once the
/// lease has passed, so nothing is lost. `complete` stores a result only under the token of the
/// unit's current claim: a worker that lost its lease (stalled past it, and another claimed the
/// unit) has its result refused, so each unit has exactly one result.
///
/// One connection (`PostgresSession`: answers within 30 s or fail, a lost connection fails the
/// query rather than hanging it); a `WorkQueue` is used by one thread at a time, so a worker opens
/// one per claim loop and one for renewals.
public final class WorkQueue: Sendable {
    public let address: PostgresAddress
    let session: PostgresSession

    /// Connects and creates the tables if the database has none. An unreachable server and
    /// refused credentials are `unreachable` and `credentialsRefused`, as for the journal.
    public init(address: PostgresAddress, name: String, logger: Logger = Logger(label: "leeway.work")) throws(JournalError) {
        self.address = address
        session = try PostgresSession(address: address, name: name, logger: logger)
        try session.transaction("prepare the work queue's tables") { () throws(JournalError) in
            _ = try session.query("SELECT pg_advisory_xact_lock(\(WorkQueueSchema.setupLock))", "prepare the work queue's tables")
            for statement in WorkQueueSchema.create {
                _ = try session.query(PostgresQuery(unsafeSQL: statement), "create the work queue's tables")
            }
        }
    }

    /// A sentence for a failure of the queue: connection failures as the journal says them, any
    /// other as the work queue's (not the journal's) database failing.
    public static func message(for error: JournalError) -> String {
        if case .storage(let detail) = error { return "the work queue in PostgreSQL cannot be used: \(detail)" }
        return error.description
    }

    // MARK: - Coordinator

    /// A new job of `kind` whose `configuration` is all a worker needs; returns its id.
    public func createJob(kind: String, configuration: String) throws(JournalError) -> Int64 {
        let what = "create a job in the work queue"
        let rows = try session.query("INSERT INTO leeway_work.jobs (kind, configuration) VALUES (\(kind), \(configuration)) RETURNING id", what)
        guard let id = try PostgresJournal.decode(rows.first, as: Int64.self, what) else { throw .storage("cannot \(what): no id returned") }
        return id
    }

    /// Adds pending units to `job` (in one transaction: all of them or none).
    public func addUnits(job: Int64, _ units: [(unit: Int64, spec: String)]) throws(JournalError) {
        guard !units.isEmpty else { return }
        let numbers = units.map { $0.unit }, specs = units.map { $0.spec }
        let what = "add units to the work queue"
        try session.transaction(what) { () throws(JournalError) in
            _ = try session.query("""
                INSERT INTO leeway_work.units (job, unit, spec)
                SELECT \(job), unit, spec FROM unnest(\(numbers)::int8[], \(specs)::text[]) AS t(unit, spec)
                """, what)
        }
    }

    /// How many of `job`'s units in `units` are done, and how many are claimed now.
    public func progress(job: Int64, units: Range<Int64>) throws(JournalError) -> (done: Int, claimed: Int) {
        let what = "read the work queue's progress"
        let result = try session.query("""
            SELECT count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'claimed')
            FROM leeway_work.units WHERE job = \(job) AND unit >= \(units.lowerBound) AND unit < \(units.upperBound)
            """, what)
        let counts = try PostgresJournal.rows(result, what) { row in try row.decode((Int64, Int64).self) }
        return (Int(counts.first?.0 ?? 0), Int(counts.first?.1 ?? 0))
    }

    /// The results of `job`'s units in `units`, in unit order; throws if one is not done.
    public func results(job: Int64, units: Range<Int64>) throws(JournalError) -> [String] {
        let what = "read the work queue's results"
        let result = try session.query("""
            SELECT unit, result FROM leeway_work.units
            WHERE job = \(job) AND unit >= \(units.lowerBound) AND unit < \(units.upperBound) AND state = 'done' ORDER BY unit
            """, what)
        let rows = try PostgresJournal.rows(result, what) { row in try row.decode((Int64, String).self) }
        guard rows.map(\.0) == Array(units) else { throw .storage("cannot \(what): units of job \(job) are not all done") }
        return rows.map(\.1)
    }

    /// Removes `job` and its units.
    public func deleteJob(_ job: Int64) throws(JournalError) {
        _ = try session.query("DELETE FROM leeway_work.jobs WHERE id = \(job)", "remove a finished job from the work queue")
    }

    // MARK: - Worker

    /// Claims the next claimable unit for `worker` with a lease of `leaseMilliseconds`, or nil
    /// when no unit is pending and none has an expired lease.
    public func claim(worker: String, leaseMilliseconds: Int) throws(JournalError) -> ClaimedUnit? {
        let what = "claim a unit of the work queue"
        let result = try session.query("""
            UPDATE leeway_work.units AS u
            SET state = 'claimed', claimed_by = \(worker), token = nextval('leeway_work.claim_tokens'),
                lease_until = now() + \(leaseMilliseconds) * interval '1 millisecond', attempts = u.attempts + 1
            FROM (SELECT job, unit FROM leeway_work.units
                  WHERE state = 'pending' OR (state = 'claimed' AND lease_until < now())
                  ORDER BY job, unit LIMIT 1 FOR UPDATE SKIP LOCKED) AS next
            WHERE u.job = next.job AND u.unit = next.unit
            RETURNING u.job, u.unit, u.spec, u.token, u.attempts::int8
            """, what)
        let units = try PostgresJournal.rows(result, what) { row in
            let (job, unit, spec, token, attempts) = try row.decode((Int64, Int64, String, Int64, Int64).self)
            return ClaimedUnit(job: job, unit: unit, spec: spec, token: token, attempts: Int(attempts))
        }
        return units.first
    }

    /// How many jobs the queue holds (a coordinator removes its job when it has merged it) and how
    /// many of their units are not done (pending, or claimed by a worker that may yet finish or lose
    /// them): what a worker started with `--once` watches to know when to stop.
    public func openWork() throws(JournalError) -> (jobs: Int, units: Int) {
        let what = "count the work queue's open work"
        let result = try session.query("""
            SELECT (SELECT count(*) FROM leeway_work.jobs), (SELECT count(*) FROM leeway_work.units WHERE state <> 'done')
            """, what)
        let counts = try PostgresJournal.rows(result, what) { row in try row.decode((Int64, Int64).self) }
        return (Int(counts.first?.0 ?? 0), Int(counts.first?.1 ?? 0))
    }

    /// The kind and configuration of `job` (nil: the job was removed, e.g. its coordinator finished).
    public func job(_ id: Int64) throws(JournalError) -> (kind: String, configuration: String)? {
        let what = "read a job of the work queue"
        let result = try session.query("SELECT kind, configuration FROM leeway_work.jobs WHERE id = \(id)", what)
        return try PostgresJournal.rows(result, what) { row in try row.decode((String, String).self) }.first.map { (kind: $0.0, configuration: $0.1) }
    }

    /// Extends the lease of every unit `worker` holds to `leaseMilliseconds` from now; returns how many.
    @discardableResult
    public func renewLeases(worker: String, leaseMilliseconds: Int) throws(JournalError) -> Int {
        let what = "renew the leases of claimed units"
        let result = try session.query("""
            UPDATE leeway_work.units SET lease_until = now() + \(leaseMilliseconds) * interval '1 millisecond'
            WHERE claimed_by = \(worker) AND state = 'claimed' RETURNING unit
            """, what)
        return result.reduce(0) { count, _ in count + 1 }
    }

    /// Gives back every unit `worker` holds (a worker that was told to stop): each is pending again
    /// at once, for any worker, instead of after its lease. Returns how many. A result this worker
    /// still sends for one is refused (`complete`: the claim is no longer current).
    @discardableResult
    public func releaseClaims(worker: String) throws(JournalError) -> Int {
        let result = try session.query("""
            UPDATE leeway_work.units SET state = 'pending', claimed_by = NULL, lease_until = NULL
            WHERE claimed_by = \(worker) AND state = 'claimed' RETURNING unit
            """, "give back claimed units")
        return result.reduce(0) { count, _ in count + 1 }
    }

    /// Stores `result` for `unit` and marks it done, if the claim is still the unit's current one;
    /// returns false (nothing written) when it is not: the lease passed and another worker claimed
    /// the unit, or it is already done.
    public func complete(_ unit: ClaimedUnit, result: String) throws(JournalError) -> Bool {
        let written = try session.query("""
            UPDATE leeway_work.units SET state = 'done', result = \(result), lease_until = NULL
            WHERE job = \(unit.job) AND unit = \(unit.unit) AND token = \(unit.token) AND state = 'claimed' RETURNING unit
            """, "store a unit's result in the work queue")
        return !written.isEmpty
    }
}
