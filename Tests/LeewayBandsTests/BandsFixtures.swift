import Foundation
import LeewayBands
import LeewayMarketData

/// Paths to the shared reference material beside the project (`../shared`).
enum BandsFixtures {
    static let sharedDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static func pricePath(_ name: String) -> String { sharedDirectory.appendingPathComponent("data/prices/\(name)").path }

    static func series(_ name: String, halfLife: Double = 600, reversed: Bool = false) throws -> PriceSeries {
        try PriceSeries(candles: CandleFile.load(path: pricePath(name)), halfLifeSeconds: halfLife, reversed: reversed)
    }

    /// |actual − expected| ≤ relative·|expected| (or ≤ absolute near zero).
    static func close(_ actual: Double, _ expected: Double, relative: Double, absolute: Double = 1e-9) -> Bool {
        let tolerance = Swift.max(relative * Swift.abs(expected), Swift.abs(expected) < 1e-6 ? absolute : 0)
        return Swift.abs(actual - expected) <= tolerance
    }
}
