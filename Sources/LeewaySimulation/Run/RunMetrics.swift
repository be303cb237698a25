import LeewayCore

/// What one policy cost on one path. Money is exact (`Fixed`, USDC) where it comes from the
/// ledger, `Double` where it is a simulation estimate (slippage, drawdowns).
public struct RunMetrics: Sendable, Equatable {
    public var accountsOpened = 0
    public var accountsWarned = 0
    public var accountsCalled = 0
    public var accountsCured = 0
    public var accountsDeleveraged = 0
    /// Accounts whose forced closes took at least 95 % of their largest position.
    public var accountsLiquidated = 0
    /// Accounts with forced closes that left more than 5 % of their largest position open.
    public var accountsPartiallyLiquidated = 0
    public var accountsBankrupt = 0
    /// Σ bankruptcy deficits: what the insurance fund paid plus ADL plus bad debt.
    public var deficitTotal = Fixed.zero
    /// Auto top-ups the engine made from traders' reserves.
    public var autoTopups = 0
    /// Stop-losses that closed a position.
    public var stopLossesTriggered = 0
    /// Σ |size| × price of liquidation fills (steps and full closes).
    public var liquidatedNotional = Fixed.zero
    /// Σ liquidation fees paid by traders.
    public var liquidationFees = Fixed.zero
    /// Σ over liquidation fills of notional × min(k·√(notional / depth), max impact): the price
    /// concession each forced close would pay the book at its moment (`DepthModel.slippage`; an
    /// estimate: the engine fills at the mark, which already carries the cascade's impact).
    public var liquidationSlippage = 0.0
    /// Σ over liquidation fills of size × (fill price − final input price): what traders lost by
    /// being closed instead of holding to the end (negative when closing saved them money).
    public var forcedCloseLoss = 0.0
    /// Σ deficit − insurance paid − ADL recovered over bankruptcies.
    public var badDebt = Fixed.zero
    /// Σ |size| × price of ADL fills.
    public var adlNotional = Fixed.zero
    /// Insurance fund at the end minus at the start.
    public var insuranceFundPnL = Fixed.zero
    /// The fund's lowest balance, observed after every step.
    public var insuranceFundMinimum = Fixed.zero
    /// The largest liquidated notional within one clock minute.
    public var peakLiquidationPerMinute = Fixed.zero
    /// Maximum drawdown of the marks sent to the engine minus that of the input path.
    public var cascadeExtraDrawdown = 0.0
    /// Trader deposits and reductions made in answer to calls.
    public var traderActions = 0
    /// `alert` events the engine raised (a forced close or settlement it could not carry out, bad debt).
    public var engineAlerts = 0
    /// Marks the engine held for confirmation (oracle safety: moved more than max_mark_move).
    public var marksHeld = 0
    /// Held marks discarded unconfirmed: lone spikes that liquidated no one.
    public var spikesDiscarded = 0
    /// Times the market's liquidations paused on a mark older than max_mark_age_ms.
    public var liquidationPauses = 0
    /// True when every asset's ledger summed to exactly zero at the end.
    public var ledgerConserved = true
    /// True when the run was stopped at the step its deficit or ADL went over a `SolvencyLimit`
    /// (`leeway tune`); the other figures are then partial sums up to that step.
    public var stoppedEarly = false

    public init() {}

    /// fees + forced-close loss: the traders' total cost of being liquidated. Slippage is already
    /// inside the forced-close loss (fills happen at the impacted price) and is reported apart.
    public var traderLiquidationLoss: Double { liquidationFees.doubleValue + forcedCloseLoss }

    /// Fees plus slippage paid by liquidated traders (USDC): what being liquidated cost them at
    /// the moment of each forced close.
    public var liquidationCosts: Double { liquidationFees.doubleValue + liquidationSlippage }

    /// The metrics as (JSON key, value) pairs in a fixed order; values are decimal strings for
    /// exact money, integers for counts and JSON numbers for estimates.
    public var keyedValues: [(key: String, value: MetricValue)] {
        [
            ("accounts_opened", .count(accountsOpened)),
            ("accounts_warned", .count(accountsWarned)),
            ("accounts_called", .count(accountsCalled)),
            ("accounts_cured", .count(accountsCured)),
            ("accounts_deleveraged", .count(accountsDeleveraged)),
            ("accounts_liquidated", .count(accountsLiquidated)),
            ("accounts_partially_liquidated", .count(accountsPartiallyLiquidated)),
            ("accounts_bankrupt", .count(accountsBankrupt)),
            ("deficit_total", .exact(deficitTotal)),
            ("liquidated_notional", .exact(liquidatedNotional)),
            ("liquidation_costs", .estimate(liquidationCosts)),
            ("trader_liquidation_loss", .estimate(traderLiquidationLoss)),
            ("liquidation_fees", .exact(liquidationFees)),
            ("liquidation_slippage", .estimate(liquidationSlippage)),
            ("forced_close_loss", .estimate(forcedCloseLoss)),
            ("insurance_fund_pnl", .exact(insuranceFundPnL)),
            ("insurance_fund_min", .exact(insuranceFundMinimum)),
            ("bad_debt", .exact(badDebt)),
            ("adl_notional", .exact(adlNotional)),
            ("peak_liquidation_per_minute", .exact(peakLiquidationPerMinute)),
            ("cascade_extra_drawdown", .estimate(cascadeExtraDrawdown)),
            ("trader_actions", .count(traderActions)),
            ("auto_topups", .count(autoTopups)),
            ("stop_losses", .count(stopLossesTriggered)),
            ("engine_alerts", .count(engineAlerts)),
            ("marks_held", .count(marksHeld)),
            ("spikes_discarded", .count(spikesDiscarded)),
            ("liquidation_pauses", .count(liquidationPauses)),
        ]
    }
}

/// One metric's value, typed by how it is printed.
public enum MetricValue: Sendable, Equatable {
    case count(Int)
    case exact(Fixed)
    case estimate(Double)

    public var doubleValue: Double {
        switch self {
        case .count(let value): return Double(value)
        case .exact(let value): return value.doubleValue
        case .estimate(let value): return value
        }
    }
}
