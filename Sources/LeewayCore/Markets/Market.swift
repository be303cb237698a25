/// A linear perpetual: positions are in the base asset, PnL and margin in the settle asset.
public struct Market: Sendable, Hashable, Codable {
    public let id: String
    /// Index of the settle asset in the engine's asset table.
    public var settleAsset: Int
    public var tiers: TierSchedule
    /// Fee on closed notional charged by liquidation fills, paid to the insurance fund.
    public var liquidationFee: Fixed
    /// The mark (oracle) price; nil until the first `mark` command.
    public var markPrice: Fixed?
    public var volatility: VolatilityEstimator
    /// The high-water mark of any position's |size| in this market. A mark is refused if it would
    /// put this size's notional out of range, so no later margin computation can overflow.
    public var largestPositionSize: Fixed = .zero

    public init(id: String, settleAsset: Int, tiers: TierSchedule, liquidationFee: Fixed, volatility: VolatilityEstimator) {
        self.id = id
        self.settleAsset = settleAsset
        self.tiers = tiers
        self.liquidationFee = liquidationFee
        self.volatility = volatility
    }
}
