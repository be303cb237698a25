import ArgumentParser
import Foundation
import LeewayJournal
import LeewayServer
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// Runs the service `leeway serve` is: the journal (the data directory's lock and SQLite, or
/// PostgreSQL and its leader lease, or with `--standby` following the leader's journal until it
/// gets the lease: `LeadershipService`) and its recovery,
/// the engine host, the HTTP/WebSocket application (API and dashboard), the `time` ticker and the
/// dashboard's sampler, until SIGTERM or SIGINT; then it drains the inbox and writes a snapshot.
/// `leeway demo` runs exactly this, with its driver as one more service.
struct ServiceRunner {
    var journal: JournalLocation
    var host: String
    var port: Int
    var configuration: ServerConfiguration
    var rebuildFromJournal = false
    /// With `--postgres`: follow the journal and serve reads while another server holds the leader
    /// lease, and lead when it is free, instead of refusing to start while it is held.
    var standby = false
    var logger: Logger

    /// A sentence for a socket that could not be bound (the port is taken, or not ours to take).
    static func bindFailure(_ error: any Error, address: String, port: Int) -> String? {
        guard let error = error as? IOError else { return nil }
        switch error.errnoCode {
        case EADDRINUSE: return "port \(port) on \(address) is already in use; stop the process using it or pass another --port"
        case EACCES: return "port \(port) on \(address) may not be bound by this user; use a port above 1023 or another --port"
        case EADDRNOTAVAIL: return "\(address) is not an address of this machine; pass another --host"
        default: return nil
        }
    }

    /// Serves until a shutdown signal. `onListening` gets the bound address and port once the
    /// socket is bound; `extraServices` may add services that use the engine host (they run in the
    /// same service group and are shut down with it). Throws `ExitCode(2)` when the journal cannot be
    /// opened (an unreachable or refusing database, another deployment's journal, another schema
    /// version, a lease or directory held by another server) and `ExitCode(1)` for any other
    /// reason it cannot start (a journal that does not recover, a port it cannot bind).
    func run(onListening: @escaping @Sendable (_ address: String, _ port: Int) async -> Void = { _, _ in },
             extraServices: (EngineHost) -> [any Service] = { _ in [] }) async throws {
        var address = host
        if configuration.keys.isEmpty {
            if !["127.0.0.1", "localhost", "::1"].contains(host) {
                logger.warning("no API keys are configured: binding to 127.0.0.1 only, not \(host); add keys with --config to serve other hosts")
            } else {
                logger.notice("no API keys are configured: serving on loopback only, and every local caller is admin")
            }
            address = "127.0.0.1"
        }
        let logger = logger
        let metrics = ServerMetrics()
        let store: any JournalStore
        let lock: DataDirectoryLock?
        let lease: PostgresJournal?
        var role = HostRole.leading
        do {
            (store, lock, lease) = try Self.open(journal, standby: standby, serving: "http://\(address):\(port)")
            if let lease, try !lease.tryToLead() {
                let leader = try lease.leaseHolder()
                role = .following(leader: leader)
                logger.notice("following the journal and serving reads: another server leads it", metadata: ["leader": "\(leader)"])
            }
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(2)
        }
        defer { withExtendedLifetime(lock) {} }
        let engineHost: EngineHost
        do {
            engineHost = try EngineHost(journal: store, configuration: configuration, logger: logger, metrics: metrics,
                                        rebuildingSnapshots: rebuildFromJournal, role: role, nowMs: { Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)) })
        } catch {
            logger.critical("cannot start: \(error.description)")
            throw ExitCode(1)
        }
        // A follower applies the configured idempotency window when it takes over (it may not write now).
        if role == .leading {
            do { try await engineHost.applyConfiguredIdempotency() } catch {
                logger.critical("cannot start: \(error)")
                throw ExitCode(1)
            }
        }
        let location = journal.description, boundAddress = address
        let server = ServerApplication(host: engineHost, configuration: configuration, metrics: metrics)
        let application = server.application(host: address, port: port, logger: logger) { bound in
            logger.info("listening", metadata: ["address": "\(boundAddress):\(bound)", "journal": "\(location)"])
            await onListening(boundAddress, bound)
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: application),
            .init(service: TickerService(host: engineHost, intervalMs: configuration.tickerMs)),
            .init(service: server.dashboardSampler()),
        ]
        if let lease { services.append(.init(service: LeadershipService(journal: lease, host: engineHost, logger: logger))) }
        services += extraServices(engineHost).map { .init(service: $0) }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do { try await group.run() } catch {
            // Binding fails before "listening" is said; say what an operator can act on.
            if let reason = Self.bindFailure(error, address: address, port: port) {
                logger.critical("cannot start: \(reason)")
            } else {
                logger.critical("the server stopped: \(error)")
                await engineHost.shutdown()
            }
            throw ExitCode(1)
        }
        await engineHost.shutdown()
        if case .following = await engineHost.role {
            logger.info("stopped cleanly: a follower, it wrote nothing to the journal")
        } else {
            logger.info("stopped cleanly: inbox drained, journal flushed, snapshot written")
        }
    }

    /// Opens the journal for serving: a data directory under its lock, or a PostgreSQL database
    /// with its leader lease (taken now, or later by `LeadershipService` for a standby). The lease
    /// names this server by the address it serves (`serving`), so a follower's 421 can name it.
    static func open(_ journal: JournalLocation, standby: Bool, serving: String) throws -> (any JournalStore, DataDirectoryLock?, PostgresJournal?) {
        switch journal {
        case .directory(let data):
            let lock = try DataDirectoryLock(directory: data)
            return (try SQLiteJournal(directory: data), lock, nil)
        case .postgres(let address, let deployment):
            let holder = "leeway serve at \(serving), process \(getpid()) on \(ProcessInfo.processInfo.hostName)"
            let postgres = try PostgresJournal(address: address, deployment: deployment, access: standby ? .standby(holder: holder) : .lead(holder: holder))
            return (postgres, nil, postgres)
        }
    }
}
