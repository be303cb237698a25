import ArgumentParser

struct LiquidationPriceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "liq-price", abstract: "Isolated-margin liquidation and bankruptcy price.")
    func run() async throws {}
}
