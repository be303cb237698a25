/// What makes a market entry an option (the `option` command of part 3): a European call or put on
/// the mark of a perpetual (`underlying`), cash-settled in that market's settle asset at expiry.
///
/// An option lives in the engine's market table beside the perpetuals, so fills, positions, the
/// clearing account, liquidation fills and the state description treat it like any market; its
/// `Market.markPrice` is not sent by an oracle but derived: the Black-76 value per contract
/// (`OptionValuation`), recomputed at each mark of the underlying and each `option_vol`.
public struct OptionTerms: Sendable, Hashable, Codable {
    /// Index of the underlying perpetual in the engine's market table.
    public let underlying: Int
    public let kind: Black76.Kind
    /// Settle units per unit of underlying.
    public let strike: Fixed
    /// Milliseconds since the Unix epoch; the option settles at the first command with ts ≥ this.
    public let expiryMs: Int64
    /// Units of underlying per contract (positions are counted in contracts).
    public let contractSize: Fixed
    /// Annualised implied volatility (`option_vol`); nil until the first one.
    public var volatility: Fixed?
    /// The value per contract rounded up: what short positions are valued and closed at
    /// (`Market.markPrice` holds the value rounded down, for longs). nil while there is no value.
    public var valueCeiling: Fixed?
    /// Intrinsic value per unit of underlying at settlement; non-nil once the option has settled.
    public var settlementPrice: Fixed?

    public init(underlying: Int, kind: Black76.Kind, strike: Fixed, expiryMs: Int64, contractSize: Fixed) {
        self.underlying = underlying
        self.kind = kind
        self.strike = strike
        self.expiryMs = expiryMs
        self.contractSize = contractSize
    }

    /// The option's defining terms are the same (a repeated `option` command is a no-op).
    func hasSameTerms(as other: OptionTerms) -> Bool {
        underlying == other.underlying && kind == other.kind && strike == other.strike && expiryMs == other.expiryMs
            && contractSize == other.contractSize
    }

    /// Intrinsic value per unit of underlying at `mark`: max(0, mark − K) for a call,
    /// max(0, K − mark) for a put. Exact (a difference of two `Fixed`).
    public func intrinsicValue(at mark: Fixed) -> Fixed {
        let raw = kind == .call ? mark.raw - strike.raw : strike.raw - mark.raw
        return Fixed(raw: Swift.max(raw, 0))
    }

    /// Years to expiry at `nowMs` (365-day years, 0 at or after expiry).
    public func yearsToExpiry(atMs nowMs: Int64) -> Double {
        nowMs >= expiryMs ? 0 : Double(expiryMs - nowMs) / Black76.millisecondsPerYear
    }

    /// The largest accepted implied volatility (1,000 %).
    public static let maximumVolatility = Fixed(raw: 10 * Fixed.scale)
}
