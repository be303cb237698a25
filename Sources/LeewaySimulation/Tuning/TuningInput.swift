/// One market history `leeway tune` must be solvent on: a scenario at full fidelity and a cheaper
/// one for the first rung (the crash window of the path), each with the same population.
public struct TuningInput: Sendable {
    /// E.g. "ethusdt-1m-2024-08-05.json.gz, feedback".
    public var name: String
    public var full: BacktestScenario
    /// The low-fidelity path (a window around the path's steepest fall); the full one if short.
    public var window: BacktestScenario
    /// True for a synthetic stress path: these also count together, through the 99 % expected
    /// shortfall of deficit_total.
    public var isStress: Bool

    public init(name: String, full: BacktestScenario, window: BacktestScenario, isStress: Bool = false) {
        self.name = name
        self.full = full
        self.window = window
        self.isStress = isStress
    }

    /// The window of at most `candles` path points' worth of minutes around the steepest one-hour
    /// fall of `path` (points per minute inferred from the path's spacing): where a liquidation
    /// policy is tested hardest.
    public static func crashWindow(of path: PricePath, minutes: Int = 2_880) -> PricePath {
        guard path.count > 2 else { return path }
        let spacingMs = Swift.max((path.timesMs[path.count - 1] - path.timesMs[0]) / Int64(path.count - 1), 1)
        let pointsPerHour = Swift.max(Int(3_600_000 / spacingMs), 1)
        let width = Swift.max(Int(Int64(minutes) * 60_000 / spacingMs), 2)
        guard path.count > width else { return path }
        var steepest = 0, worst = Double.infinity
        var index = 0
        while index + pointsPerHour < path.count {
            let move = path.prices[index + pointsPerHour] / path.prices[index]
            if move < worst { worst = move; steepest = index }
            index += 1
        }
        let start = Swift.min(Swift.max(steepest - width / 2, 0), path.count - width)
        let range = start..<(start + width)
        return PricePath(timesMs: Array(path.timesMs[range]), prices: Array(path.prices[range]),
                         minuteVolumes: Array(path.minuteVolumes[range]))
    }
}
