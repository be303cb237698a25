/// The contract's `DetailedTrade`: what `calc_swap_out` found, before anything is written.
/// Amounts in wei; `ticksIn` holds the new input-coin balance of each band from `n1` towards `n2`.
public struct ExactTrade: Sendable, Equatable {
    public var inAmount: UInt256 = .zero
    public var outAmount: UInt256 = .zero
    public var n1 = 0
    public var n2 = 0
    public var ticksIn: [UInt256] = []
    /// The output-coin balance left in the last band (`last_tick_j`).
    public var lastTickOut: UInt256 = .zero
    /// The part of the fee set aside for the admin (classic only; 0 when admin_fee is 0).
    public var adminFee: UInt256 = .zero
}
