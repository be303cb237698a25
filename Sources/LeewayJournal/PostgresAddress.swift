import Foundation
import PostgresNIO

/// A PostgreSQL server and database as `--postgres` names it:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (or `postgresql://`; user and password may be
/// percent-encoded). Connections are unencrypted, for a database on loopback or a private network;
/// `?sslmode=disable` is accepted and any other `sslmode` is refused rather than silently ignored.
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String

    /// Parses `url`; throws `JournalError.badAddress` naming what is wrong.
    public init(_ url: String) throws(JournalError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
              ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw .badAddress("\(Self.redacting(url)) is not a PostgreSQL URL; write postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let host = components.host, !host.isEmpty else { throw .badAddress("\(Self.redacting(url)) names no host") }
        guard let user = components.user, !user.isEmpty else { throw .badAddress("\(Self.redacting(url)) names no user (postgres://USER@HOST/DATABASE)") }
        let database = String(components.percentEncodedPath.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw .badAddress("\(Self.redacting(url)) names no database (postgres://USER@HOST/DATABASE)")
        }
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode", item.value == "disable" else {
                throw .badAddress("\(Self.redacting(url)): the parameter \(item.name)=\(item.value ?? "") is not supported (connections are unencrypted; only sslmode=disable is accepted)")
            }
        }
        self.host = host
        self.port = components.port ?? 5432
        // `URLComponents` decodes user and password; the path is decoded here.
        self.user = user
        self.password = components.password
        self.database = database.removingPercentEncoding ?? database
    }

    /// The address without its password (for messages and logs).
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// The same server with another database (tests create one per case).
    public func with(database: String) -> PostgresAddress {
        var copy = self
        copy.database = database
        return copy
    }

    /// How PostgresNIO connects to it (unencrypted, a 5 s connect timeout).
    public var configuration: PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// `url` with any password replaced by `***`.
    static func redacting(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "the --postgres URL"
    }
}
