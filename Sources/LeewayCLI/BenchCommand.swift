import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure the engine against a full re-evaluation baseline.")
    func run() async throws { throw usageFailure("not built yet") }
}
