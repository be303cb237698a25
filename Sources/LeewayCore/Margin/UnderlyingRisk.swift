/// What a margin report shows of an account's legs on one underlying: their Greeks and the
/// scenario of the portfolio grid (`PortfolioMargin`) in which they lose the most.
///
/// It is shown for every account, on either margin model (for the standard model it says what the
/// portfolio model would charge); the requirement it implies is the portfolio model's
/// MM(M) = ⌈max(0, worst_loss)⌉ + short_option_charge.
public struct UnderlyingRisk: Sendable, Hashable {
    /// The worst scenario of the grid and its weighted loss.
    public struct WorstScenario: Sendable, Hashable {
        /// Position of the scenario in `PortfolioMargin.scenarios` (0-based).
        public var index: Int
        /// The relative price move m (price = F × (1 + m)).
        public var move: Double
        /// The factor on every option's volatility.
        public var volatilityFactor: Double
        /// The weight of the scenario's loss (1, or extreme_fraction for the two extremes).
        public var weight: Double
        /// −weight × Σ value changes, rounded up to 10⁻⁸ (negative when every scenario gains).
        public var loss: Fixed
    }

    /// The underlying perpetual.
    public var market: String
    /// Its mark F (the forward every option on it is valued at).
    public var forward: Fixed
    /// Σ over the account's legs on it (its perpetual and its options).
    public var greeks: Greeks
    /// nil when no leg is valued yet (an option without a volatility only).
    public var worstScenario: WorstScenario?
    /// Σ ⌈short_option_charge × F × contract_size × |size|⌉ over short options on it.
    public var shortOptionCharge: Fixed
}
