import ArgumentParser
import Foundation
import LeewayJournal

/// `leeway export --data DIR`: the journal as JSON Lines that `leeway replay` accepts (line N is
/// record N, so rejected events name the same command numbers).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a journal's commands as JSON Lines for `leeway replay`."
    )

    @Option(help: "Data directory of `leeway serve`.") var data = "./leeway-data"

    func run() throws {
        guard FileManager.default.fileExists(atPath: (data as NSString).appendingPathComponent("journal.sqlite")) else {
            throw usageFailure("no journal in \(data): expected \(data)/journal.sqlite")
        }
        var output = StandardOutput()
        do {
            let journal = try Journal(directory: data)
            var after: Int64 = 0
            while true {
                let batch = try journal.records(after: after, limit: 10_000)
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
