import ArgumentParser

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replay", abstract: "Apply a command stream and print events as JSON Lines.")
    @Argument(help: "A JSON Lines command file, or - for standard input.") var file: String
    @Flag(help: "Print the final state line after the events.") var state = false
    func run() async throws {}
}
