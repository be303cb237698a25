import ArgumentParser
import Foundation
import LeewayJournal

/// `leeway verify --data DIR`: the hash chain, and a full replay that reproduces every snapshot.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a journal's hash chain and that a full replay reproduces every snapshot's digest."
    )

    @Option(help: "Data directory of `leeway serve`.") var data = "./leeway-data"

    func run() throws {
        guard FileManager.default.fileExists(atPath: (data as NSString).appendingPathComponent("journal.sqlite")) else {
            throw usageFailure("no journal in \(data): expected \(data)/journal.sqlite")
        }
        do {
            let result = try Recovery.verify(try Journal(directory: data))
            print("ok: \(result.records) records, hash chain intact, \(result.snapshotsChecked) snapshots reproduced, final digest \(result.digest)")
        } catch {
            FileHandle.standardError.write(Data("verification failed: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
