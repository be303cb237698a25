import Foundation
import Hummingbird
import HummingbirdTesting
import LeewayJournal
import LeewayServer
import Logging
import HTTPTypes
import NIOCore

/// A server over a fresh journal (or `directory`'s: a follower of another fixture's journal), with
/// one key per role.
struct ServerFixture {
    static let adminKey = "admin-key-0123456789"
    static let oracleKey = "oracle-key-0123456789"
    static let venueKey = "venue-key-0123456789"
    static let readerKey = "reader-key-0123456789"
    static let aliceKey = "alice-trader-key-0123456789"

    let directory: String
    /// The clock the server stamps commands with (and measures mark ages by).
    let clock = ManualClock()
    let host: EngineHost
    let application: ServerApplication

    init(inboxLimit: Int = 10_000, maxBatch: Int = 10_000, maxBodyBytes: Int = 1 << 20, openAccess: Bool = false,
         directory: String? = nil, rebuildingSnapshots: Bool = false, role: HostRole = .leading, adjust: (inout ServerConfiguration) -> Void = { _ in }) throws {
        self.directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("leeway-server-\(UUID().uuidString)").path
        var configuration = ServerConfiguration()
        if !openAccess {
            configuration.keys = [
                APIKey(key: Self.adminKey, role: .admin), APIKey(key: Self.oracleKey, role: .oracle),
                APIKey(key: Self.venueKey, role: .venue), APIKey(key: Self.readerKey, role: .reader),
                APIKey(key: Self.aliceKey, role: .trader, accounts: ["alice"]),
            ]
        }
        configuration.inboxLimit = inboxLimit
        configuration.maxBatch = maxBatch
        configuration.maxBodyBytes = maxBodyBytes
        configuration.snapshotEvery = 5
        // Every fifth record, as the snapshot tests count them (the CPU budget has its own test).
        configuration.snapshotCPUPercent = 100
        // The scenarios script their own `ts`, up to minutes past the manual clock, which stands
        // still unless a test moves it; the clock's guard has its own tests (ServerClockTests).
        configuration.maxClockAheadMs = 86_400_000
        adjust(&configuration)
        let metrics = ServerMetrics()
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let clock = clock
        host = try EngineHost(journal: try SQLiteJournal(directory: self.directory), configuration: configuration, logger: logger,
                              metrics: metrics, rebuildingSnapshots: rebuildingSnapshots, role: role, nowMs: { clock.now })
        application = ServerApplication(host: host, configuration: configuration, metrics: metrics)
    }

    func app() -> some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return application.application(host: "127.0.0.1", port: 0, logger: logger)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// The spec's scenario with alice, bob and carol and a gap to bankruptcy (fixed timestamps).
    static let scenario = """
    {"type":"asset","asset":"USDC","price":"1","weight":"1","ts":1700000000000}
    {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005","ts":1700000000000}
    {"type":"policy","mode":"soft","grace_ms":600000,"ts":1700000000000}
    {"type":"insurance_deposit","amount":"50","ts":1700000000000}
    {"type":"deposit","account":"alice","asset":"USDC","amount":"1000","ts":1700000000000}
    {"type":"mark","market":"BTC-PERP","price":"10000","ts":1700000000000}
    {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000","ts":1700000000000}
    {"type":"deposit","account":"bob","asset":"USDC","amount":"5000","ts":1700000000000}
    {"type":"fill","account":"bob","market":"BTC-PERP","size":"-1","price":"10000","ts":1700000000000}
    {"type":"deposit","account":"carol","asset":"USDC","amount":"5000","ts":1700000000000}
    {"type":"fill","account":"carol","market":"BTC-PERP","size":"-2","price":"10500","ts":1700000000000}
    {"type":"mark","market":"BTC-PERP","price":"9080","ts":1700000060000}
    """
}

/// A settable clock for the server's stamping of commands without `ts`.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64 = 1_700_000_000_000
    var now: Int64 {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}

extension TestClientProtocol {
    /// Sends a request with an optional API key and returns (status, body text, headers).
    func call(_ method: HTTPRequest.Method, _ uri: String, key: String? = nil, body: String? = nil) async throws -> (status: Int, body: String, headers: HTTPFields) {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            (Int(response.status.code), String(buffer: response.body), response.headers)
        }
    }
}

/// The `events` arrays of a `POST /v1/commands` answer (a retry differs only in record/retried).
func eventsPart(_ body: String) -> String {
    guard let start = body.range(of: #""events":"#) else { return body }
    return String(body[start.lowerBound...])
}
