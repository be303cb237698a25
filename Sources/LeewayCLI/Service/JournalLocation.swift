import ArgumentParser
import Foundation
import LeewayJournal

/// Where a journal is kept: a data directory (SQLite, the default) or a PostgreSQL database with
/// the name of the deployment whose journal it holds.
enum JournalLocation: CustomStringConvertible {
    case directory(String)
    case postgres(PostgresAddress, deployment: String)

    var description: String {
        switch self {
        case .directory(let path): return path
        case .postgres(let address, let deployment): return "\(address) (deployment \(deployment))"
        }
    }

    /// The journal, opened to read (`leeway verify`, `leeway export`). A directory without a
    /// journal, or a database that cannot be used, stops with exit code 2 and the reason.
    func openToRead() throws -> any JournalStore {
        switch self {
        case .directory(let data):
            guard FileManager.default.fileExists(atPath: (data as NSString).appendingPathComponent("journal.sqlite")) else {
                throw usageFailure("no journal in \(data): expected \(data)/journal.sqlite")
            }
            do { return try SQLiteJournal(directory: data) } catch { throw usageFailure(error.description) }
        case .postgres(let address, let deployment):
            do { return try PostgresJournal(address: address, deployment: deployment, access: .read) } catch { throw usageFailure(error.description) }
        }
    }
}

/// `--data DIR` or `--postgres URL [--deployment NAME]`: the options every command that opens a
/// journal takes (serve, verify, export).
struct JournalOptions: ParsableArguments {
    @Option(help: "Data directory of the SQLite journal (journal.sqlite, snapshots.sqlite).") var data = "./leeway-data"
    @Option(help: "Keep the journal in PostgreSQL instead of --data: postgres://USER:PASSWORD@HOST:PORT/DATABASE.")
    var postgres: String?
    @Option(help: "With --postgres: the deployment whose journal the database holds (a database holding another's is refused).")
    var deployment = "leeway"

    /// The location named; a bad `--postgres` URL stops with exit code 2.
    func location() throws -> JournalLocation {
        guard let postgres else { return .directory(data) }
        do { return .postgres(try PostgresAddress(postgres), deployment: deployment) } catch { throw usageFailure(error.description) }
    }
}
