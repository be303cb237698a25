/// What a trader or risk team sees of one account: its margin, its distance to a call and to
/// bankruptcy, and per position the liquidation and bankruptcy prices.
public struct MarginReport: Sendable, Hashable {
    public struct PositionReport: Sendable, Hashable {
        public var market: String
        public var size: Fixed
        public var entryPrice: Fixed
        public var markPrice: Fixed
        public var notional: Fixed
        public var unrealizedPnL: Fixed
        public var initialMargin: Fixed
        public var maintenanceMargin: Fixed
        /// Where equity = MM with the other positions' marks held; nil if no positive price.
        public var liquidationPrice: Fixed?
        /// Where equity = 0 with the other positions' marks held; nil if no positive price.
        public var bankruptcyPrice: Fixed?
        /// The position's Black-76 sensitivities (`Greeks`; a perpetual's delta is its size). nil for
        /// an option not valued yet.
        public var greeks: Greeks?
    }

    public var account: String
    public var phase: LiquidationPhase
    public var deadlineMs: Int64?
    public var nextStepMs: Int64?
    public var balances: [AssetAmount]
    /// Reserve balances (not collateral; auto top-up draws on them).
    public var reserves: [AssetAmount]
    /// What auto top-up may still move (nil: no `protect` instruction).
    public var autoTopupRemaining: AssetAmount?
    public var equity: Fixed
    public var initialMargin: Fixed
    public var maintenanceMargin: Fixed
    /// equity − IM: what may still be withdrawn or used to open risk (negative: none).
    public var freeCollateral: Fixed
    /// MM / equity, rounded up; nil when equity ≤ 0 (the ratio is unbounded).
    public var marginRatio: Fixed?
    /// equity − MM × call (call = call_level·m, 1 in part 1): how much equity may still be lost
    /// before a margin call.
    public var distanceToMarginCall: Fixed
    /// equity − MM: how much may be lost before the account is below maintenance, where its
    /// positions' liquidation prices are and forced closes begin (negative: already below). Exact.
    public var distanceToLiquidation: Fixed
    /// equity: how much may be lost before bankruptcy.
    public var distanceToBankruptcy: Fixed
    /// The deposit (in the valuation currency) that would cure a call now: MM × cure − equity, if
    /// positive (cure = call_level·m + cure_buffer; 1 + cure_buffer in part 1), rounded up.
    public var depositToCure: Fixed
    public var positions: [PositionReport]
    /// Per underlying the account holds (in position order): the Greeks of its legs there and the
    /// portfolio grid's worst scenario.
    public var underlyings: [UnderlyingRisk]
    /// Asked for (`Engine.marginReport(account:hedges:)`) and owed a cure (`depositToCure` > 0):
    /// per underlying with a net delta, the perpetual trade that cures the call, or the full delta
    /// hedge and what it would leave (`HedgeToCure`). Empty otherwise.
    public var hedgesToCure: [HedgeToCure]
}

/// An amount of one named asset.
public struct AssetAmount: Sendable, Hashable {
    public var asset: String
    public var amount: Fixed

    public init(asset: String, amount: Fixed) {
        self.asset = asset
        self.amount = amount
    }
}
