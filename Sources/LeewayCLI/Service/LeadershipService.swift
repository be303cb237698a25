import LeewayJournal
import LeewayServer
import Logging
import ServiceLifecycle

/// A PostgreSQL server's part in the deployment. While another server leads (a `--standby` that
/// found the lease held), it *follows*: the host applies each append the leader commits, woken by
/// the leader's NOTIFY (`PostgresJournal.listenForAppends`) and polling every `pollEvery` as well
/// (a lost notification, or a lost listening connection, only delays it to the next poll), and it
/// tries the lease at every poll. When it gets the lease it takes over from the state it already
/// applied (`EngineHost.lead`: the remaining records, then commands), with no recovery.
///
/// While leading it renews the lease every `PostgresJournal.renewEvery`. When a renewal fails
/// (another server took the lease, or the database did not answer in time and the lease may have
/// expired), the host steps down: it refuses commands with 503 from then on (the service keeps
/// running until shutdown: a service that returned would stop the server, and a stepped-down
/// server still serves what it committed). Appends are fenced by the database anyway; this makes
/// the server say so at once. A takeover that cannot apply the journal stops the server (exit 1),
/// so its lease ends and another standby can take over.
struct LeadershipService: Service {
    let journal: PostgresJournal
    let host: EngineHost
    let logger: Logger

    /// How often a follower polls the journal and the lease.
    static let pollEvery: Duration = .milliseconds(200)

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            if case .following = await host.role {
                guard try await follow() else { return }
            }
            await renew()
        }
    }

    /// Follows until this server leads (true) or the service is cancelled (false).
    func follow() async throws -> Bool {
        let host = host, journal = journal, logger = logger
        let listener = Task {
            do throws(JournalError) {
                try await journal.listenForAppends { while await host.followJournal() {} }
            } catch {
                if !Task.isCancelled {
                    logger.warning("not notified of the leader's appends; following by polling only", metadata: ["error": "\(error)"])
                }
            }
        }
        defer { listener.cancel() }
        await host.follow(leader: try? journal.leaseHolder())
        while !Task.isCancelled {
            // A lease that cannot be read now (the database did not answer) is tried at the next poll.
            if (try? journal.tryToLead()) == true {
                listener.cancel()
                let started = ContinuousClock.now
                let (from, caughtUp) = try await host.lead { () throws(JournalError) in try journal.renewLease() }
                logger.notice("took over the journal, continuing from the state already applied", metadata: [
                    "epoch": "\(journal.epoch ?? 0)", "continued_from": "\(from)", "caught_up": "\(caughtUp)",
                    "seconds": "\(ContinuousClock.now - started)",
                ])
                try await host.applyConfiguredIdempotency()
                return true
            }
            await host.follow(leader: try? journal.leaseHolder())
            while await host.followJournal() {}
            do { try await Task.sleep(for: Self.pollEvery) } catch { return false }
        }
        return false
    }

    /// Renews the lease while leading; steps the host down when a renewal fails.
    func renew() async {
        var leading = true
        while !Task.isCancelled {
            do { try await Task.sleep(for: PostgresJournal.renewEvery) } catch { return }
            guard leading else { continue }
            do throws(JournalError) {
                try journal.renewLease()
            } catch {
                await host.stepDown(reason: error.description)
                leading = false
            }
        }
    }
}
