import Foundation
import LeewayCore
import LeewayJournal
import PostgresTestSupport
import Testing

/// What only the PostgreSQL backend has: a shared database (deployments, the leader lease and
/// fencing) and a server that can be away.
@Suite("PostgreSQL journal: deployments, lease, fencing, refusals", .serialized,
       .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
struct PostgresJournalTests {
    func lead(_ database: PostgresTestDatabase, deployment: String = "alpha", holder: String = "test leader") throws(JournalError) -> PostgresJournal {
        try PostgresJournal(address: database.address, deployment: deployment, access: .lead(holder: holder))
    }

    @Test("a database holding another deployment's journal is refused, naming both deployments")
    func foreignDeployment() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            do { _ = try lead(database, deployment: "alpha") }
            #expect(throws: JournalError.foreignJournal(found: "alpha", expected: "beta")) { try lead(database, deployment: "beta") }
            #expect(throws: JournalError.foreignJournal(found: "alpha", expected: "beta")) {
                try PostgresJournal(address: database.address, deployment: "beta", access: .read)
            }
            #expect(JournalError.foreignJournal(found: "alpha", expected: "beta").description.contains("--deployment alpha"))
        }
    }

    @Test("while one server leads, a second is refused with the holder named; once it is gone, the next takes a higher epoch")
    func leaseIsExclusive() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            var first: PostgresJournal? = try lead(database, holder: "first leader")
            #expect(first?.epoch == 1)
            do throws(JournalError) {
                _ = try lead(database, holder: "second leader")
                Issue.record("a second leader was let in")
            } catch {
                #expect(error.code == "journal_leader_elsewhere")
                #expect(error.description.contains("first leader"), "\(error.description)")
            }
            // Reading (verify, export) needs no lease.
            #expect(try PostgresJournal(address: database.address, deployment: "alpha", access: .read).head().seq == 0)
            first = nil
            let second = try lead(database, holder: "second leader")
            #expect(second.epoch == 2)
        }
    }

    @Test("an append from a superseded epoch is refused by the database and writes nothing; the new leader appends")
    func staleEpochIsFenced() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let old = try lead(database, holder: "old leader")
            var engine = Engine()
            try appendLines(Array(setupLines.prefix(3)), to: old, engine: &engine)
            // The old leader's lease session dies (a pause long enough for its connection to be
            // dropped); a new leader takes over. The old one's append connection is still open.
            try await database.terminateSessions(named: "leeway lease")
            try await Task.sleep(for: .milliseconds(200))
            let new = try lead(database, holder: "new leader")
            #expect(new.epoch == 2)
            var stale = engine
            #expect(throws: JournalError.fenced(epoch: 1, current: 2)) { try appendLines([setupLines[3]], to: old, engine: &stale) }
            #expect(try new.head().seq == 3)
            try appendLines([setupLines[3]], to: new, engine: &engine)
            #expect(try new.head().seq == 4)
            #expect(try await database.strings("SELECT string_agg(epoch::text, ',' ORDER BY seq) FROM leeway.records") == ["1,1,1,2"])
            #expect(try Recovery.verify(new).digest == engine.digest.description)
        }
    }

    @Test("a lease its leader stops renewing is taken once it expires, though the leader's session lives; the old leader's renewal, appends and truncation are then fenced")
    func expiredLeaseIsTaken() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let old = try lead(database, holder: "old leader")
            try old.renewLease()
            let standby = try PostgresJournal(address: database.address, deployment: "alpha", access: .standby(holder: "standby"))
            #expect(try standby.tryToLead() == false)
            #expect(standby.epoch == nil)
            #expect(try standby.leaseHolder().contains("old leader, epoch 1"))
            try await Task.sleep(for: .milliseconds(2_300))
            #expect(try standby.tryToLead())
            #expect(standby.epoch == 2)
            #expect(throws: JournalError.fenced(epoch: 1, current: 2)) { try old.renewLease() }
            var engine = Engine()
            #expect(throws: JournalError.fenced(epoch: 1, current: 2)) { try appendLines([setupLines[0]], to: old, engine: &engine) }
            #expect(throws: JournalError.fenced(epoch: 1, current: 2)) { try old.truncate(from: 1) }
            try appendLines([setupLines[0]], to: standby, engine: &engine)
            #expect(try standby.head().seq == 1)
        }
    }

    @Test("a lost connection fails the append; nothing of it is committed")
    func lostConnectionFailsAppends() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let journal = try lead(database)
            var engine = Engine()
            try appendLines(Array(setupLines.prefix(2)), to: journal, engine: &engine)
            try await database.terminateSessions()
            try await Task.sleep(for: .milliseconds(200))
            #expect(throws: JournalError.self) { try appendLines(Array(setupLines.suffix(4)), to: journal, engine: &engine) }
            let reader = try PostgresJournal(address: database.address, deployment: "alpha", access: .read)
            #expect(try reader.head().seq == 2)
        }
    }

    @Test("an unreachable server, refused credentials, a bad URL and a database without a journal are clear errors")
    func startUpRefusals() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            var unreachable = database.address
            unreachable.port = 1
            do throws(JournalError) {
                _ = try PostgresJournal(address: unreachable, deployment: "alpha", access: .read)
                Issue.record("connected to port 1")
            } catch {
                #expect(error.code == "journal_unreachable")
                #expect(error.description.contains("127.0.0.1:1") || error.description.contains(unreachable.host), "\(error.description)")
            }
            var wrongPassword = database.address
            wrongPassword.password = "not-the-password"
            do throws(JournalError) {
                _ = try PostgresJournal(address: wrongPassword, deployment: "alpha", access: .read)
                Issue.record("connected with a wrong password")
            } catch {
                #expect(error.code == "journal_credentials_refused", "\(error.description)")
                #expect(error.description.contains("password"), "\(error.description)")
            }
            do throws(JournalError) {
                _ = try PostgresJournal(address: database.address, deployment: "alpha", access: .read)
                Issue.record("read a journal from an empty database")
            } catch {
                #expect(error.code == "journal_storage")
                #expect(error.description.contains("no Leeway journal"), "\(error.description)")
            }
            for url in ["http://localhost/x", "postgres://localhost/db", "postgres://user@localhost/", "postgres://user@localhost/db?sslmode=require"] {
                #expect(throws: JournalError.self, "\(url)") { try PostgresAddress(url) }
            }
            let parsed = try PostgresAddress("postgresql://us%40er:p%3Ass@db.example:6543/venue")
            #expect(parsed.user == "us@er" && parsed.password == "p:ss" && parsed.port == 6543 && parsed.database == "venue")
            #expect(parsed.description == "postgres://us@er@db.example:6543/venue")
        }
    }
}
