import LeewayJournal
import LeewayServer
import ServiceLifecycle

/// Keeps a leading server's PostgreSQL lease alive: renews it every `PostgresJournal.renewEvery`.
/// When a renewal fails (another server took the lease, or the database did not answer in time
/// and the lease may have expired), the host steps down: it refuses commands with 503 from then
/// on (the service keeps running until shutdown: a service that returned would stop the server,
/// and a stepped-down server still serves what it committed). Appends are fenced by the
/// database anyway; this makes the server say so at once.
struct LeaseRenewalService: Service {
    let journal: PostgresJournal
    let host: EngineHost

    func run() async throws {
        await cancelWhenGracefulShutdown {
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
}
