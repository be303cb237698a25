import ArgumentParser
import Foundation
import LeewayCore
import LeewayMarketData
import LeewayServer
import LeewaySimulation
import Logging

/// `leeway demo`: the service `leeway serve` runs, a simulated venue seeded through it, and a real
/// crash replayed against it, to watch on the dashboard.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start the service, seed simulated traders and replay a real crash; watch it on the dashboard.",
        discussion: """
        Runs what `leeway serve` runs (SQLite journal, HTTP/WebSocket API, dashboard at /) on a temporary data \
        directory (or --data), sends a venue's set-up and a population's deposits and fills through the engine host, \
        then replays the candles around the file's largest fall at --speed. Simulated traders answer margin calls by \
        depositing or reducing, as in `leeway backtest`. One candle minute takes 60/speed s of server time; the \
        policy's durations and the traders' reaction times are divided by the speed. Ctrl-C stops it cleanly.
        """
    )

    @Option(help: "Candle file (Curve/Binance JSON or Binance CSV, gzip or plain). Default: the sample shipped with leeway, ETH 2024-08-05.")
    var prices: String?
    @Option(help: "Replay speed: simulated minutes per real minute.") var speed = 60.0
    @Option(help: "Simulated traders.") var accounts = 10_000
    @Option(help: "Policy: hard, soft, soft-adaptive or guarded, with overrides as in backtest (e.g. soft:grace_ms=300000).")
    var policy = "soft"
    @Option(help: "Seed of the population.") var seed: UInt64 = 1
    @Option(help: "Port to bind (0: any free port).") var port = 8080
    @Option(help: "Data directory for the journal (default: a temporary one, removed at exit). Must hold no journal yet.")
    var data: String?
    @Option(help: "Configuration file (JSON), as for serve: API keys and limits.") var config: String?
    @Flag(help: "Log the server's info messages (default: warnings only).") var verbose = false

    func validate() throws {
        guard speed >= 1, speed <= 100_000 else { throw ValidationError("--speed must be between 1 and 100000") }
        guard (1...1_000_000).contains(accounts) else { throw ValidationError("--accounts must be between 1 and 1,000,000") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let verbose = verbose
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .info : .warning
            return handler
        }
        let spec: PolicySpec
        do { spec = try PolicySpec.parse(policy) } catch { throw usageFailure(error.message) }
        var configuration: ServerConfiguration
        do { configuration = try config.map(ServerConfiguration.load) ?? ServerConfiguration() } catch { throw usageFailure(error.message) }
        // Deadlines of a compressed replay are short: look for due timers often.
        configuration.tickerMs = Swift.min(configuration.tickerMs, 100)
        guard let source = prices ?? DemoSample.path() else {
            throw usageFailure("the sample crash \(DemoSample.fileName) is not beside the leeway binary nor in the source tree; pass --prices FILE")
        }
        let candles: [Candle]
        do { candles = try CandleFile.load(path: source) } catch { throw usageFailure(error.description) }
        guard candles.count >= 2 else { throw usageFailure("\(source) has \(candles.count) candle; the demo needs at least 2") }
        let plan = DemoPlan(candles: candles, source: source, accounts: accounts, seed: seed, policy: spec, speed: speed)

        let directory: String, temporary: Bool
        if let data {
            directory = data
            temporary = false
            if FileManager.default.fileExists(atPath: (data as NSString).appendingPathComponent("journal.sqlite")) {
                throw usageFailure("\(data) already holds a journal; the demo seeds a new venue: pass an empty or new --data directory")
            }
        } else {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-demo-\(UUID().uuidString)").path
            temporary = true
        }
        let say: @Sendable (String) -> Void = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        say(Self.introduction(plan: plan, source: prices == nil ? DemoSample.description : source, keys: !configuration.keys.isEmpty))
        let (listening, signal) = AsyncStream<Void>.makeStream()
        let runner = ServiceRunner(journal: .directory(directory), host: "127.0.0.1", port: port, configuration: configuration, logger: Logger(label: "leeway.demo"))
        defer { if temporary { try? FileManager.default.removeItem(atPath: directory) } }
        try await runner.run(onListening: { address, bound in
            say("Dashboard: http://\(address):\(bound)/   (API under /v1, journal in \(directory)\(temporary ? ", removed at exit" : ""))")
            signal.yield()
            signal.finish()
        }, extraServices: { host in [DemoDriver(host: host, plan: plan, listening: listening, say: say)] })
        say("stopped cleanly: inbox drained, journal flushed, snapshot written\(temporary ? "; \(directory) removed" : "")")
    }

    /// What the person is about to see.
    static func introduction(plan: DemoPlan, source: String, keys: Bool) -> String {
        let fall = plan.peak > 0 ? (plan.peak - plan.trough) / plan.peak * 100 : 0
        let minute = 60 / plan.speed
        var grace = ""
        if case .fixed(let ms) = plan.policy.policy.grace, case .fixed(let scaled) = plan.scaledPolicy.grace {
            grace = " (grace \(DemoDriver.duration(ms)) → \(DemoDriver.duration(scaled)) at this speed)"
        }
        return """
        Leeway demo: \(source)
          \(plan.market): \(plan.candles.count) one-minute candles around the largest fall, \(String(format: "%.0f", plan.peak)) → \(String(format: "%.0f", plan.trough)) (−\(String(format: "%.1f", fall)) %), replayed at \(plan.speed.formatted())× (one candle minute every \(String(format: "%.2g", minute)) s, \(DemoDriver.duration(plan.replayMs)) in all)
          \(plan.accounts.count.formatted()) simulated traders (2–50× leverage, half long, half short, Pareto-sized), policy \(plan.policy.name)\(grace)

        What you will see on the dashboard: as the price falls, leveraged longs get warnings, then margin calls with a live
        grace countdown in "Accounts at risk". About a third of the traders answer their call (a deposit or a reduction) and
        are cured; the others are deleveraged in steps when the grace ends (liquidation fills in the event feed, red markers on
        the mark chart), the most leveraged are closed in full and some go bankrupt, paid by the insurance fund (its chart
        falls). The liquidation map shows where the remaining positions' liquidation prices cluster; click an account for its
        positions, margin report and a what-if cure (hypothetical, nothing is applied).\(keys ? "\n        Keys are configured: the page asks for one (a trader key sees only its own accounts)." : "")

        Time: the server stamps every command with its own clock; the replay sends candle minute k at start + k × 60/speed s,
        and the policy's durations and the traders' reaction times are divided by the speed, so the crash keeps its shape.
        Ctrl-C stops the demo cleanly.
        """
    }
}
