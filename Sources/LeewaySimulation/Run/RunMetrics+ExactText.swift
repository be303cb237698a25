import LeewayCore

/// One run's metrics as text that reads back to the identical value, for results that travel
/// between processes (`leeway worker` stores them in PostgreSQL, the coordinator merges them):
/// `v1` then every stored field in declaration order, separated by spaces — counts as integers,
/// exact money as its `Fixed.raw` integer (units of 10⁻⁸), estimates as the binary64 bit pattern
/// (16 hex digits, so no decimal rounding can change a bit) and flags as 0 or 1. Metrics merged
/// from such texts are `==` to the ones the run produced, so every summary computed from them is
/// byte-identical to the single-process one.
extension RunMetrics {
    private static let exactTextVersion = "v1"

    /// The metrics as exact text (see the extension's documentation).
    public var exactText: String {
        var fields: [String] = [Self.exactTextVersion]
        for count in [accountsOpened, accountsWarned, accountsCalled, accountsCured, accountsDeleveraged, accountsLiquidated,
                      accountsPartiallyLiquidated, accountsBankrupt, autoTopups, stopLossesTriggered, traderActions,
                      engineAlerts, marksHeld, spikesDiscarded, liquidationPauses] {
            fields.append(String(count))
        }
        for money in [deficitTotal, liquidatedNotional, liquidationFees, badDebt, adlNotional, insuranceFundPnL,
                      insuranceFundMinimum, peakLiquidationPerMinute] {
            fields.append(String(money.raw))
        }
        for estimate in [liquidationSlippage, forcedCloseLoss, cascadeExtraDrawdown] {
            let hex = String(estimate.bitPattern, radix: 16)
            fields.append(String(repeating: "0", count: 16 - hex.count) + hex)
        }
        fields.append(ledgerConserved ? "1" : "0")
        fields.append(stoppedEarly ? "1" : "0")
        return fields.joined(separator: " ")
    }

    /// Reads `exactText` back; throws `SimulationError` (`bad_metrics_text`) for any other text.
    public init(exactText text: String) throws(SimulationError) {
        let fields = text.split(separator: " ").map(String.init)
        let failure = SimulationError(code: "bad_metrics_text", message: "not a run's metrics in exact text (v1, 28 fields): \(text.prefix(80))")
        guard fields.count == 29, fields[0] == Self.exactTextVersion else { throw failure }
        var counts: [Int] = []
        for field in fields[1...15] {
            guard let value = Int(field) else { throw failure }
            counts.append(value)
        }
        var money: [Fixed] = []
        for field in fields[16...23] {
            guard let value = Int64(field) else { throw failure }
            money.append(Fixed(raw: value))
        }
        var estimates: [Double] = []
        for field in fields[24...26] {
            guard field.count == 16, let bits = UInt64(field, radix: 16) else { throw failure }
            estimates.append(Double(bitPattern: bits))
        }
        guard ["0", "1"].contains(fields[27]), ["0", "1"].contains(fields[28]) else { throw failure }
        self.init()
        (accountsOpened, accountsWarned, accountsCalled, accountsCured, accountsDeleveraged) = (counts[0], counts[1], counts[2], counts[3], counts[4])
        (accountsLiquidated, accountsPartiallyLiquidated, accountsBankrupt) = (counts[5], counts[6], counts[7])
        (autoTopups, stopLossesTriggered, traderActions, engineAlerts) = (counts[8], counts[9], counts[10], counts[11])
        (marksHeld, spikesDiscarded, liquidationPauses) = (counts[12], counts[13], counts[14])
        (deficitTotal, liquidatedNotional, liquidationFees, badDebt) = (money[0], money[1], money[2], money[3])
        (adlNotional, insuranceFundPnL, insuranceFundMinimum, peakLiquidationPerMinute) = (money[4], money[5], money[6], money[7])
        (liquidationSlippage, forcedCloseLoss, cascadeExtraDrawdown) = (estimates[0], estimates[1], estimates[2])
        ledgerConserved = fields[27] == "1"
        stoppedEarly = fields[28] == "1"
    }
}
