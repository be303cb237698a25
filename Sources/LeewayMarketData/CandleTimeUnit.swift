/// The unit of a candle file's open times, told apart by magnitude.
///
/// Each unit owns the range of values that means a date between 1973-03-03 and the year 5138 in
/// that unit (seconds also own 1970 to 1973), and the ranges do not overlap, so the magnitude of
/// one open time names its unit without doubt:
///
/// | unit | open time t |
/// |---|---|
/// | seconds | 0 ≤ t < 10¹¹ |
/// | milliseconds | 10¹¹ ≤ t < 10¹⁴ |
/// | microseconds | 10¹⁴ ≤ t < 10¹⁷ |
/// | nanoseconds | 10¹⁷ ≤ t |
public enum CandleTimeUnit: String, Sendable, Equatable, CaseIterable {
    case seconds, milliseconds, microseconds, nanoseconds

    /// The unit of `openTime` by magnitude (see the type's table); nil for a negative time.
    public static func detect(openTime: Int64) -> CandleTimeUnit? {
        switch openTime {
        case ..<0: return nil
        case ..<100_000_000_000: return .seconds
        case ..<100_000_000_000_000: return .milliseconds
        case ..<100_000_000_000_000_000: return .microseconds
        default: return .nanoseconds
        }
    }

    /// `openTime` in this unit as milliseconds: seconds × 1000 (exact: below 10¹¹ s it cannot
    /// overflow), finer units divided down, truncating toward zero (a candle opens on a whole ms).
    public func milliseconds(_ openTime: Int64) -> Int64 {
        switch self {
        case .seconds: return openTime * 1000
        case .milliseconds: return openTime
        case .microseconds: return openTime / 1000
        case .nanoseconds: return openTime / 1_000_000
        }
    }

    /// The unit's short name for messages (`s`, `ms`, `µs`, `ns`).
    public var symbol: String {
        switch self {
        case .seconds: return "s"
        case .milliseconds: return "ms"
        case .microseconds: return "µs"
        case .nanoseconds: return "ns"
        }
    }
}
