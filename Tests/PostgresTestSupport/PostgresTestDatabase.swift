import Foundation
import LeewayJournal
import Logging
import PostgresNIO

/// A throwaway database on the PostgreSQL server `LEEWAY_TEST_POSTGRES_URL` names (`.ci/run`
/// starts one on loopback): each test creates its own and drops it at the end, so tests never
/// see each other's journals. Without the variable the PostgreSQL tests are skipped, with
/// `skipReason` printed by Swift Testing
/// (`.enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason))`).
public struct PostgresTestDatabase: Sendable {
    /// The server's URL (its database is the one new databases are created from), if set.
    public static let serverURL = ProcessInfo.processInfo.environment["LEEWAY_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    public static var isConfigured: Bool { serverURL != nil }
    public static let skipReason = "LEEWAY_TEST_POSTGRES_URL is not set, so the PostgreSQL cases are skipped; .ci/run starts a server on loopback and sets it"

    public let name: String
    public let address: PostgresAddress
    let server: PostgresAddress

    /// The new database's URL, with the server's credentials (for `--postgres`).
    public let url: String

    /// Creates an empty database.
    public static func create() async throws -> PostgresTestDatabase {
        guard let serverURL else { throw PostgresTestError(message: skipReason) }
        let server = try PostgresAddress(serverURL)
        let name = "leeway_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await execute("CREATE DATABASE \(name)", on: server)
        var components = URLComponents(string: serverURL)
        components?.path = "/" + name
        return PostgresTestDatabase(name: name, address: server.with(database: name), server: server, url: components?.string ?? serverURL)
    }

    /// Runs `body` with a new empty database, dropped afterwards (whether `body` throws or not).
    public static func withDatabase<Value>(_ body: (PostgresTestDatabase) async throws -> Value) async throws -> Value {
        let database = try await create()
        do {
            let value = try await body(database)
            await database.drop()
            return value
        } catch {
            await database.drop()
            throw error
        }
    }

    /// Runs `sql` (one statement) in this database.
    public func execute(_ sql: String) async throws {
        try await Self.execute(sql, on: address)
    }

    /// The first column of every row `sql` returns, as text.
    public func strings(_ sql: String) async throws -> [String] {
        try await Self.withConnection(to: address) { connection in
            var values: [String] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger) {
                values.append(try row.decode(String.self))
            }
            return values
        }
    }

    /// Ends every other session on this database (as a lost connection or a dead server would).
    public func terminateSessions(named applicationName: String = "leeway %") async throws {
        try await execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' AND application_name LIKE '\(applicationName)' AND pid <> pg_backend_pid()")
    }

    /// Drops the database, ending any session still on it.
    public func drop() async {
        try? await Self.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: server)
    }

    static let logger = Logger(label: "leeway.tests.postgres")

    static func execute(_ sql: String, on address: PostgresAddress) async throws {
        try await withConnection(to: address) { connection in
            for try await _ in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {}
        }
    }

    static func withConnection<Value>(to address: PostgresAddress, _ body: (PostgresConnection) async throws -> Value) async throws -> Value {
        let connection = try await PostgresConnection.connect(configuration: address.configuration, id: 1, logger: logger)
        do {
            let value = try await body(connection)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// Why a PostgreSQL test could not set up its database.
public struct PostgresTestError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
