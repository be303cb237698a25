import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// One PostgreSQL connection, used from synchronous code: a query is sent on the connection's event
/// loop and the calling thread waits for its result (as it waits for SQLite's I/O). The connections
/// run on an event loop group of their own, never one a caller's code could be running on, so the
/// wait can never be on the loop it waits for. A session runs one transaction at a time.
final class PostgresSession: Sendable {
    let connection: PostgresConnection
    let address: PostgresAddress
    let logger: Logger
    private let transactionLock = NSLock()

    /// The journal's own event loop (PostgresNIO's I/O for every session of the process).
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Connects; an unreachable server, an unknown database or refused credentials are
    /// `unreachable` or `credentialsRefused`, with the server's reason.
    init(address: PostgresAddress, name: String, logger: Logger) throws(JournalError) {
        self.address = address
        var logger = logger
        logger[metadataKey: "journal_session"] = "\(name)"
        self.logger = logger
        // Named in pg_stat_activity ("leeway append", "leeway lease", ...), for operators and tests.
        var configuration = address.configuration
        configuration.options.additionalStartupParameters = [("application_name", "leeway \(name)")]
        do {
            connection = try PostgresConnection.connect(on: Self.eventLoops.next(), configuration: configuration,
                                                        id: Int.random(in: 1...Int.max), logger: logger).wait()
        } catch {
            throw Self.connectionFailure(error, address: address)
        }
    }

    deinit { _ = try? connection.close().wait() }

    /// Runs `query`; a failure is a `JournalError` naming `what` was being done and the server's
    /// reason. It fails, rather than waits for ever, when the connection closes before the answer
    /// (PostgresNIO never answers a query written to a closed connection) or after `timeout`.
    func query(_ query: PostgresQuery, _ what: String, timeout: TimeAmount = .seconds(30)) throws(JournalError) -> PostgresQueryResult {
        let answer = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
        let settled = Settled()
        @Sendable func settle(_ result: Result<PostgresQueryResult, any Error>) {
            guard settled.first() else { return }
            answer.completeWith(result)
        }
        let deadline = connection.eventLoop.scheduleTask(in: timeout) {
            settle(.failure(QueryInterrupted(reason: "no answer from PostgreSQL within \(timeout.nanoseconds / 1_000_000_000) s")))
        }
        connection.closeFuture.whenComplete { _ in settle(.failure(QueryInterrupted(reason: "the connection to PostgreSQL was lost"))) }
        connection.query(query, logger: logger).whenComplete { settle($0) }
        do {
            let result = try answer.futureResult.wait()
            deadline.cancel()
            return result
        } catch {
            deadline.cancel()
            throw Self.failure(error, what)
        }
    }

    /// Why a query got no answer.
    struct QueryInterrupted: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// True for the first caller only (the first of a query's answer, its deadline and the
    /// connection's end settles it).
    final class Settled: Sendable {
        private let state = Mutex(false)
        func first() -> Bool {
            state.withLock { done in
                defer { done = true }
                return !done
            }
        }
    }

    /// Runs `body` in one transaction: committed when it returns (the server said COMMIT), rolled
    /// back when it throws. A COMMIT the server answers otherwise (a transaction that failed
    /// inside) throws: only a committed transaction returns.
    func transaction<Value>(_ what: String, _ body: () throws(JournalError) -> Value) throws(JournalError) -> Value {
        transactionLock.lock()
        defer { transactionLock.unlock() }
        _ = try query("BEGIN", what)
        let value: Value
        do {
            value = try body()
        } catch {
            _ = try? self.query("ROLLBACK", what)
            throw error
        }
        let commit = try query("COMMIT", what)
        guard commit.metadata.command == "COMMIT" else { throw .storage("cannot \(what): the server rolled the transaction back") }
        return value
    }

    /// The error of a failed query: fencing (`LW001`, see `PostgresSchema`) is `fenced`; anything
    /// else is `storage` with the server's message or what happened to the connection.
    static func failure(_ error: any Error, _ what: String) -> JournalError {
        if let error = error as? PSQLError, error.serverInfo?[.sqlState] == PostgresSchema.fencedState, let detail = error.serverInfo?[.detail] {
            // The trigger's detail is "EPOCH CURRENT".
            let epochs = detail.split(separator: " ").compactMap { Int64($0) }
            if epochs.count == 2 { return .fenced(epoch: epochs[0], current: epochs[1]) }
        }
        return .storage("cannot \(what): \(describe(error))")
    }

    /// A person's sentence for a PostgresNIO error (its `description` hides everything on purpose).
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return "the connection to PostgreSQL was lost"
        case .connectionError:
            return error.underlying.map { "\($0)" } ?? "the connection to PostgreSQL failed"
        default:
            return error.underlying.map { "\(error.code): \($0)" } ?? "\(error.code)"
        }
    }

    static func connectionFailure(_ error: any Error, address: PostgresAddress) -> JournalError {
        if let error = error as? PSQLError {
            // Class 28: invalid authorization (wrong password, unknown user, no pg_hba entry).
            if let state = error.serverInfo?[.sqlState], state.hasPrefix("28") {
                return .credentialsRefused(address: address.description, detail: describe(error))
            }
            if error.code == .authMechanismRequiresPassword {
                return .credentialsRefused(address: address.description, detail: "the server asks for a password and the URL has none")
            }
        }
        return .unreachable(address: address.description, detail: describe(error))
    }
}
