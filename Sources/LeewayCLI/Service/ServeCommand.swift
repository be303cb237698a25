import ArgumentParser
import Foundation
import LeewayServer
import Logging

/// `leeway serve`: the durable engine service.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the engine as a service: journal in SQLite (or PostgreSQL with --postgres), HTTP and WebSocket API, live dashboard at /, metrics.",
        discussion: "SIGTERM drains the inbox, flushes the journal, writes a snapshot and exits 0. See README.md (leeway serve)."
    )

    @OptionGroup var journalOptions: JournalOptions
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind.") var port = 8080
    @Option(help: "Configuration file (JSON): API keys and limits.") var config: String?
    @Flag(help: "Replay the whole journal from its first record, delete snapshots that disagree with it (each is logged with both digests) and start. Without it, start-up refuses a snapshot the journal does not reproduce.")
    var rebuildFromJournal = false
    @Flag(help: "With --postgres: stand by while another server leads the journal, and take over when its lease ends (it died, or stopped renewing for 2 s). Without it, start-up refuses while the lease is held.")
    var standby = false

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard !standby || journalOptions.postgres != nil else { throw ValidationError("--standby needs --postgres (a data directory has one server)") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let configuration: ServerConfiguration
        do { configuration = try config.map(ServerConfiguration.load) ?? ServerConfiguration() } catch { throw usageFailure(error.message) }
        try await ServiceRunner(journal: try journalOptions.location(), host: host, port: port, configuration: configuration, rebuildFromJournal: rebuildFromJournal, standby: standby,
                                logger: Logger(label: "leeway.serve")).run()
    }
}
