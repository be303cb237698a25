import ArgumentParser

/// The `leeway` command: one binary, one subcommand per job.
@main
struct LeewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leeway",
        abstract: "Soft-liquidation margin and risk engine.",
        subcommands: [
            ReplayCommand.self,
            LiquidationPriceCommand.self,
        ]
    )
}
