/// Time series of one run, for charts.
public struct RunSeries: Sendable, Equatable {
    /// One point per path point: time, input price, mark sent to the engine.
    public var timesMs: [Int64] = []
    public var inputPrices: [Double] = []
    public var marks: [Double] = []
    /// Liquidation fills: time, price, notional (USDC).
    public var liquidations: [(timeMs: Int64, price: Double, notional: Double)] = []
    /// Once per minute: accounts in each phase, in `phaseNames` order.
    public var phaseTimesMs: [Int64] = []
    public var phaseCounts: [[Int]] = []

    public static let phaseNames = ["healthy", "warning", "margin_call", "deleveraging", "liquidated", "bankrupt"]

    public init() {}

    public static func == (lhs: RunSeries, rhs: RunSeries) -> Bool {
        lhs.timesMs == rhs.timesMs && lhs.inputPrices == rhs.inputPrices && lhs.marks == rhs.marks
            && lhs.liquidations.map(\.timeMs) == rhs.liquidations.map(\.timeMs)
            && lhs.liquidations.map(\.notional) == rhs.liquidations.map(\.notional)
            && lhs.phaseTimesMs == rhs.phaseTimesMs && lhs.phaseCounts == rhs.phaseCounts
    }
}
