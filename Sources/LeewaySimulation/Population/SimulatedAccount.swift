/// One simulated trader: the position it opens and how it would answer a margin call. All draws
/// are made once, when the population is built, so every policy faces the same traders.
public struct SimulatedAccount: Sendable, Equatable {
    public enum Response: Sendable, Equatable {
        /// Never acts on a margin call.
        case ignore
        /// Deposits `multiple` × the deposit that cures, `delayMs` after the call.
        case deposit(multiple: Double, delayMs: Int64)
        /// Closes `fraction` of the position, `delayMs` after the call.
        case reduce(fraction: Double, delayMs: Int64)
    }

    public var id: String
    public var isLong: Bool
    /// Position notional at entry, USDC.
    public var notional: Double
    /// Collateral posted, USDC value at entry.
    public var collateral: Double
    /// True when the collateral is the traded coin itself (wrong-way risk), else USDC.
    public var postsCoin: Bool
    /// Index of the path point at which the account opens.
    public var entryStep: Int
    public var response: Response
    /// USDC parked in the account's reserve with an auto top-up instruction for all of it (0: none).
    public var reserve: Double = 0
    /// The trader's stop-loss as a multiple of the entry price (e.g. 0.97: a long closes its
    /// whole position when the mark falls 3 % below where it opened); nil: no stop.
    public var stopMultiple: Double?
    /// The option book the trader holds instead of a plain perpetual position; nil: a perpetual
    /// position (`isLong`, `notional`).
    public var book: OptionBook?

    /// An option book: its strategy, sized to `notional`, and how far above its initial margin the
    /// trader keeps its equity (the book opens fully collateralised, then the trader withdraws
    /// down to `cushion` × the initial margin).
    public struct OptionBook: Sendable, Equatable {
        public var strategy: OptionStrategy
        public var cushion: Double
    }

    public var leverage: Double { notional / Swift.max(collateral, 1e-9) }
}
