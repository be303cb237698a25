import ArgumentParser
import Foundation
import LeewayJournal
import LeewayServer
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// `leeway serve`: the durable engine service.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the engine as a service: journal in SQLite, HTTP and WebSocket API, metrics.",
        discussion: "SIGTERM drains the inbox, flushes the journal, writes a snapshot and exits 0. See README.md (leeway serve)."
    )

    @Option(help: "Data directory (journal, snapshots).") var data = "./leeway-data"
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind.") var port = 8080
    @Option(help: "Configuration file (JSON): API keys and limits.") var config: String?
    @Flag(help: "Replay the whole journal from its first record, delete snapshots that disagree with it (each is logged with both digests) and start. Without it, start-up refuses a snapshot the journal does not reproduce.")
    var rebuildFromJournal = false

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

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "leeway.serve")
        let configuration: ServerConfiguration
        do { configuration = try config.map(ServerConfiguration.load) ?? ServerConfiguration() } catch { throw usageFailure(error.message) }
        var address = host
        if configuration.keys.isEmpty {
            if !["127.0.0.1", "localhost", "::1"].contains(host) {
                logger.warning("no API keys are configured: binding to 127.0.0.1 only, not \(host); add keys with --config to serve other hosts")
            } else {
                logger.notice("no API keys are configured: serving on loopback only, and every local caller is admin")
            }
            address = "127.0.0.1"
        }
        let journal: Journal
        let engineHost: EngineHost
        let metrics = ServerMetrics()
        let lock: DataDirectoryLock
        do { lock = try DataDirectoryLock(directory: data) } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(1)
        }
        defer { withExtendedLifetime(lock) {} }
        do {
            journal = try Journal(directory: data)
            engineHost = try EngineHost(journal: journal, configuration: configuration, logger: logger, metrics: metrics,
                                        rebuildingSnapshots: rebuildFromJournal, nowMs: { Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)) })
        } catch {
            logger.critical("cannot start: \(error.description)")
            throw ExitCode(1)
        }
        do { try await engineHost.applyConfiguredIdempotency() } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(1)
        }
        let data = data, boundAddress = address
        let application = ServerApplication(host: engineHost, configuration: configuration, metrics: metrics)
            .application(host: address, port: port, logger: logger) { bound in
                logger.info("listening", metadata: ["address": "\(boundAddress):\(bound)", "data": "\(data)"])
            }
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: application), .init(service: TickerService(host: engineHost, intervalMs: configuration.tickerMs))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
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
        logger.info("stopped cleanly: inbox drained, journal flushed, snapshot written")
    }
}
