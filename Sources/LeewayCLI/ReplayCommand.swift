import ArgumentParser
import Foundation
import LeewayCore
import LeewayWire

/// `leeway replay FILE.jsonl [--state]`: applies a command stream and prints events as JSON Lines.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Apply a command stream (JSON Lines) and print the events as JSON Lines.",
        discussion: "Bad lines become `rejected` events and processing continues. See docs/COMMANDS.md."
    )

    @Argument(help: "A JSON Lines command file, or - for standard input.")
    var file: String

    @Flag(help: "After the events, print one line with the final state of every account.")
    var state = false

    @Flag(help: "After the events, print the state digest as {\"type\":\"digest\",\"digest\":…}.")
    var digest = false

    @Option(name: .customLong("report"), help: ArgumentHelp(
        "After the events, print this account's margin report (equity, IM, MM, distances to margin call and bankruptcy, deposit that cures, liquidation and bankruptcy prices). Repeatable.",
        valueName: "account"))
    var reportAccounts: [String] = []

    func run() async throws {
        let text: String
        if file == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            text = String(decoding: data, as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw usageFailure("cannot read \(file): no such file or it is not readable")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        var engine = Engine()
        var output = StandardOutput()
        CommandStream.apply(text: text, to: &engine) { event in output.line(EventEncoder.encode(event)) }
        if state { output.line(StateEncoder.stateLine(of: engine)) }
        if digest { output.line(#"{"type":"digest","digest":"\#(engine.digest)"}"#) }
        var unknown: [String] = []
        for account in reportAccounts {
            if let report = engine.marginReport(account: account, hedges: true) { output.line(StateEncoder.reportLine(report)) } else { unknown.append(account) }
        }
        output.flush()
        if !unknown.isEmpty {
            throw usageFailure("no account named \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")) in \(file)")
        }
    }
}
