import LeewayCore

/// One point of the dashboard's history: the insurance funds, the accounts per phase and each
/// market's mark at one moment (`EngineHost.dashboardSample`, taken by `DashboardSampler`).
public struct DashboardSample: Sendable, Equatable {
    /// Server wall clock (ms) when taken.
    public var wallMs: Int64
    /// The engine clock (ms) then.
    public var clockMs: Int64
    /// Journal records then (a sample is kept only when this or the clock moved).
    public var records: Int64
    public var insuranceFunds: [AssetAmountWide]
    /// Accounts per phase, in `LiquidationPhase.allCases` order.
    public var phaseCounts: [Int]
    public var marks: [MarketMark]

    public init(wallMs: Int64, clockMs: Int64, records: Int64, insuranceFunds: [AssetAmountWide], phaseCounts: [Int], marks: [MarketMark]) {
        self.wallMs = wallMs
        self.clockMs = clockMs
        self.records = records
        self.insuranceFunds = insuranceFunds
        self.phaseCounts = phaseCounts
        self.marks = marks
    }

    /// A wide amount of a named asset (an insurance fund).
    public struct AssetAmountWide: Sendable, Equatable {
        public var asset: String
        public var amount: WideAmount
    }

    /// A market's mark (nil before its first mark).
    public struct MarketMark: Sendable, Equatable {
        public var market: String
        public var mark: Fixed?
    }
}
