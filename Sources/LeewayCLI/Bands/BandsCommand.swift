import ArgumentParser

/// `leeway bands …`: Curve's band soft liquidation (LLAMMA): replay the contract, simulate losses, benchmark.
struct BandsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bands",
        abstract: "Band soft liquidation (Curve's LLAMMA): contract replay and loss simulation.",
        subcommands: [BandsReplayCommand.self, BandsSimulateCommand.self, BandsBenchCommand.self, BandsExactBenchCommand.self]
    )
}
