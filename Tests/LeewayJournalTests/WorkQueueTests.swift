import Foundation
import LeewayJournal
import PostgresTestSupport
import Testing

/// The work queue of distributed stress and tune: claims that skip each other, leases that expire
/// and are renewed, and results accepted only from the current claim.
@Suite("PostgreSQL work queue: claims, leases, results", .serialized,
       .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
struct WorkQueueTests {
    @Test("two workers claim different units in order; a coordinator gets the results in unit order once all are done")
    func claimsAndResults() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let coordinator = try WorkQueue(address: database.address, name: "test coordinator")
            let one = try WorkQueue(address: database.address, name: "test worker 1")
            let two = try WorkQueue(address: database.address, name: "test worker 2")
            let job = try coordinator.createJob(kind: "stress", configuration: #"{"x":1}"#)
            try coordinator.addUnits(job: job, [(0, "a"), (1, "b"), (2, "c")])
            #expect(try one.job(job)?.configuration == #"{"x":1}"#)
            let first = try #require(try one.claim(worker: "w1", leaseMilliseconds: 60_000))
            let second = try #require(try two.claim(worker: "w2", leaseMilliseconds: 60_000))
            #expect(first.unit == 0 && first.spec == "a" && first.attempts == 1)
            #expect(second.unit == 1 && second.spec == "b")
            #expect(first.token != second.token)
            let running = try coordinator.progress(job: job, units: 0..<3)
            #expect(running.done == 0 && running.claimed == 2)
            #expect(try two.complete(second, result: "B"))
            #expect(try one.complete(first, result: "A"))
            #expect(throws: JournalError.self) { try coordinator.results(job: job, units: 0..<3) }
            let third = try #require(try one.claim(worker: "w1", leaseMilliseconds: 60_000))
            #expect(try one.claim(worker: "w1", leaseMilliseconds: 60_000) == nil)
            let open = try one.openWork()
            #expect(open.jobs == 1 && open.units == 1)
            #expect(try one.complete(third, result: "C"))
            #expect(try one.complete(third, result: "C again") == false)  // already done
            #expect(try coordinator.results(job: job, units: 0..<3) == ["A", "B", "C"])
            let finished = try coordinator.progress(job: job, units: 0..<3)
            #expect(finished.done == 3 && finished.claimed == 0)
            let merged = try one.openWork()
            #expect(merged.jobs == 1 && merged.units == 0)
            try coordinator.deleteJob(job)
            let removed = try one.openWork()
            #expect(removed.jobs == 0 && removed.units == 0)
            #expect(try one.job(job) == nil)
        }
    }

    @Test("a unit whose lease passes is claimed again with a new token; the old claim's result is refused; a renewed lease is not taken")
    func expiredLeases() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let coordinator = try WorkQueue(address: database.address, name: "test coordinator")
            let stalled = try WorkQueue(address: database.address, name: "test worker 1")
            let other = try WorkQueue(address: database.address, name: "test worker 2")
            let job = try coordinator.createJob(kind: "tune", configuration: "{}")
            try coordinator.addUnits(job: job, [(0, "only"), (1, "renewed")])
            let lost = try #require(try stalled.claim(worker: "stalled", leaseMilliseconds: 300))
            let kept = try #require(try stalled.claim(worker: "stalled", leaseMilliseconds: 300))
            #expect(try other.claim(worker: "other", leaseMilliseconds: 60_000) == nil)  // both leased
            // Renewing extends every unit the worker holds; the lease of one is then cut short by hand.
            #expect(try stalled.renewLeases(worker: "stalled", leaseMilliseconds: 60_000) == 2)
            try await database.execute("UPDATE leeway_work.units SET lease_until = now() - interval '1 second' WHERE job = \(job) AND unit = 0")
            let again = try #require(try other.claim(worker: "other", leaseMilliseconds: 60_000))
            #expect(again.unit == lost.unit && again.attempts == 2 && again.token != lost.token)
            #expect(try other.claim(worker: "other", leaseMilliseconds: 60_000) == nil)  // the renewed one stays with its holder
            #expect(try stalled.complete(lost, result: "late") == false)
            #expect(try other.complete(again, result: "on time"))
            #expect(try stalled.complete(kept, result: "kept"))
            #expect(try coordinator.results(job: job, units: 0..<2) == ["on time", "kept"])
        }
    }

    @Test("an unreachable server and refused credentials are the journal's refusals, with their sentences")
    func refusals() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            var unreachable = database.address
            unreachable.port = 1
            #expect { try WorkQueue(address: unreachable, name: "test") } throws: { error in
                (error as? JournalError)?.code == "journal_unreachable"
            }
            var wrong = database.address
            wrong.password = "not the password"
            #expect { try WorkQueue(address: wrong, name: "test") } throws: { error in
                guard let error = error as? JournalError else { return false }
                return error.code == "journal_credentials_refused" && WorkQueue.message(for: error).contains("refused the credentials")
            }
            #expect(WorkQueue.message(for: .storage("x")) == "the work queue in PostgreSQL cannot be used: x")
        }
    }
}
