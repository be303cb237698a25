/// Everything that changes engine state. The wire format (`LeewayWire`) decodes JSON into these;
/// the engine never sees text.
public enum Command: Sendable, Hashable, Codable {
    /// Define or update a collateral asset.
    case asset(id: String, price: Fixed, weight: Fixed)
    /// Define or update a linear perpetual.
    /// `expectedSlippage` (default 0) feeds the `toxic_close` test; `oracleGuard` (default none) is
    /// the market's oracle safety: stale-mark pause and spike confirmation.
    case market(id: String, settleAsset: String, tiers: [MarginTier], liquidationFee: Fixed, expectedSlippage: Fixed = .zero,
                oracleGuard: OracleGuard = .none)
    /// Set the global policy, or one market's when `market` is given. Fields not given keep the
    /// spec's defaults.
    case policy(LiquidationPolicy, market: String?, volatilityHalfLifeMs: Int64?)
    /// Add to the insurance fund in `asset` (default: the first market's settle asset).
    case insuranceDeposit(amount: Fixed, asset: String?)
    /// `toReserve`: into the account's reserve (not collateral; used by auto top-up).
    case deposit(account: String, asset: String, amount: Fixed, toReserve: Bool = false)
    /// `fromReserve`: out of the account's reserve (no margin check: a reserve is not collateral).
    case withdraw(account: String, asset: String, amount: Fixed, fromReserve: Bool = false)
    /// Set (or, with nil, remove) the account's auto top-up instruction.
    case protect(account: String, autoTopup: AutoTopupRequest?)
    /// A trade from the venue: signed size (+ buys, − sells) at price, with a trading fee.
    case fill(account: String, market: String, size: Fixed, price: Fixed, fee: Fixed)
    case mark(market: String, price: Fixed)
    case assetPrice(asset: String, price: Fixed)
    /// Longs pay rate × notional to shorts (negative rate: the reverse).
    case funding(market: String, rate: Fixed)
    /// Set the idempotency window: ids are remembered for `windowMs` of engine clock and at most
    /// `maxIDs` of them (an addition to the spec).
    case idempotency(windowMs: Int64, maxIDs: Int)
    /// Advance the clock only: deadlines and cooldowns fire.
    case time
    /// Define a European option on `underlying`'s mark (part 3), cash-settled at `expiryMs`.
    case option(id: String, underlying: String, kind: Black76.Kind, strike: Fixed, expiryMs: Int64, contractSize: Fixed)
    /// Set an option's annualised implied volatility.
    case optionVol(option: String, volatility: Fixed)
    /// Choose how an account's IM and MM are computed.
    case marginModel(account: String, model: MarginModel)
    /// Set the portfolio-margin scenario grid of a perpetual (and its options).
    case portfolioParams(market: String, params: PortfolioParams)

    /// The command's type (its wire name is `type.rawValue`).
    public var type: CommandType {
        switch self {
        case .asset: return .asset
        case .market: return .market
        case .policy: return .policy
        case .insuranceDeposit: return .insuranceDeposit
        case .deposit: return .deposit
        case .withdraw: return .withdraw
        case .fill: return .fill
        case .mark: return .mark
        case .assetPrice: return .assetPrice
        case .funding: return .funding
        case .idempotency: return .idempotency
        case .protect: return .protect
        case .time: return .time
        case .option: return .option
        case .optionVol: return .optionVol
        case .marginModel: return .marginModel
        case .portfolioParams: return .portfolioParams
        }
    }

    /// The command's type name on the wire.
    public var typeName: String { type.rawValue }
}

/// A command with what travels with it: its time, an optional idempotency id, and how to name it
/// in a `rejected` event.
public struct CommandEnvelope: Sendable, Hashable, Codable {
    public var command: Command
    /// Milliseconds since the Unix epoch; nil means "at the current clock".
    public var timestampMs: Int64?
    /// A client-chosen id: a command whose id was already applied is not applied again.
    public var id: String?
    /// The 1-based input line (or request position) used when the command has no id.
    public var line: Int

    public init(command: Command, timestampMs: Int64? = nil, id: String? = nil, line: Int = 0) {
        self.command = command
        self.timestampMs = timestampMs
        self.id = id
        self.line = line
    }

    /// How a `rejected` event names this command: its id if it has one, else its line.
    public var reference: CommandReference { id.map(CommandReference.id) ?? .line(line) }
}

/// Names a command in a `rejected` event: the 1-based input line or the command's id.
public enum CommandReference: Sendable, Hashable, Codable {
    case line(Int)
    case id(String)
}

/// The `auto_topup` object of a `protect` command: cure calls from the reserve of `asset`, moving
/// at most `maxAmount` in total.
public struct AutoTopupRequest: Sendable, Hashable, Codable {
    public var asset: String
    public var maxAmount: Fixed

    public init(asset: String, maxAmount: Fixed) {
        self.asset = asset
        self.maxAmount = maxAmount
    }
}
