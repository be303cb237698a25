import ArgumentParser
import Foundation
import LeewayJournal

/// `leeway export --data DIR` (or `--postgres URL`): the journal as JSON Lines that `leeway replay` accepts (line N is
/// record N, so rejected events name the same command numbers).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a journal's commands as JSON Lines for `leeway replay`."
    )

    @OptionGroup var journalOptions: JournalOptions

    func run() throws {
        let journal = try journalOptions.location().openToRead()
        var output = StandardOutput()
        do {
            var after: Int64 = 0
            while true {
                let batch = try journal.records(after: after)
                guard let last = batch.last else { break }
                for record in batch { output.line(record.line) }
                after = last.seq
            }
        } catch {
            output.flush()
            FileHandle.standardError.write(Data("export failed: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        output.flush()
    }
}
