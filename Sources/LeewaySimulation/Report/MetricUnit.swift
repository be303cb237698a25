/// The unit a report prints beside a metric: people read "1,234.50 USDC" or "12 accounts", not a
/// bare number. One place maps each metric key of `RunMetrics.keyedValues` to its unit.
public enum MetricUnit: String, Sendable, Equatable {
    /// Accounts (the `accounts_*` metrics).
    case accounts
    /// Other counts: trader actions, auto top-ups, stop-losses, alerts.
    case count
    /// Money in the settle asset.
    case usdc = "USDC"
    /// A difference of two fractions, printed in percentage points (cascade_extra_drawdown).
    case percentagePoints = "pp"

    /// The unit of the metric named `key`.
    public static func of(_ key: String) -> MetricUnit {
        if key.hasPrefix("accounts_") { return .accounts }
        switch key {
        case "trader_actions", "auto_topups", "stop_losses", "engine_alerts": return .count
        case "cascade_extra_drawdown": return .percentagePoints
        default: return .usdc
        }
    }

    /// The unit's name in a table's unit column.
    public var symbol: String { rawValue }
}
