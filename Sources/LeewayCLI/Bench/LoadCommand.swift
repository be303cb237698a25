import ArgumentParser
import Foundation
import LeewayCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// `leeway load`: an open-loop load generator for `leeway serve` on loopback, the same requests
/// and report as `scripts/load.py` at a fraction of its CPU (one event-loop thread).
///
/// Open loop: request i is due at start + i / rate whatever the server does; it is sent on an
/// idle keep-alive connection, or waits for the first one to free up. Its latency is counted from
/// its due time to its whole response, so queueing (in the generator or the server) is included.
/// `generator_behind_ms_p99` says how late the generator itself sent requests on an idle
/// connection pool (its own lateness, not the server's).
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Open-loop load on a local leeway serve: POST /v1/commands at a fixed rate; prints latency from each request's due time (JSON).",
        discussion: "The accounts must exist (scripts/load.py --setup makes them). The command mix is scripts/load.py's: 70 % deposits, 20 % fills, 10 % marks on BTC-PERP. See BENCHMARKS.md."
    )

    @Option(help: "Server address (loopback only).") var host = "127.0.0.1"
    @Option(help: "Server port.") var port: Int
    @Option(help: "Requests per second.") var rate: Double = 100
    @Option(help: "Seconds of load.") var duration: Double = 10
    @Option(help: "Commands per request.") var batch = 1
    @Option(help: "Keep-alive connections.") var connections = 64
    @Option(help: "Accounts a0 … a(N−1) to spread the commands over.") var accounts = 100_000
    @Option(name: .customLong("ts-start"), help: "Offset (ms after 1700000000000) of the first command's ts.") var tsStart: Int64 = 0
    @Option(help: "Seed of the command mix.") var seed: UInt64 = 1
    @Option(help: "API key sent as a bearer token.") var key: String?
    @Option(name: .customLong("max-requests"), help: "At most this many requests.") var maxRequests = 10_000_000

    func validate() throws {
        guard host.hasPrefix("127.") || host == "localhost" || host == "::1" else { throw ValidationError("leeway load sends traffic to loopback addresses only, got \(host)") }
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard rate > 0, rate <= 1_000_000 else { throw ValidationError("--rate must be in (0, 1000000] requests per second") }
        guard duration > 0, duration <= 3_600 else { throw ValidationError("--duration must be in (0, 3600] seconds") }
        guard (1...10_000).contains(batch) else { throw ValidationError("--batch must be between 1 and 10000") }
        guard (1...4_096).contains(connections) else { throw ValidationError("--connections must be between 1 and 4096") }
        guard accounts >= 1 else { throw ValidationError("--accounts must be at least 1") }
    }

    func run() throws {
        let total = Swift.min(maxRequests, Int(rate * duration))
        var mix = LoadCommandMix(accounts: accounts, tsStart: tsStart, seed: seed)
        var headers = HTTPHeaders([("Host", host), ("Content-Type", "application/x-ndjson")])
        if let key { headers.add(name: "Authorization", value: "Bearer \(key)") }
        // Built before the clock starts, so building them does not delay the schedule.
        let payloads = (0..<total).map { _ in
            let body = ByteBuffer(string: (0..<batch).map { _ in mix.next() }.joined(separator: "\n"))
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/commands", headers: headers)
            head.headers.add(name: "Content-Length", value: String(body.readableBytes))
            return LoadRun.Request(head: head, body: body)
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let bound = try loop.submit { NIOLoopBound(LoadRun(loop: loop, payloads: payloads, rate: rate), eventLoop: loop) }.wait()
        let bootstrap = ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(LoadResponseReader { status, channel in bound.value.response(status, on: channel) })
                }
            }
        let channels = try (0..<connections).map { _ in try bootstrap.connect(host: host, port: port).wait() }
        let report = try loop.flatSubmit { bound.value.start(channels: channels, timeout: .seconds(Int64(duration) + 30)) }.wait()
        for channel in channels { try? channel.close().wait() }
        print(report.json(rate: rate, batch: batch, duration: duration))
    }
}
