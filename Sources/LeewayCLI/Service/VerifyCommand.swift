import ArgumentParser
import Foundation
import LeewayJournal

/// `leeway verify --data DIR` (or `--postgres URL`): the hash chain, and a full replay that reproduces every snapshot.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a journal's hash chain and that a full replay reproduces every snapshot's digest."
    )

    @OptionGroup var journalOptions: JournalOptions

    func run() throws {
        let journal = try journalOptions.location().openToRead()
        do {
            let result = try Recovery.verify(journal)
            print("ok: \(result.records) records, hash chain intact, \(result.snapshotsChecked) snapshots reproduced, final digest \(result.digest)")
        } catch {
            FileHandle.standardError.write(Data("verification failed: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
