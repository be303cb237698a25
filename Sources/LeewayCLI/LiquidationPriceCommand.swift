import ArgumentParser
import Foundation
import LeewayCore
import LeewayWire

/// `leeway liq-price`: a trader's isolated-margin liquidation and bankruptcy prices.
struct LiquidationPriceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "liq-price",
        abstract: "Isolated-margin liquidation price: where wallet + PnL = notional × mmr − maintenance amount.",
        discussion: """
            Prices are rounded against the trader (a long's up, a short's down) to --decimals places, \
            so the true trigger is never beyond the printed price.
            Example: leeway liq-price --side long --size 1 --entry 10000 --wallet 1000 --mmr 0.004  →  9036.1446
            The size is positive; --side gives the direction. A wallet below the maintenance margin at \
            entry puts the liquidation price beyond the entry: a warning on standard error says so.
            """
    )

    enum Side: String, ExpressibleByArgument, CaseIterable { case long, short }

    @Option(help: "long or short.") var side: Side
    // The numbers are read `.unconditional`ly, so `--size -1` reaches the check below ("must be
    // greater than zero") instead of the parser taking -1 for an option and saying the value is missing.
    @Option(parsing: .unconditional, help: "Position size in base units (positive; --side gives the direction).") var size: String
    @Option(parsing: .unconditional, help: "Entry price.") var entry: String
    @Option(parsing: .unconditional, help: "Isolated wallet balance (margin) in settle units.") var wallet: String
    @Option(parsing: .unconditional, help: "Maintenance margin rate, e.g. 0.004.") var mmr: String
    @Option(name: .customLong("maintenance-amount"), parsing: .unconditional, help: "The tier's maintenance amount (cum), default 0.") var maintenanceAmount: String = "0"
    @Option(help: "Decimal places to print (0-8).") var decimals: Int = 4
    @Flag(help: "Print {\"liquidation_price\": …, \"bankruptcy_price\": …}.") var json = false

    func run() async throws {
        let size = try Self.decimal(self.size, option: "--size")
        let entry = try Self.decimal(self.entry, option: "--entry")
        let wallet = try Self.decimal(self.wallet, option: "--wallet")
        let rate = try Self.decimal(mmr, option: "--mmr")
        let amount = try Self.decimal(maintenanceAmount, option: "--maintenance-amount")
        guard size.isPositive else { throw usageFailure("--size must be greater than zero (use --side for the direction)") }
        guard entry.isPositive else { throw usageFailure("--entry must be greater than zero") }
        guard wallet >= .zero else { throw usageFailure("--wallet must not be negative") }
        guard rate.isPositive, rate < .one else { throw usageFailure("--mmr must be above 0 and below 1") }
        guard amount >= .zero else { throw usageFailure("--maintenance-amount must not be negative") }
        guard (0...Fixed.fractionDigits).contains(decimals) else { throw usageFailure("--decimals must be between 0 and 8") }

        let signedSize = side == .long ? size : size.negated
        let schedule: TierSchedule
        do { schedule = try TierSchedule(maintenanceRate: rate, maintenanceAmount: amount) } catch {
            throw usageFailure(error.message)
        }
        let liquidation = LiquidationPriceSolver.liquidationPrice(
            size: signedSize, referencePrice: entry, equityAtReference: wallet, otherMaintenance: .zero, tiers: schedule)
        let bankruptcy = LiquidationPriceSolver.bankruptcyPrice(size: signedSize, referencePrice: entry, equityAtReference: wallet)
        let rounding: RoundingRule = side == .long ? .up : .down
        func text(_ price: Fixed?) throws -> String? {
            guard let price else { return nil }
            do { return try price.formatted(digits: decimals, rounding: rounding) } catch { throw usageFailure("the price is out of range") }
        }
        let liquidationText = try text(liquidation)
        let bankruptcyText = try text(bankruptcy)
        // At the liquidation price, wallet + PnL = MM. For a long, a price at or above the entry
        // means the wallet alone is at most the maintenance margin at entry (PnL 0 there): the
        // position is liquidatable the moment it opens. Mirrored for a short.
        let beyondEntry = liquidation.map { side == .long ? $0 >= entry : $0 <= entry } ?? false
        if beyondEntry, let liquidationText {
            let maintenance = try? schedule.maintenanceMargin(notional: entry.multiplied(by: size, rounding: .up)).formatted(digits: 2, rounding: .up)
            let relation = side == .long ? "at or above" : "at or below"
            FileHandle.standardError.write(Data(("warning: the liquidation price \(liquidationText) is \(relation) the entry \(self.entry): "
                + "the wallet \(self.wallet) does not exceed the maintenance margin at entry (\(maintenance ?? "notional × mmr − maintenance amount")), "
                + "so the position would be liquidated as soon as it opens; add to --wallet or lower --size\n").utf8))
        }
        if json {
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("liquidation_price"); if let liquidationText { writer.string(liquidationText) } else { writer.null() }
            writer.key("bankruptcy_price"); if let bankruptcyText { writer.string(bankruptcyText) } else { writer.null() }
            writer.field("below_maintenance_at_entry", beyondEntry)
            writer.endObject()
            print(writer.text)
        } else {
            print(liquidationText ?? "none: the wallet covers any price move")
            if let bankruptcyText { print("bankruptcy price: \(bankruptcyText)") }
        }
    }

    static func decimal(_ text: String, option: String) throws -> Fixed {
        do { return try Fixed(parsing: text) } catch { throw usageFailure("\(option): \(error.message)") }
    }
}
