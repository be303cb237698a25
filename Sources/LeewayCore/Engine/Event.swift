/// Everything the engine decides, in order. `seq` counts from 1 over the engine's whole history.
public struct Event: Sendable, Hashable, Codable {
    public let seq: Int64
    /// The engine clock when the event happened (ms).
    public let timestampMs: Int64
    public let kind: EventKind

    public init(seq: Int64, timestampMs: Int64, kind: EventKind) {
        self.seq = seq
        self.timestampMs = timestampMs
        self.kind = kind
    }
}

/// Why a liquidation fill happened.
public enum LiquidationReason: String, Sendable, Hashable, Codable {
    /// One step of stepped deleveraging.
    case step
    /// A full close (hard breach, hard mode, or the last step).
    case full
    /// A portfolio step that opened or enlarged a perpetual delta hedge (`Engine.planPortfolioStep`).
    case hedge
}

public enum EventKind: Sendable, Hashable, Codable {
    case rejected(command: CommandReference, code: RejectionCode, message: String)
    case warning(account: String, equity: Fixed, maintenance: Fixed)
    /// Equity rose back above MM × (1 + warning_buffer) (an addition to the spec's events).
    case warningCleared(account: String, equity: Fixed, maintenance: Fixed)
    /// `graceMs` is the chosen grace period (fixed or volatility-scaled); `callLevel` the multiple
    /// of MM the call was made at, when it is not 1 (call_level above 1, or dynamic margin).
    case marginCall(account: String, equity: Fixed, maintenance: Fixed, deadlineMs: Int64, graceMs: Int64, callLevel: Fixed? = nil)
    case cured(account: String, equity: Fixed, maintenance: Fixed)
    case deleveragingStarted(account: String)
    case liquidationFill(account: String, market: String, size: Fixed, price: Fixed, fee: Fixed, reason: LiquidationReason)
    case liquidated(account: String)
    /// One per asset in which the account ended negative (`asset`, an addition to the spec).
    case bankrupt(account: String, asset: String, deficit: Fixed, insurancePaid: Fixed, adlRecovered: Fixed)
    /// A counterparty closed by ADL at the bankrupt leg's bankruptcy price `price`; `amount` is what
    /// it paid the bankrupt account: ⌈|size| × |price − closePrice|⌉ (an addition to the spec). The
    /// fills of one bankruptcy come just before its `bankrupt` event, which names the account.
    case adlFill(account: String, market: String, size: Fixed, price: Fixed, amount: Fixed)
    /// Something the engine could not do or did not expect, or an oracle-safety decision (an
    /// addition to the spec): the account (if any) is retried at the next command; `market` names
    /// the market of a market-wide alert (a held or discarded mark, paused liquidations). Codes: `AlertCode`.
    case alert(account: String?, market: String? = nil, code: AlertCode, message: String)
    /// Auto top-up moved `amount` of `asset` from the account's reserve into its collateral.
    case autoTopup(account: String, asset: String, amount: Fixed)
    /// An option position settled in cash at expiry: `size` contracts at `settlementPrice` (the
    /// intrinsic value per unit of underlying at the mark), realizing `pnl`.
    case optionSettled(account: String, option: String, size: Fixed, settlementPrice: Fixed, pnl: Fixed)

    /// The event's type (its wire name is `type.rawValue`).
    public var type: EventType {
        switch self {
        case .rejected: return .rejected
        case .warning: return .warning
        case .warningCleared: return .warningCleared
        case .marginCall: return .marginCall
        case .cured: return .cured
        case .deleveragingStarted: return .deleveragingStarted
        case .liquidationFill: return .liquidationFill
        case .liquidated: return .liquidated
        case .bankrupt: return .bankrupt
        case .adlFill: return .adlFill
        case .alert: return .alert
        case .autoTopup: return .autoTopup
        case .optionSettled: return .optionSettled
        }
    }

    /// The event's type name on the wire.
    public var typeName: String { type.rawValue }

    /// The account the event is about, if any (for per-account streams and authorization).
    public var account: String? {
        switch self {
        case .rejected: return nil
        case .alert(let account, _, _, _): return account
        case .warning(let account, _, _), .warningCleared(let account, _, _), .marginCall(let account, _, _, _, _, _),
             .autoTopup(let account, _, _), .optionSettled(let account, _, _, _, _),
             .cured(let account, _, _), .deleveragingStarted(let account), .liquidationFill(let account, _, _, _, _, _),
             .liquidated(let account), .bankrupt(let account, _, _, _, _), .adlFill(let account, _, _, _, _):
            return account
        }
    }
}
