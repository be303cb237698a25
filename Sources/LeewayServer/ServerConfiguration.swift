import Foundation

/// `leeway serve --config FILE`: API keys and limits, as JSON:
///
/// ```json
/// {"keys": [{"key": "…", "role": "admin"}, {"key": "…", "role": "trader", "accounts": ["alice"]}],
///  "snapshot_every": 10000, "snapshot_cpu_percent": 25, "ticker_ms": 250, "max_body_bytes": 1048576, "max_batch": 10000,
///  "inbox_limit": 10000, "metrics_roles": ["admin", "reader"], "snapshots_kept": 3,
///  "idempotency_window_ms": 86400000, "idempotency_max_ids": 1000000, "stream_buffer_events": 10000,
///  "header_timeout_ms": 10000, "idle_timeout_ms": 60000, "max_header_bytes": 32768,
///  "max_clock_ahead_ms": 1000}
/// ```
public struct ServerConfiguration: Sendable, Equatable {
    public var keys: [APIKey] = []
    /// A snapshot after every this many journal records (and at shutdown).
    public var snapshotEvery: Int64 = 10_000
    /// At most this share (percent) of one core goes to writing snapshots: after a snapshot that
    /// took d seconds to encode and write, the next one waits until d·(100/percent − 1) seconds
    /// have passed, however many records `snapshotEvery` counted meanwhile. Under load a large
    /// state would otherwise be snapshotted back to back (0.9 s of encoding per 10,000 records at
    /// 100k accounts), leaving the commands one core of two. 100: no pause.
    public var snapshotCPUPercent = 25
    /// Interval of the `time` ticker, ms.
    public var tickerMs: Int64 = 250
    /// How far (ms) a command's `ts` may be ahead of the server's wall clock. The server owns time:
    /// a later `ts` would fire every deadline and step before it at once and leave the ticker
    /// waiting for the wall clock to catch up, so such a request is refused (`ts_ahead_of_clock`).
    /// The default allows for clock skew between NTP-synchronised hosts, small against any grace
    /// period or cooldown.
    public var maxClockAheadMs: Int64 = 1_000
    public var maxBodyBytes = 1 << 20
    /// Most commands in one request.
    public var maxBatch = 10_000
    /// Most requests waiting for the engine before new ones get 503.
    public var inboxLimit = 10_000
    /// The idempotency window (`idempotency` command): set in the engine at start-up, through the
    /// journal, when it differs from the journaled setting. nil: keep what the engine has.
    public var idempotencyWindowMs: Int64?
    public var idempotencyMaxIDs: Int?
    /// A connection's first request head must be complete within this (ms), else 408 and close.
    public var headerTimeoutMs: Int64 = 10_000
    /// A connection with no request in progress for this long (ms) is closed.
    public var idleTimeoutMs: Int64 = 60_000
    /// Largest request head (and header field) accepted, bytes; larger gets 431 and close.
    public var maxHeaderBytes = 32 * 1024
    /// Events buffered for each WebSocket subscriber; one that falls further behind is closed with
    /// code 4001 and the last `seq` it was sent (`SubscriberLag`), to resume with `after=`.
    public var streamBufferEvents = 10_000
    /// Snapshots kept in the journal (older ones are deleted after each new one is written); at
    /// least 2, since start-up checks the newest by replaying from the one before it.
    public var snapshotsKept = 3
    /// The roles whose keys may read `/metrics` (`[]`: no key needed, e.g. for a scraper on a
    /// private network). Default: admin and reader.
    public var metricsRoles: Set<Role> = [.admin, .reader]

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case keys, snapshotEvery = "snapshot_every", snapshotCPUPercent = "snapshot_cpu_percent", tickerMs = "ticker_ms", maxBodyBytes = "max_body_bytes"
        case maxBatch = "max_batch", inboxLimit = "inbox_limit", metricsRoles = "metrics_roles"
        case snapshotsKept = "snapshots_kept", streamBufferEvents = "stream_buffer_events"
        case headerTimeoutMs = "header_timeout_ms", idleTimeoutMs = "idle_timeout_ms", maxHeaderBytes = "max_header_bytes"
        case idempotencyWindowMs = "idempotency_window_ms", idempotencyMaxIDs = "idempotency_max_ids"
        case maxClockAheadMs = "max_clock_ahead_ms"
    }

    /// Reads and validates a configuration file.
    public static func load(path: String) throws(ServerError) -> ServerConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServerError(status: 0, code: "config_unreadable", message: "cannot read the configuration file \(path)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ServerError(status: 0, code: "config_invalid", message: "\(path) is not a JSON object")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw ServerError(status: 0, code: "config_invalid", message: "\(path): unknown setting \"\(unknown)\"; known: \(known.sorted().joined(separator: ", "))")
        }
        var configuration = ServerConfiguration()
        func positive(_ key: CodingKeys) throws(ServerError) -> Int? {
            guard let value = object[key.rawValue] else { return nil }
            guard let number = value as? Int, number > 0 else {
                throw ServerError(status: 0, code: "config_invalid", message: "\(path): \"\(key.rawValue)\" must be a positive integer")
            }
            return number
        }
        if let value = try positive(.snapshotEvery) { configuration.snapshotEvery = Int64(value) }
        if let value = try positive(.snapshotCPUPercent) {
            guard value <= 100 else {
                throw ServerError(status: 0, code: "config_invalid",
                                  message: "\(path): \"snapshot_cpu_percent\" must be 1 to 100 (the most of one core snapshots may use)")
            }
            configuration.snapshotCPUPercent = value
        }
        if let value = try positive(.tickerMs) { configuration.tickerMs = Int64(value) }
        if let value = try positive(.maxBodyBytes) { configuration.maxBodyBytes = value }
        if let value = try positive(.maxBatch) { configuration.maxBatch = value }
        if let value = try positive(.inboxLimit) { configuration.inboxLimit = value }
        if let value = try positive(.snapshotsKept) {
            // Start-up replays from the snapshot before the newest to check the newest.
            guard value >= 2 else {
                throw ServerError(status: 0, code: "config_invalid",
                                  message: "\(path): \"snapshots_kept\" must be at least 2: start-up checks the newest snapshot by replaying from the one before it")
            }
            configuration.snapshotsKept = value
        }
        if let value = try positive(.streamBufferEvents) { configuration.streamBufferEvents = value }
        if let value = try positive(.headerTimeoutMs) { configuration.headerTimeoutMs = Int64(value) }
        if let value = try positive(.idleTimeoutMs) { configuration.idleTimeoutMs = Int64(value) }
        if let value = try positive(.maxHeaderBytes) { configuration.maxHeaderBytes = value }
        if let value = try positive(.idempotencyWindowMs) { configuration.idempotencyWindowMs = Int64(value) }
        if let value = try positive(.idempotencyMaxIDs) { configuration.idempotencyMaxIDs = value }
        if let value = object[CodingKeys.maxClockAheadMs.rawValue] {
            guard let number = value as? Int, number >= 0 else {
                throw ServerError(status: 0, code: "config_invalid", message: "\(path): \"max_clock_ahead_ms\" must be an integer ≥ 0 (ms a command's ts may be ahead of the server clock)")
            }
            configuration.maxClockAheadMs = Int64(number)
        }
        if let roles = object[CodingKeys.metricsRoles.rawValue] {
            guard let names = roles as? [String] else {
                throw ServerError(status: 0, code: "config_invalid", message: "\(path): \"metrics_roles\" must be a list of role names")
            }
            var parsed: Set<Role> = []
            for name in names {
                guard let role = Role(rawValue: name) else {
                    throw ServerError(status: 0, code: "config_invalid",
                                      message: "\(path): \"metrics_roles\" has unknown role \"\(name)\"; roles: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                parsed.insert(role)
            }
            configuration.metricsRoles = parsed
        }
        if let keys = object["keys"] {
            guard let list = keys as? [[String: Any]] else {
                throw ServerError(status: 0, code: "config_invalid", message: "\(path): \"keys\" must be a list of {\"key\", \"role\", \"accounts\"}")
            }
            for (index, entry) in list.enumerated() {
                guard let key = entry["key"] as? String, key.count >= 16 else {
                    throw ServerError(status: 0, code: "config_invalid", message: "\(path): key \(index + 1) needs a \"key\" string of at least 16 characters")
                }
                guard let roleName = entry["role"] as? String, let role = Role(rawValue: roleName) else {
                    throw ServerError(status: 0, code: "config_invalid",
                                      message: "\(path): key \(index + 1) needs a \"role\": one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let accounts = entry["accounts"] as? [String] ?? []
                if role == .trader, accounts.isEmpty {
                    throw ServerError(status: 0, code: "config_invalid", message: "\(path): trader key \(index + 1) needs \"accounts\"")
                }
                configuration.keys.append(APIKey(key: key, role: role, accounts: accounts))
            }
        }
        return configuration
    }
}
