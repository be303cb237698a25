/// How an account's IM and MM are computed (`margin_model`, spec part 3).
public enum MarginModel: String, Sendable, Hashable, Codable, CaseIterable {
    /// Per position: tiers for perpetuals, `StandardOptionMargin` for options (the default).
    case standard
    /// Per underlying: the scenario grid of `PortfolioMargin`, perpetuals and options offsetting.
    case portfolio
}
