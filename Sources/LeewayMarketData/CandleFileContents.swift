import Foundation

/// A loaded candle file: its candles (open times in milliseconds) and the unit the file gave its
/// open times in, so a caller can say when a file was converted.
public struct CandleFileContents: Sendable, Equatable {
    public var path: String
    /// The candles, open times converted to milliseconds.
    public var candles: [Candle]
    /// The unit of the open times as written in the file (`CandleTimeUnit.detect`).
    public var timeUnit: CandleTimeUnit

    public init(path: String, candles: [Candle], timeUnit: CandleTimeUnit) {
        self.path = path
        self.candles = candles
        self.timeUnit = timeUnit
    }

    /// A sentence for the user when the file's open times were not milliseconds, e.g.
    /// "note: prices.csv: open times are in seconds; converted to milliseconds (first candle
    /// 2024-08-05T00:00:00Z, last 2024-08-05T23:59:00Z)"; nil for a file in milliseconds.
    public var conversionNote: String? {
        guard timeUnit != .milliseconds, let first = candles.first, let last = candles.last else { return nil }
        return "note: \(path): open times are in \(timeUnit.rawValue); converted to milliseconds "
            + "(first candle \(Self.utc(first.openTimeMs)), last \(Self.utc(last.openTimeMs))): check that these dates are right"
    }

    /// `ms` since the epoch as an ISO 8601 UTC time, e.g. 2024-08-05T00:00:00Z.
    static func utc(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
