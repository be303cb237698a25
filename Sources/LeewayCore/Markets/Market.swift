/// A linear perpetual: positions are in the base asset, PnL and margin in the settle asset; or,
/// with `option` set, a European option on a perpetual's mark (positions in contracts, `markPrice`
/// derived from the underlying's mark and the option's volatility, see `OptionTerms`).
public struct Market: Sendable, Hashable, Codable {
    public let id: String
    /// Index of the settle asset in the engine's asset table.
    public var settleAsset: Int
    public var tiers: TierSchedule
    /// Fee on closed notional charged by liquidation fills, paid to the insurance fund.
    public var liquidationFee: Fixed
    /// The price concession a forced close is expected to cost, as a fraction of notional (the
    /// `toxic_close` test adds it to the liquidation fee). The engine itself closes at the mark.
    public var expectedSlippage: Fixed = .zero
    /// The mark (oracle) price; nil until the first `mark` command.
    public var markPrice: Fixed?
    public var volatility: VolatilityEstimator
    /// The high-water mark of any position's |size| in this market. A mark is refused if it would
    /// put this size's notional out of range, so no later margin computation can overflow.
    public var largestPositionSize: Fixed = .zero
    /// Oracle safety: stale-mark pause and spike confirmation (`OracleGuard`).
    public var oracleGuard: OracleGuard = .none
    /// The engine clock when the current mark was accepted (ms); nil before the first mark.
    public var markTimeMs: Int64?
    /// A mark held for confirmation under `oracleGuard.maxMarkMove`.
    public var heldMark: HeldMark?
    /// True while the mark is older than `oracleGuard.maxMarkAgeMs`: no liquidation decisions on it.
    public var liquidationsPaused = false
    /// The option's terms when this entry is an option (nil: a perpetual).
    public var option: OptionTerms?
    /// The scenario grid of this perpetual and its options for portfolio-margined accounts
    /// (`portfolio_params`; nil: `PortfolioParams.standard`).
    public var portfolioParams: PortfolioParams?

    public init(id: String, settleAsset: Int, tiers: TierSchedule, liquidationFee: Fixed, expectedSlippage: Fixed = .zero,
                oracleGuard: OracleGuard = .none, volatility: VolatilityEstimator) {
        self.id = id
        self.settleAsset = settleAsset
        self.tiers = tiers
        self.liquidationFee = liquidationFee
        self.expectedSlippage = expectedSlippage
        self.oracleGuard = oracleGuard
        self.volatility = volatility
    }

    /// The price a position of `size` is valued and force-closed at: the mark, except that a short
    /// option uses its value rounded up (`OptionValuation`: each side rounded against its holder).
    @inlinable @inline(__always)
    public func valuationPrice(size: Fixed) -> Fixed? {
        if let option, size.isNegative { return option.valueCeiling }
        return markPrice
    }

    /// When the current mark becomes stale: the first millisecond at which its age exceeds
    /// `maxMarkAgeMs` (markTime + maxAge + 1). nil without a mark, without the setting, or while paused.
    public var staleAtMs: Int64? {
        guard !liquidationsPaused, let maxAge = oracleGuard.maxMarkAgeMs, let markTimeMs else { return nil }
        let (sum, overflow) = markTimeMs.addingReportingOverflow(maxAge)
        return overflow || sum == .max ? nil : sum + 1
    }

    /// When the held mark is discarded unconfirmed: receivedMs + confirm_ms + 1 (nil without one).
    public var heldMarkExpiresAtMs: Int64? {
        guard let heldMark, let confirm = oracleGuard.confirmMs else { return nil }
        let (sum, overflow) = heldMark.receivedMs.addingReportingOverflow(confirm)
        return overflow || sum == .max ? nil : sum + 1
    }

    /// Milliseconds in a day: σ_day = σ_ms · √86 400 000.
    static let millisecondsPerDay = 86_400_000.0

    /// The dynamic-margin multiplier of this market under `dynamic`:
    /// m = min(max(σ_day / reference_volatility, 1), max_multiplier), σ_day = σ per √ms × √(ms per day),
    /// rounded up to a multiple of 0.1 (so the zone widens in visible steps and the multiplier
    /// changes a few dozen times in a crash rather than on every mark: each change re-evaluates
    /// the accounts whose decisions depend on it). 1 while the volatility is unknown. Computed in binary64 from
    /// the deterministic estimate with IEEE operations only, so every machine gets the same value.
    public func marginMultiplier(_ dynamic: LiquidationPolicy.DynamicMargin) -> Fixed {
        guard let sigma = volatility.sigmaPerSqrtMs, sigma > 0 else { return .one }
        let daily = sigma * Self.millisecondsPerDay.squareRoot()
        let ratio = daily / dynamic.referenceVolatility.doubleValue
        let capped = Swift.min(ratio, dynamic.maxMultiplier.doubleValue)
        guard capped > 1, capped.isFinite else { return capped.isFinite ? .one : dynamic.maxMultiplier }
        let tenths = (capped * 10).rounded(.up)
        return Fixed.minimum(Fixed(raw: Int64(tenths) * (Fixed.scale / 10)), dynamic.maxMultiplier)
    }
}
