/// What an exchange did or would do (the contract's `DetailedTrade`): amounts in and out (coins),
/// the first and last band touched, and the new balance of the traded coin in each band from n1 on.
public struct SwapOutcome: Sendable, Equatable {
    /// Input actually used (less than asked when the liquidity ran out).
    public var inAmount: Double = 0
    /// Output given.
    public var outAmount: Double = 0
    /// First non-empty band met.
    public var n1 = 0
    /// Band the AMM stops in (the new active band).
    public var n2 = 0
    /// New balance of the input coin for bands n1, n1 ± 1, … n2.
    public var ticksIn: [Double] = []
    /// Output coin left in band n2.
    public var lastTickOut: Double = 0
    /// Whether any non-empty band was met.
    public var touched = false
}
