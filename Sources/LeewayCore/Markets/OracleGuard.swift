/// Oracle safety of one market: the `market` command's `max_mark_age_ms`, `max_mark_move` and
/// `confirm_ms`. A liquidation engine must not act on a bad price:
///
/// - **Stale marks.** With `maxMarkAgeMs`, once the clock is more than that past the last accepted
///   mark the market's liquidations are paused: no account holding a position in it gets a new
///   margin call, starts deleveraging, takes a step or is closed (warnings, cures and auto top-ups
///   go on). An `alert` (`liquidations_paused`) says so, and another (`liquidations_resumed`) when
///   the next accepted mark ends the pause; every holder is then evaluated again.
/// - **Spikes.** With `maxMarkMove` (and `confirmMs`), a mark p that moves more than that fraction
///   from the last accepted mark p₀ (|p − p₀| > move × p₀, compared exactly) is held, not applied
///   (`mark_held`). A later mark within `confirmMs` that is itself within the move of the held one
///   confirms the jump and is applied (`mark_confirmed`); a mark back near p₀, a mark far from
///   both, or `confirmMs` passing without one, discards the held mark as a lone spike
///   (`mark_spike_discarded`). A held mark never moves the mark, the volatility estimate or any
///   account: a lone spike liquidates no one.
public struct OracleGuard: Sendable, Hashable, Codable {
    /// A mark older than this (ms, > 0) pauses the market's liquidation decisions.
    public var maxMarkAgeMs: Int64?
    /// The largest move from the last accepted mark (a fraction, > 0) applied without confirmation.
    public var maxMarkMove: Fixed?
    /// How long (ms, > 0) a held mark waits for a confirming one. Given with `maxMarkMove` only.
    public var confirmMs: Int64?

    public init(maxMarkAgeMs: Int64? = nil, maxMarkMove: Fixed? = nil, confirmMs: Int64? = nil) {
        self.maxMarkAgeMs = maxMarkAgeMs
        self.maxMarkMove = maxMarkMove
        self.confirmMs = confirmMs
    }

    /// No oracle safety: every mark is applied at once, however old the previous one.
    public static let none = OracleGuard()

    /// True when any field is set.
    public var isActive: Bool { maxMarkAgeMs != nil || maxMarkMove != nil }

    /// The largest `max_mark_move` accepted: 1,000 × the price (a move beyond that is not a price).
    static let largestMove = Fixed(raw: 1_000 * Fixed.scale)

    /// Checks the fields' ranges and that `max_mark_move` and `confirm_ms` come together; the
    /// message names the field.
    public func validate() throws(Rejection) {
        if let maxMarkAgeMs, maxMarkAgeMs <= 0 {
            throw Rejection(code: .invalidOracleGuard, message: "max_mark_age_ms must be above 0 (milliseconds), got \(maxMarkAgeMs)")
        }
        switch (maxMarkMove, confirmMs) {
        case (nil, nil):
            break
        case (nil, _?):
            throw Rejection(code: .invalidOracleGuard, message: "confirm_ms needs max_mark_move: it is how long a mark that moved more than max_mark_move waits for confirmation")
        case (_?, nil):
            throw Rejection(code: .invalidOracleGuard, message: "max_mark_move needs confirm_ms: how long (ms) a mark that moved more than it waits for a confirming mark")
        case let (move?, confirm?):
            guard move.isPositive, move <= Self.largestMove else {
                throw Rejection(code: .invalidOracleGuard, message: "max_mark_move must be above 0 and at most 1000 (a fraction of the price, e.g. 0.1 for 10 %), got \(move)")
            }
            guard confirm > 0 else {
                throw Rejection(code: .invalidOracleGuard, message: "confirm_ms must be above 0 (milliseconds), got \(confirm)")
            }
        }
    }

    /// True when `price` moves more than `maxMarkMove` from `reference`: |p − p₀| × 10⁸ > move_raw × p₀,
    /// in raw 10⁻⁸ units through `Int128` (exact, no rounding). False without `maxMarkMove`.
    public func isJump(from reference: Fixed, to price: Fixed) -> Bool {
        guard let move = maxMarkMove else { return false }
        let distance = (Int128(price.raw) - Int128(reference.raw)).magnitude
        return distance * UInt128(Fixed.scale) > UInt128(move.raw) * UInt128(reference.raw)
    }
}
