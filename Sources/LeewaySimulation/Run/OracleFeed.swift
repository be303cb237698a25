/// What the simulated oracle feed gets wrong, for testing oracle safety on real candles: the
/// engine is sent the path's price except at a spike (one point's mark multiplied by a factor) and
/// during an outage (a frozen feed: no mark at all while the clock moves on through trader actions
/// and engine timers, sent as `time` commands). Traders and the venue keep trading at the true
/// price. A gap in the data itself is a path without those points (`PricePath.removing`).
public struct OracleFeed: Sendable, Equatable {
    /// The mark of the first path point at or after `atMs` is sent as price × `factor`.
    public struct Spike: Sendable, Equatable {
        public var atMs: Int64
        public var factor: Double
        public init(atMs: Int64, factor: Double) {
            self.atMs = atMs
            self.factor = factor
        }
    }

    /// No mark reaches the engine in [fromMs, untilMs).
    public struct Outage: Sendable, Equatable {
        public var fromMs: Int64
        public var untilMs: Int64
        public init(fromMs: Int64, untilMs: Int64) {
            self.fromMs = fromMs
            self.untilMs = untilMs
        }
    }

    public var spikes: [Spike]
    public var outages: [Outage]

    public init(spikes: [Spike] = [], outages: [Outage] = []) {
        self.spikes = spikes
        self.outages = outages
    }

    /// A feed that sends every price as it is.
    public static let faithful = OracleFeed()

    /// True when no mark is sent at `timeMs` (inside an outage).
    public func isSilent(atMs timeMs: Int64) -> Bool {
        outages.contains { timeMs >= $0.fromMs && timeMs < $0.untilMs }
    }

    /// Per path point, the factor its mark is sent with (1 but at spikes): a spike applies to the
    /// first point at or after its time.
    func markFactors(timesMs: [Int64]) -> [Double] {
        var factors = Array(repeating: 1.0, count: timesMs.count)
        for spike in spikes {
            guard let step = timesMs.firstIndex(where: { $0 >= spike.atMs }) else { continue }
            factors[step] *= spike.factor
        }
        return factors
    }
}
