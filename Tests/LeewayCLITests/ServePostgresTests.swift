import Foundation
import ProcessTestSupport
import PostgresTestSupport
import Testing

/// `leeway serve --postgres`: what stops start-up (exit code 2, with the reason), and what a
/// database lost at run time does to a running server.
@Suite("leeway serve --postgres: refusals and a lost database", .ownThread, .serialized,
       .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
struct ServePostgresTests {
    /// Runs `body` with a new database and a config file (a fast ticker; a snapshot every
    /// `snapshotEvery` records), both removed afterwards.
    static func withDatabaseAndConfig(snapshotEvery: Int = 10_000, _ body: (PostgresTestDatabase, String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-pg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("config.json").path
        try Data(#"{"ticker_ms": 50, "snapshot_every": \#(snapshotEvery)}"#.utf8).write(to: URL(fileURLWithPath: config))
        try await PostgresTestDatabase.withDatabase { database in try await body(database, config) }
    }

    /// `url` with another port, password or path.
    static func url(_ url: String, port: Int? = nil, password: String? = nil) -> String {
        var components = URLComponents(string: url)
        if let port { components?.port = port }
        if let password { components?.password = password }
        return components?.string ?? url
    }

    /// The HTTP status and JSON body of `method path` on `server`.
    static func request(_ server: ServeCrashTests.Server, _ method: String, _ path: String, body: String? = nil) async throws -> (Int, [String: Any]) {
        guard let url = URL(string: server.base + path) else { throw CancellationError() }
        let response = try await LoopbackHTTP.send(method, url, body: body.map { Data($0.utf8) })
        return (response.status, response.json)
    }

    @Test("an unreachable database, refused credentials, another deployment's journal, a newer schema (for a leader and a standby alike) and a second leader stop start-up with exit code 2")
    func startUpRefusals() async throws {
        try await Self.withDatabaseAndConfig(Self.refusals)
    }

    static func refusals(database: PostgresTestDatabase, config: String) async throws {
        let port = ["--port", "1", "--config", config]

        let cases: [(arguments: [String], says: String)] = [
            (["serve", "--postgres", Self.url(database.url, port: 1)] + port, "cannot connect to PostgreSQL"),
            (["serve", "--postgres", Self.url(database.url, password: "wrong")] + port, "refused the credentials"),
            (["serve", "--postgres", "mysql://db/x"] + port, "is not a PostgreSQL URL"),
            (["verify", "--postgres", database.url], "no Leeway journal"),
            (["export", "--postgres", Self.url(database.url, port: 1)], "cannot connect to PostgreSQL"),
        ]
        for (arguments, says) in cases {
            let result = try LeewayProcess.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains(says), "\(arguments): \(result.standardError)")
        }

        // A journal created by a server of deployment "alpha".
        let first = try ServeCrashTests.Server(journal: ["--postgres", database.url, "--deployment", "alpha"], config: config)
        _ = try await first.waitUntilReady()
        let second = try LeewayProcess.run(["serve", "--postgres", database.url, "--deployment", "alpha", "--port", String(first.port + 1), "--config", config])
        #expect(second.status == 2, "\(second.standardError)")
        #expect(second.standardError.contains("another leeway serve leads this journal") && second.standardError.contains("process \(first.process.processIdentifier)"),
                "\(second.standardError)")
        first.terminate()

        // A leader and a standby (which would follow) refuse another deployment's journal alike.
        for role in [[], ["--standby"]] {
            let foreign = try LeewayProcess.run(["serve", "--postgres", database.url, "--deployment", "beta"] + role + port)
            #expect(foreign.status == 2, "\(role): \(foreign.standardError)")
            #expect(foreign.standardError.contains("deployment 'alpha', not 'beta'"), "\(role): \(foreign.standardError)")
        }
        #expect(try LeewayProcess.run(["verify", "--postgres", database.url, "--deployment", "alpha"]).status == 0)

        try await database.execute("UPDATE leeway.meta SET value = '99' WHERE key = 'schema_version'")
        for role in [[], ["--standby"]] {
            let newer = try LeewayProcess.run(["serve", "--postgres", database.url, "--deployment", "alpha"] + role + port)
            #expect(newer.status == 2, "\(role): \(newer.standardError)")
            #expect(newer.standardError.contains("schema version 99"), "\(role): \(newer.standardError)")
        }
    }

    @Test("a database lost at run time: commands get 503 with the reason, /healthz says 503, and nothing unacknowledged is committed")
    func lostDatabase() async throws {
        try await Self.withDatabaseAndConfig(Self.loseDatabase)
    }

    static func loseDatabase(database: PostgresTestDatabase, config: String) async throws {
        let server = try ServeCrashTests.Server(journal: ["--postgres", database.url], config: config)
        defer { server.terminate() }
        _ = try await server.waitUntilReady()
        #expect(await server.post(ServeCrashTests.setup))

        try await database.terminateSessions()
        let (status, body) = try await Self.request(server, "POST", "/v1/commands", body: ServeCrashTests.commands(from: 0, count: 10).joined(separator: "\n"))
        #expect(status == 503)
        let error = body["error"] as? [String: Any]
        // The append fails, or the lease renewal (every 500 ms, on its own lost connection) failed
        // first and stepped the server down: 503 with the reason either way.
        #expect(["journal_unavailable", "not_leader"].contains(error?["code"] as? String ?? ""), "\(body)")
        #expect((error?["message"] as? String)?.contains("journal") == true, "\(body)")
        let (health, _) = try await Self.request(server, "GET", "/healthz")
        #expect(health == 503)
        // A second attempt is refused as well, never acknowledged.
        #expect(await server.post(ServeCrashTests.commands(from: 10, count: 10)) == false)
        server.terminate()

        let export = try LeewayProcess.run(["export", "--postgres", database.url])
        #expect(export.status == 0, "\(export.standardError)")
        #expect(export.lines.count == ServeCrashTests.setup.count, "\(export.lines)")
    }
}
