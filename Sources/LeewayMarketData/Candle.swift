/// One OHLCV candle of an exchange's kline history.
///
/// Prices are in quote currency per unit of base asset (e.g. USDT per ETH) and `volume` is in
/// base-asset units, all as binary `Double` because this type feeds numerical simulations,
/// not accounting. `openTimeMs` is the candle's open time in milliseconds since the Unix epoch.
public struct Candle: Sendable, Equatable {
    /// Open time, milliseconds since 1970-01-01T00:00:00Z.
    public var openTimeMs: Int64
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    /// Traded volume in base-asset units.
    public var volume: Double

    public init(openTimeMs: Int64, open: Double, high: Double, low: Double, close: Double, volume: Double) {
        self.openTimeMs = openTimeMs
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }
}
